"""The ILMS (2025) one-sector model as a configuration of tradewar's engine: calibration, and
the equilibrium in changes solved by :func:`tradewar.model.solve` (pure numerics).

Ignatenko, Lashkaripour, Macedoni & Simonovska (2025), section 2 and appendix; the equations
are those of ``Balanced_Trade_EQ`` and ``solveNu`` in their ``code/analysis/main_baseline.m``,
written in tradewar's axis convention (``[importer n, exporter i]``). Money in millions of USD;
tariffs are fractions; the baseline has no tariffs (the authors' data). The engine carries each
element as an option (``labour_supply``, ``scale_elasticity``, ``passthrough``, ``buyer_share``,
``revenue_use``; docs/model.md); :func:`engine_economy` and :func:`engine_options` set them. The
stand-alone solver of these equations that this module used before is kept as the independent
reference in tests/analysis/ilms_reference.py.

Unknowns: ŵ_i (wage), Ê_n (expenditure), L̂_i (employment). With ν the share of a market's
sales that accrues to the buying country (calibrated), φ_n the tariff pass-through, ψ the
scale elasticity and κ the labour-supply elasticity:

* trade shares  λ'[n,i] = λ[n,i] (ŵ_i L̂_i^(−ψ))^(−ε) (1+t'[n,i])^(−ε φ_n) / S_n,
  S_n = Σ_i λ[n,i] (ŵ_i L̂_i^(−ψ))^(−ε) (1+t'[n,i])^(−ε φ_n);
* price index   P̂_n = (Ê_n / ŵ_n)^(1−φ_n) S_n^(−1/ε);
* flows at producer prices X'[n,i] = λ'[n,i] Ê_n E_n / (1+t'[n,i]); revenue R'_n = Σ_i t'/(1+t') λ' E'_n;
* income        ŵ_i L̂_i Y_i = Σ_n (1−ν_n) X'[n,i] + ν_i Σ_k X'[i,k];
* budget        Ê_n E_n = R'_n + ŵ_n L̂_n Y_n + T_n Σ_m ŵ_m L̂_m Y_m / Σ_m Y_m
  (deficits T fixed as a share of world GDP — Dekle, Eaton & Kortum 2008);
* labour supply L̂_n = (τ̂_n ŵ_n / P̂_n)^κ with τ̂_n = 1/(1 − R'_n/(ŵ_n L̂_n Y_n)) when tariff
  revenue replaces the income tax (``revenue="income-tax"``), τ̂_n = 1 for a lump-sum rebate;
* numeraire     Σ_n E_n (P̂_n − 1) = 0 (replaces one income equation, Walras' law).

Welfare (their eq. for the change in utility with elastic labour):
Ŵ_n = δ_n Ê_n/P̂_n + (1 − δ_n) ŵ_n L̂_n/P̂_n, δ_n = E_n / (E_n − κ (1−τ_n) Y_n / (1+κ)),
τ_n = R'_n / (ŵ_n L̂_n Y_n) (0 for the lump-sum rebate).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import root

from ...data.ilms2025 import Ilms2025Data
from ...errors import InvalidArrayError, NonConvergenceError, UserInputError, check_choice
from ...model import Economy, Equilibrium, solve
from ...options import ILMS_REVENUE, ILMS_STRUCTURES, IlmsRevenue, IlmsStructure

__all__ = [
    "ILMS_REVENUE",
    "ILMS_STRUCTURES",
    "IlmsEconomy",
    "IlmsEquilibrium",
    "IlmsOptions",
    "calibrate",
    "engine_economy",
    "engine_options",
    "solve_ilms",
]

# What the government does with tariff revenue (IlmsRevenue), and the structure
# (IlmsStructure): ``ilms``, the authors' baseline (ν calibrated, pass-through φ > 1), or
# ``eaton-kortum``, their "Eaton–Kortum–Krugman" alternative (ν = 0, φ = 1, GDP = gross sales;
# Table 9, alternative 4). Both live in tradewar.options with every other option.


def _check_range(name: str, value: float, low: float, high: float, *, low_open: bool = False,
                 why: str = "") -> None:
    ok = math.isfinite(value) and (value > low if low_open else value >= low) and value <= high
    if not ok:
        lo = "(" if low_open else "["
        raise UserInputError(f"{name} = {value!r}; allowed: a number in {lo}{low:g}, {high:g}] {why}".rstrip())


@dataclass(frozen=True)
class IlmsOptions:
    """Parameters of the ILMS configuration (defaults: the authors' baseline, section 4).

    trade_elasticity : ε, the elasticity of trade to trade costs (4; 8 in Table 9 alt. 3).
    labour_supply_elasticity : κ, the elasticity of employment to the real after-tax wage
        (0.5; 0 gives fixed employment).
    scale_elasticity : ψ, the elasticity of productivity to employment (0.67/4 = 0.1675).
    pareto_shape : θ = ε/0.67, which sets the pass-through φ (kept at ε = 4 when ε changes, as
        the authors do).
    firm_passthrough : φ̃ ∈ (0, 1], the pass-through of tariffs to firm-level prices (1; 0.25 in
        Table 9 alt. 2); φ_n = φ̃ + (1+θ)/((1−ν_n)θ) − 1/θ − 1.
    revenue : ``income-tax`` (tariff revenue cuts the income tax; their baseline) or
        ``lump-sum`` (rebated to households; Table 1 case 2).

    The model's structure (``ilms`` or ``eaton-kortum``) is a property of the calibrated
    economy (:func:`calibrate`), since it changes GDP and ν.

    Construction raises :class:`~tradewar.errors.UserInputError` naming the parameter and its
    allowed range.
    """

    trade_elasticity: float = 4.0
    labour_supply_elasticity: float = 0.5
    scale_elasticity: float = 0.67 / 4.0
    pareto_shape: float = 4.0 / 0.67
    firm_passthrough: float = 1.0
    revenue: IlmsRevenue = "income-tax"

    def __post_init__(self) -> None:
        _check_range("trade_elasticity", self.trade_elasticity, 0.0, 50.0, low_open=True)
        _check_range("labour_supply_elasticity", self.labour_supply_elasticity, 0.0, 10.0)
        _check_range("scale_elasticity", self.scale_elasticity, 0.0, 1.0,
                     why="(productivity elasticity to employment)")
        _check_range("pareto_shape", self.pareto_shape, 0.0, 100.0, low_open=True)
        _check_range("firm_passthrough", self.firm_passthrough, 0.0, 1.0, low_open=True,
                     why="(share of a tariff passed to firm-level prices)")
        check_choice("revenue", self.revenue, ILMS_REVENUE)


@dataclass(frozen=True, eq=False)
class IlmsEconomy:
    """The calibrated ILMS baseline (arrays (N,) or (N, N) ``[importer, exporter]``).

    flows : X[n, i] with domestic sales on the diagonal, millions of USD; expenditure
    E[n] = Σ_i X[n, i]; gdp Y[n] = Σ_m (1−ν_m) X[m, n] + ν_n E_n; deficit T = E − Y;
    nu ν[n] (two values: the US and everyone else); shares λ = X / E.
    """

    countries: tuple[str, ...]
    flows: np.ndarray
    expenditure: np.ndarray
    gdp: np.ndarray
    deficit: np.ndarray
    nu: np.ndarray
    structure: str

    @property
    def shares(self) -> np.ndarray:
        return self.flows / self.expenditure[:, None]

    def index_of(self, code: str) -> int:
        from ...errors import UnknownCountryError

        try:
            return self.countries.index(code)
        except ValueError:
            raise UnknownCountryError(code, self.countries, where="ILMS economy") from None


def _two_region(flows: np.ndarray, values: np.ndarray, home: int) -> tuple[np.ndarray, np.ndarray]:
    """Aggregate to (rest of the world, home): flows [n, i] (2, 2) and a (2,) vector."""
    agg = np.ones((2, flows.shape[0]))
    agg[0, home] = 0.0
    agg[1, :] = 0.0
    agg[1, home] = 1.0
    return agg @ flows @ agg.T, agg @ values


def _solve_nu(flows: np.ndarray, gdp: np.ndarray, home: int, targets: tuple[float, float]) -> np.ndarray:
    """ν of (rest of world, home) matching the authors' targets (``solveNu``: 0.12 and 0.26).

    The targets are spending-weighted averages of ν over the suppliers of each region.
    """
    x, y = _two_region(flows, gdp, home)          # x[n, i]

    def equations(nu: np.ndarray) -> np.ndarray:
        spend = y + (1 - nu) * (x.sum(axis=1) - ((1 - nu)[:, None] * x).sum(axis=0))
        r11 = (spend[0] - x[0, 1]) / (spend[0] - x[0, 1] + x[1, 0])
        r22 = (spend[1] - x[1, 0]) / (spend[1] - x[1, 0] + x[0, 1])
        return np.array([(1 - r11) * nu[1] + r11 * nu[0] - targets[0],
                         r22 * nu[1] + (1 - r22) * nu[0] - targets[1]])

    sol = root(equations, np.array([0.1, 0.24]), tol=1e-14)
    if not sol.success:
        raise NonConvergenceError(f"ILMS calibration of nu did not converge: {sol.message}")
    return np.maximum(sol.x, 0.0)


def calibrate(data: Ilms2025Data, structure: IlmsStructure = "ilms", home: str = "USA",
              nu_targets: tuple[float, float] = (0.12, 0.26)) -> IlmsEconomy:
    """Build the ILMS baseline from their data, as ``main_baseline.m`` does.

    Domestic sales are E − imports with E = GDP + T and T = (1−ν)(imports − (1−ν)-weighted
    exports), floored at zero; then E, Y and T are recomputed from the completed matrix. For
    ``eaton-kortum`` the same matrix is used with ν = 0 and GDP = gross sales.
    """
    check_choice("structure", structure, ILMS_STRUCTURES)
    h = data.index_of(home)
    trade = np.array(data.flows, dtype=np.float64)
    n = trade.shape[0]
    nu_pair = _solve_nu(trade, data.gdp, h, nu_targets)
    nu = np.full(n, nu_pair[0])
    nu[h] = nu_pair[1]
    transfer = (1 - nu) * (trade.sum(axis=1) - ((1 - nu)[:, None] * trade).sum(axis=0))
    domestic = np.maximum(data.gdp + transfer - trade.sum(axis=1), 0.0)
    flows = trade.copy()
    flows[np.arange(n), np.arange(n)] = domestic
    expenditure = flows.sum(axis=1)
    if structure == "eaton-kortum":
        nu = np.zeros(n)
        gdp = flows.sum(axis=0)
    else:
        gdp = ((1 - nu)[:, None] * flows).sum(axis=0) + nu * expenditure
    if (gdp <= 0).any() or (expenditure <= 0).any():
        bad = data.countries[int(np.argmin(np.minimum(gdp, expenditure)))]
        raise InvalidArrayError(f"ILMS calibration: GDP or spending of {bad} is not positive; "
                                "allowed: positive values for every economy")
    for arr in (flows, expenditure, gdp, nu):
        arr.flags.writeable = False
    deficit = expenditure - gdp
    deficit.flags.writeable = False
    return IlmsEconomy(countries=data.countries, flows=flows, expenditure=expenditure, gdp=gdp,
                       deficit=deficit, nu=nu, structure=structure)


def passthrough(econ: IlmsEconomy, options: IlmsOptions) -> np.ndarray:
    """φ_n: tariff pass-through to import prices, (N,)."""
    if econ.structure == "eaton-kortum":
        return np.ones(len(econ.countries))
    th = options.pareto_shape
    base = (1 + th) / ((1 - econ.nu) * th) - 1 / th - 1
    return options.firm_passthrough + base


@dataclass(frozen=True, eq=False)
class IlmsEquilibrium:
    """An ILMS counterfactual. Percent changes unless stated; arrays (N,) by country.

    welfare_pct (Ŵ − 1), deficit_change_pct ((D' − D)/|D|, D = imports − exports),
    exports_gdp_pct / imports_gdp_pct (change in the ratio to GDP), employment_pct (L̂ − 1),
    price_pct (P̂ − 1), real_income_pct (Ê/P̂ − 1), revenue_share (R'/E, fraction of baseline
    spending), flows_new (N, N) [importer, exporter] millions USD at producer prices,
    world_trade_gdp_pct (change of world trade incl. tariffs relative to world GDP).
    """

    countries: tuple[str, ...]
    tariffs: np.ndarray
    w_hat: np.ndarray
    E_hat: np.ndarray
    L_hat: np.ndarray
    P_hat: np.ndarray
    welfare_pct: np.ndarray
    real_income_pct: np.ndarray
    deficit_change_pct: np.ndarray
    exports_gdp_pct: np.ndarray
    imports_gdp_pct: np.ndarray
    employment_pct: np.ndarray
    price_pct: np.ndarray
    revenue_share: np.ndarray
    flows_new: np.ndarray
    world_trade_gdp_pct: float
    converged: bool
    max_residual: float
    evaluations: int
    seconds: float


def engine_economy(econ: IlmsEconomy, options: IlmsOptions | None = None) -> Economy:
    """The ILMS baseline as a tradewar :class:`~tradewar.model.Economy`: one sector ("goods"),
    no intermediate inputs (``va_share`` 1, ``final_share`` 1), no baseline tariffs, trade
    elasticity ε, flows X[n, i], value added = ILMS GDP Y (with the buyer's share ν) and
    deficits T = E − Y. With :func:`engine_options` it is the ILMS model (docs/model.md)."""
    o = options or IlmsOptions()
    n = len(econ.countries)
    return Economy(countries=econ.countries, sectors=("goods",), flows=np.asarray(econ.flows)[:, :, None],
                   tariffs=np.zeros((n, n, 1)), theta=np.array([o.trade_elasticity]), va_share=np.ones((n, 1)),
                   input_share=np.zeros((n, 1, 1)), final_share=np.ones((n, 1)),
                   deficit=np.asarray(econ.deficit), value_added=np.asarray(econ.gdp),
                   notes=(f"ILMS (2025) baseline, structure {econ.structure}",))


def engine_options(econ: IlmsEconomy, options: IlmsOptions | None = None) -> dict[str, Any]:
    """The keyword arguments of :func:`tradewar.model.solve` that make the engine the ILMS model:
    ``labour_supply`` κ, ``scale_elasticity`` ψ, ``passthrough`` φ_n, ``buyer_share`` ν_n
    (None for the Eaton–Kortum structure, ν = 0) and ``revenue_use``."""
    o = options or IlmsOptions()
    nu, phi = np.asarray(econ.nu), passthrough(econ, o)
    return {"labour_supply": o.labour_supply_elasticity, "scale_elasticity": o.scale_elasticity,
            "passthrough": phi if (phi != 1.0).any() else None, "buyer_share": nu if nu.any() else None,
            "revenue_use": o.revenue}


def solve_ilms(econ: IlmsEconomy, tariffs: np.ndarray, options: IlmsOptions | None = None, *,
               deficit: np.ndarray | None = None) -> IlmsEquilibrium:
    """Solve the ILMS equilibrium for new tariffs ``tariffs[n, i]`` (fractions, > −1; baseline 0)
    on tradewar's engine (:func:`tradewar.model.solve` with :func:`engine_economy` and
    :func:`engine_options`; deficits ``fixed`` in units of world value added, which is ILMS's T
    as a fixed share of world GDP).

    ``deficit`` (N,), millions USD, replaces the baseline transfers T (the engine's ``given``
    closure; they must sum to zero) — the authors' Table 10 "balanced trade" variant; default:
    the calibrated T.

    Nominal results are reported in the authors' numeraire, Σ_n E_n (P̂_n − 1) = 0 (the model is
    homogeneous of degree zero in nominal values, so this rescales them and changes nothing
    real). Raises :class:`~tradewar.errors.NonConvergenceError` if the engine does not converge.
    """
    o = options or IlmsOptions()
    n = len(econ.countries)
    t = np.asarray(tariffs, dtype=np.float64)
    if t.shape != (n, n):
        raise InvalidArrayError(f"tariffs: shape {t.shape}; expected ({n}, {n}) = [importer, exporter]")
    if not np.isfinite(t).all() or (t <= -1).any():
        raise InvalidArrayError("tariffs: must be finite fractions above -1 (0.25 = 25 %)")
    closure: dict[str, Any] = {}
    if deficit is not None:
        d = np.asarray(deficit, dtype=np.float64)
        if d.shape != (n,) or not np.isfinite(d).all():
            raise InvalidArrayError(f"deficit: expected {n} finite numbers (millions USD), got shape {d.shape}")
        closure = {"deficits": "given", "deficits_new": d}
    start = time.perf_counter()
    eq = solve(engine_economy(econ, o), t[:, :, None], **closure, **engine_options(econ, o))
    seconds = time.perf_counter() - start
    return _from_engine(eq, econ, t, seconds)


def _from_engine(eq: Equilibrium, econ: IlmsEconomy, t: np.ndarray, seconds: float) -> IlmsEquilibrium:
    """The engine's equilibrium in ILMS's terms and numeraire (Σ E (P̂ − 1) = 0)."""
    E, Y = np.asarray(econ.expenditure), np.asarray(econ.gdp)
    n = len(econ.countries)
    price_engine = eq.price_index_hat
    scale = E.sum() / (E * price_engine).sum()          # to the authors' numeraire
    w, price = scale * eq.w_hat, scale * price_engine
    e_hat = scale * eq.income / eq.reference.income
    l_hat = eq.employment_hat
    flows = scale * eq.flows[:, :, 0]
    gdp_new = w * l_hat * Y
    off = 1.0 - np.eye(n)
    base = np.asarray(econ.flows)
    deficit0 = base.sum(axis=1) - base.sum(axis=0)
    deficit1 = flows.sum(axis=1) - flows.sum(axis=0)
    exports0, exports1 = (base * off).sum(axis=0) / Y, (flows * off).sum(axis=0) / gdp_new
    imports0, imports1 = (base * off).sum(axis=1) / Y, (flows * off).sum(axis=1) / gdp_new
    trade1 = (flows * (1 + t) * off).sum() / (base * off).sum()
    world_trade = 100 * (trade1 / (gdp_new.sum() / Y.sum()) - 1)
    return IlmsEquilibrium(
        countries=econ.countries, tariffs=t, w_hat=w, E_hat=e_hat, L_hat=l_hat, P_hat=price,
        welfare_pct=eq.welfare_utility_pct, real_income_pct=eq.welfare_pct,
        deficit_change_pct=100 * (deficit1 - deficit0) / np.abs(deficit0),
        exports_gdp_pct=100 * (exports1 / exports0 - 1), imports_gdp_pct=100 * (imports1 / imports0 - 1),
        employment_pct=100 * (l_hat - 1), price_pct=100 * (price - 1),
        revenue_share=scale * eq.tariff_revenue / E,
        flows_new=flows, world_trade_gdp_pct=float(world_trade), converged=eq.diagnostics.converged,
        max_residual=eq.diagnostics.max_residual, evaluations=eq.diagnostics.iterations, seconds=seconds,
    )
