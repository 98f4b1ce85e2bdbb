"""Result types of the engine: frozen dataclasses that carry their solver diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._economy import Economy
from ._options import STANDARD, LabourMarketOptions


@dataclass(frozen=True)
class SolverDiagnostics:
    """How a solve went. ``residuals`` maps each equilibrium condition (``price_index``,
    ``goods_market``, ``labour_market``) to its largest violation at the solution (see
    :func:`tradewar.model._kernels.condition_residuals` for the units)."""

    converged: bool
    iterations: int
    residuals: dict[str, float]
    seconds: float
    method: str = "anderson fixed point"
    message: str = ""
    #: Why the solution is economically absurd (empty: plausible); see
    #: :func:`tradewar.model.check_plausibility` — flagged, not refused.
    plausibility_issues: tuple[str, ...] = ()

    @property
    def max_residual(self) -> float:
        return max(self.residuals.values())

    @property
    def plausible(self) -> bool:
        """No plausibility issue (welfare within ±50 %, trade not multiplied > 5×, spending ≥ 0)."""
        return not self.plausibility_issues

    def as_dict(self) -> dict[str, Any]:
        return {
            "converged": bool(self.converged),
            "iterations": int(self.iterations),
            "max_residual": float(self.max_residual),
            "residuals": {k: float(v) for k, v in self.residuals.items()},
            "seconds": float(self.seconds),
            "method": self.method,
            "message": self.message,
            "plausible": self.plausible,
            "plausibility_issues": list(self.plausibility_issues),
        }


@dataclass(frozen=True)
class Equilibrium:
    """A counterfactual equilibrium relative to ``reference`` (the economy it changes from).

    Hats are ratios new/old (1 = no change). Money is in millions of USD in the units of the
    numeraire (world value added is held fixed). ``closure`` names the deficit rule used.

    Attributes
    ----------
    reference : Economy
        The economy the changes are measured from (for the ``zero`` closure, the economy with
        deficits purged at baseline tariffs, Caliendo-Parro's first step).
    tariffs : (N, N, J) new tariffs (fractions).
    w_hat : (N,) change in the price of value added (the "wage").
    P_hat : (N, J) change in sectoral price indices.
    c_hat : (N, J) change in input-bundle costs.
    pi : (N, N, J) new trade shares.
    expenditure : (N, J) new tariff-inclusive spending, millions USD.
    flows : (N, N, J) new flows at producer prices, millions USD.
    income : (N,) new income ``I' = w_hat wL + R' + D'``, millions USD.
    tariff_revenue, deficit : (N,) millions USD.
    export_tax : (N, N, J) new export taxes ``[importer, exporter, sector]`` (fractions of the
        producer price, revenue to the exporter), or None (none).
    export_tax_revenue : (N,) export-tax revenue of each exporter, millions USD (included in
        ``income``), or None.
    blocked : (N, N, J) bool, flows prohibited by an export ban (exactly zero), or None.
    labour_supply : float, the elasticity kappa of employment to the real wage used in the solve
        (0: fixed employment); employment ``L_hat = (w_hat / P_hat_n)^kappa``.
    employment : (N,) employment change L_hat when it was part of the solver's state (scale
        economies or the income-tax variant), else None (then computed from the real wage).
    income_tax_rate : (N,) R'/(w_hat L_hat wL), the income tax that tariff revenue replaces
        (``revenue_use="income-tax"``), else None.
    model_options : the optional elements the equilibrium was solved with
        (:class:`tradewar.model.LabourMarketOptions`; the standard model by default).
    """

    reference: Economy
    closure: str
    tariffs: np.ndarray
    trade_cost_hat: np.ndarray
    w_hat: np.ndarray
    P_hat: np.ndarray
    c_hat: np.ndarray
    pi: np.ndarray
    expenditure: np.ndarray
    flows: np.ndarray
    income: np.ndarray
    tariff_revenue: np.ndarray
    deficit: np.ndarray
    diagnostics: SolverDiagnostics
    purge: Equilibrium | None = field(default=None, repr=False)
    export_tax: np.ndarray | None = field(default=None, repr=False)
    export_tax_revenue: np.ndarray | None = field(default=None, repr=False)
    blocked: np.ndarray | None = field(default=None, repr=False)
    labour_supply: float = 0.0
    employment: np.ndarray | None = field(default=None, repr=False)
    income_tax_rate: np.ndarray | None = field(default=None, repr=False)
    model_options: LabourMarketOptions = field(default=STANDARD, repr=False)

    # ---- welfare and prices ----
    @property
    def price_index_hat(self) -> np.ndarray:
        """``P_hat_n = prod_j P_hat[n, j]^alpha[n, j]``: change in the consumer price index, (N,)."""
        alpha = self.reference.final_share
        return np.exp((alpha * np.log(self.P_hat)).sum(axis=1))

    @property
    def real_income_hat(self) -> np.ndarray:
        """Exact change in real income ``(I'/I) / P_hat_n`` — the headline welfare, (N,)."""
        return (self.income / self.reference.income) / self.price_index_hat

    @property
    def welfare_pct(self) -> np.ndarray:
        """Headline welfare: percent change in real income, (N,)."""
        return (self.real_income_hat - 1.0) * 100.0

    @property
    def employment_hat(self) -> np.ndarray:
        """Change in employment ``L_hat_n = (w_hat_n / P_hat_n)^kappa`` (1 with fixed employment;
        with the income-tax variant the after-tax wage, as solved), (N,)."""
        if self.employment is not None:
            return self.employment
        return np.exp(self.labour_supply * (np.log(self.w_hat) - np.log(self.price_index_hat)))

    @property
    def employment_pct(self) -> np.ndarray:
        """Percent change in employment, (N,)."""
        return (self.employment_hat - 1.0) * 100.0

    @property
    def welfare_utility_pct(self) -> np.ndarray:
        """Welfare with the disutility of work (Ignatenko, Lashkaripour, Macedoni & Simonovska
        2025): ``delta I_hat/P_hat + (1 - delta) w_hat L_hat / P_hat`` with
        ``delta = I / (I - kappa/(1+kappa) (1 - tax) wL)``, ``tax`` = :attr:`income_tax_rate`
        (0 for a lump-sum rebate), percent, (N,). Equals :attr:`welfare_pct` when employment is
        fixed (kappa = 0)."""
        ref = self.reference
        k = self.labour_supply
        assert ref.value_added is not None
        if self.income_tax_rate is None:
            delta = ref.income / (ref.income - k / (1.0 + k) * ref.value_added)
        else:
            delta = ref.income / (ref.income - k / (1.0 + k) * (1.0 - self.income_tax_rate) * ref.value_added)
        labour_income = self.w_hat * self.employment_hat / self.price_index_hat
        return (delta * self.real_income_hat + (1.0 - delta) * labour_income - 1.0) * 100.0

    @property
    def real_wage_pct(self) -> np.ndarray:
        """Percent change in the real wage ``w_hat / P_hat_n``, (N,)."""
        return (self.w_hat / self.price_index_hat - 1.0) * 100.0

    @property
    def output(self) -> np.ndarray:
        """New gross output by country and sector, (N, J), millions USD."""
        return self.flows.sum(axis=0)

    @property
    def exports(self) -> np.ndarray:
        """New exports at producer prices (excluding domestic sales), (N,), millions USD."""
        return _offdiag(self.flows).sum(axis=(0, 2))

    @property
    def imports(self) -> np.ndarray:
        """New imports at producer prices (excluding domestic purchases), (N,), millions USD."""
        return _offdiag(self.flows).sum(axis=(1, 2))

    @property
    def exports_pct(self) -> np.ndarray:
        return (self.exports / self.reference.exports - 1.0) * 100.0

    @property
    def imports_pct(self) -> np.ndarray:
        return (self.imports / self.reference.imports - 1.0) * 100.0

    def welfare_decomposition(self) -> dict[str, np.ndarray]:
        """Caliendo-Parro (2015, eq. 27) decomposition of welfare, percent of baseline income.

        ``terms_of_trade[n] = sum_{i,j} (E[n->i, j] (c_hat[n,j]-1) - M[n<-i, j] (c_hat[i,j]-1)) / I[n]``
        ``volume_of_trade[n] = sum_{i,j} tau[n,i,j] M[n,i,j] (M'/M - c_hat[i,j]) / I[n]``
        ``technical[n] = -sum_{i,j} (1+tau) M (d_hat - 1) / I[n]`` (non-tariff trade costs).
        This is a first-order (in changes) measure evaluated at baseline flows; the exact
        welfare is :attr:`welfare_pct`. See docs/model.md for why they differ.
        """
        ref = self.reference
        M = _offdiag(ref.flows)
        M_new = _offdiag(self.flows)
        dc = self.c_hat - 1.0
        exports_term = (M * dc[None, :, :]).sum(axis=(0, 2))           # exporter n: sum over importers
        imports_term = (M * dc[None, :, :]).sum(axis=(1, 2))           # importer n: what it pays more
        tot = (exports_term - imports_term) / ref.income * 100.0
        ratio = np.divide(M_new, M, out=np.zeros_like(M), where=M > 0)
        vot = (ref.tariffs * M * (ratio - self.c_hat[None, :, :])).sum(axis=(1, 2)) / ref.income * 100.0
        tech = -((1.0 + ref.tariffs) * M * (self.trade_cost_hat - 1.0)).sum(axis=(1, 2)) / ref.income * 100.0
        return {"terms_of_trade": tot, "volume_of_trade": vot, "technical": tech,
                "total": tot + vot + tech}

    # ---- tidy tables ----
    def countries_table(self) -> pd.DataFrame:
        """One row per country: welfare and its pieces (percent) and money (millions USD)."""
        ref = self.reference
        dec = self.welfare_decomposition()
        return pd.DataFrame(
            {
                "welfare_pct": self.welfare_pct,
                "real_wage_pct": self.real_wage_pct,
                "price_index_pct": (self.price_index_hat - 1.0) * 100.0,
                "welfare_decomposition_pct": dec["total"],
                "terms_of_trade_pct": dec["terms_of_trade"],
                "volume_of_trade_pct": dec["volume_of_trade"],
                "exports_pct": self.exports_pct,
                "imports_pct": self.imports_pct,
                "exports_musd": self.exports,
                "imports_musd": self.imports,
                "tariff_revenue_musd": self.tariff_revenue,
                "tariff_revenue_before_musd": ref.tariff_revenue,
                "income_musd": self.income,
                "income_before_musd": ref.income,
                "real_income_change_musd": (self.real_income_hat - 1.0) * ref.income,
                "deficit_musd": self.deficit,
            },
            index=pd.Index(ref.countries, name="country"),
        ).pipe(self._with_export_revenue).pipe(self._with_transfer_split).pipe(self._with_employment)

    def _with_employment(self, frame: pd.DataFrame) -> pd.DataFrame:
        # only where employment was elastic (tables of fixed-employment runs unchanged)
        if self.labour_supply > 0:
            frame["employment_pct"] = self.employment_pct
            frame["welfare_utility_pct"] = self.welfare_utility_pct
        return frame

    def welfare_transfer_split(self) -> dict[str, np.ndarray]:
        """Split the headline welfare into the transfer and the rest, exactly, (N,) each.

        ``deficit_change_musd = D' - D`` (millions USD, numeraire units): how much more the
        country borrows from (positive) or lends to (negative) the rest of the world.
        ``transfer_pct = 100 (D' - D) / (P_hat_n I_n)``: that change valued at the new prices, in
        percent of baseline income — spending financed by borrowing, not earned.
        ``rest_pct = welfare_pct - transfer_pct = 100 ((I' - (D' - D)) / (P_hat_n I_n) - 1)``:
        the change in real income the country would have at unchanged borrowing (terms of trade,
        efficiency, wages and tariff revenue). A static model has no intertemporal budget: a
        larger deficit today is not paid back in it, so ``transfer_pct`` is not a gain a country
        could keep (docs/model.md, "Deficit changes: the transfer and the rest").
        """
        change = self.deficit - self.reference.deficit
        transfer = change / (self.price_index_hat * self.reference.income) * 100.0
        return {"deficit_change_musd": change, "transfer_pct": transfer,
                "rest_pct": self.welfare_pct - transfer}

    def _with_transfer_split(self, frame: pd.DataFrame) -> pd.DataFrame:
        split = self.welfare_transfer_split()
        frame["deficit_change_musd"] = split["deficit_change_musd"]
        frame["welfare_transfer_pct"] = split["transfer_pct"]
        frame["welfare_excl_transfer_pct"] = split["rest_pct"]
        return frame

    def _with_export_revenue(self, frame: pd.DataFrame) -> pd.DataFrame:
        # the column exists only where export taxes were solved for (tariff-only tables unchanged)
        if self.export_tax_revenue is not None:
            frame.insert(frame.columns.get_loc("tariff_revenue_before_musd") + 1,
                         "export_tax_revenue_musd", self.export_tax_revenue)
        return frame

    def bilateral_table(self) -> pd.DataFrame:
        """Total trade by pair (all sectors), before and after, millions USD at producer prices."""
        ref = self.reference
        before = ref.flows.sum(axis=2)
        after = self.flows.sum(axis=2)
        n = ref.n_countries
        imp, exp = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
        off = imp != exp
        frame = pd.DataFrame({
            "exporter": np.asarray(ref.countries)[exp[off]],
            "importer": np.asarray(ref.countries)[imp[off]],
            "before_musd": before[off],
            "after_musd": after[off],
        })
        frame["change_pct"] = np.where(frame.before_musd > 0,
                                       (frame.after_musd / frame.before_musd.where(frame.before_musd > 0, 1.0) - 1.0) * 100.0,
                                       0.0)
        return frame

    def sectors_table(self) -> pd.DataFrame:
        """Output and exports by country and sector, before and after (long table)."""
        ref = self.reference
        n, j = ref.n_countries, ref.n_sectors
        rows = pd.MultiIndex.from_product([ref.countries, ref.sectors], names=["country", "sector"])
        out0, out1 = ref.output, self.output
        ex0 = _offdiag(ref.flows).sum(axis=0)
        ex1 = _offdiag(self.flows).sum(axis=0)
        frame = pd.DataFrame({
            "output_before_musd": out0.reshape(n * j), "output_after_musd": out1.reshape(n * j),
            "exports_before_musd": ex0.reshape(n * j), "exports_after_musd": ex1.reshape(n * j),
            "price_index_pct": ((self.P_hat - 1.0) * 100.0).reshape(n * j),
        }, index=rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["output_pct"] = np.where(out0.reshape(-1) > 0, (out1 / np.where(out0 > 0, out0, 1) - 1).reshape(-1) * 100, 0.0)
            frame["exports_pct"] = np.where(ex0.reshape(-1) > 0, (ex1 / np.where(ex0 > 0, ex0, 1) - 1).reshape(-1) * 100, 0.0)
        return frame

    def tidy(self) -> pd.DataFrame:
        """Long table (country, variable, value) of the country results."""
        return self.countries_table().reset_index().melt(id_vars="country", var_name="variable")


def _offdiag(flows: np.ndarray) -> np.ndarray:
    out = np.array(flows, copy=True)
    idx = np.arange(out.shape[0])
    out[idx, idx, ...] = 0.0
    return out
