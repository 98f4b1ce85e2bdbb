"""Run a scenario on a baseline: compile, solve every step in one batch, wrap the results."""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import ScenarioError, raise_if_failed
from ..model import Equilibrium, check_labour_supply, solve_batch
from ..options import DEFICIT_CLOSURES, DeficitClosure
from ._compile import CompiledScenario, compile_tariffs
from ._load import resolve_scenario
from ._retaliation import RetaliationRule
from ._schema import Scenario

if TYPE_CHECKING:
    from ..data import Baseline

#: Keys of each country in ``to_json()["countries"]`` (docs/json-contract.md), with the column
#: of :meth:`Equilibrium.countries_table` they come from.
COUNTRY_KEYS: dict[str, str] = {
    "welfare_pct": "welfare_pct",
    "real_wage_pct": "real_wage_pct",
    "exports_pct": "exports_pct",
    "imports_pct": "imports_pct",
    "tariff_revenue_musd": "tariff_revenue_musd",
    "real_income_change_musd": "real_income_change_musd",
    "welfare_decomposition_pct": "welfare_decomposition_pct",
    "terms_of_trade_pct": "terms_of_trade_pct",
    "volume_of_trade_pct": "volume_of_trade_pct",
    "price_index_pct": "price_index_pct",
    # the change in borrowing valued at new prices, and the rest (issue 13; docs/model.md)
    "deficit_change_musd": "deficit_change_musd",
    "welfare_transfer_pct": "welfare_transfer_pct",
    "welfare_excl_transfer_pct": "welfare_excl_transfer_pct",
}
#: Keys added to each country of ``to_json()["countries"]`` (and columns of the countries table)
#: only when employment was elastic (``labour_supply`` kappa > 0): runs with fixed employment keep
#: exactly the keys of :data:`COUNTRY_KEYS`, so their JSON is unchanged. Glossary: docs/glossary.md.
EMPLOYMENT_KEYS: dict[str, str] = {
    "employment_pct": "employment_pct",
    "welfare_utility_pct": "welfare_utility_pct",
}
#: ``before_musd`` / ``after_musd`` / ``change_pct``: all sectors; ``goods_*``: goods only (every
#: sector but services, :func:`tradewar.data.goods_mask`), the flows tariffs act on.
BILATERAL_KEYS: tuple[str, ...] = ("exporter", "importer", "before_musd", "after_musd", "change_pct",
                                   "goods_before_musd", "goods_after_musd", "goods_change_pct")
SECTOR_KEYS: tuple[str, ...] = (
    "country", "sector", "output_before_musd", "output_after_musd", "output_pct",
    "exports_before_musd", "exports_after_musd", "exports_pct",
)
#: ``plausible`` / ``plausibility_issues``: the engine's plausibility guard (docs/guarantees.md):
#: an absurd equilibrium is flagged, never refused.
SOLVER_KEYS: tuple[str, ...] = ("converged", "iterations", "max_residual", "seconds", "plausible",
                                "plausibility_issues")

CLOSURE_TEXT: dict[str, str] = {
    "fixed": "deficits fixed in numeraire units (world value added)",
    "zero": "deficits purged first at the starting tariffs (Caliendo-Parro two-step); changes "
    "measured from the balanced-trade equilibrium",
    "proportional": "each economy's expenditure/output ratio fixed up to a common factor "
    "(deficits sum to zero)",
    "given": "deficits given by the scenario (millions USD in numeraire units); every other "
    "economy absorbs the difference in proportion to its value added",
}

RETALIATION_TEXT: dict[str, str] = {
    "none": "retaliation: none (only the actions listed)",
    "mirror": "retaliation: mirror (every exporter hit raises the same points on the importer's "
    "goods, sector by sector)",
}


def _num(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """The equilibria of a scenario, one per step, with what is needed to report them.

    Attributes:
        scenario: the scenario run.
        baseline_info: dataset, year, elasticity, regions, starting_tariffs.
        steps: ``(label, date, Equilibrium)`` per step, in order.
        closure: the deficit closure used.
        assumptions: sentences stating the closure, the starting point and data gaps.
        main_countries: the countries of the ``sectors`` and ``bilateral`` tables.
        compiled: the arrays the equilibria were solved from.
        region_members: region → member economies, for an aggregated baseline.
        labour_supply: the elasticity kappa of employment to the real wage the steps were
            solved with (0: fixed employment, the default); with kappa > 0 the countries carry
            :data:`EMPLOYMENT_KEYS` too.
    """

    scenario: Scenario
    baseline_info: dict[str, Any]
    steps: tuple[tuple[str, date | None, Equilibrium], ...]
    closure: str
    assumptions: tuple[str, ...]
    main_countries: tuple[str, ...]
    compiled: CompiledScenario = field(repr=False)
    region_members: dict[str, tuple[str, ...]] | None = None
    labour_supply: float = 0.0

    @property
    def country_keys(self) -> dict[str, str]:
        """JSON key -> countries-table column of each country: :data:`COUNTRY_KEYS`, plus
        :data:`EMPLOYMENT_KEYS` when employment was elastic (kappa > 0)."""
        return COUNTRY_KEYS | EMPLOYMENT_KEYS if self.labour_supply > 0 else COUNTRY_KEYS

    @property
    def final(self) -> Equilibrium:
        """The equilibrium of the last step."""
        return self.steps[-1][2]

    @functools.cached_property
    def _tables(self) -> dict[str, pd.DataFrame]:
        final = self.final
        main = set(self.main_countries)
        countries = final.countries_table().reset_index()
        bilateral = final.bilateral_table()
        bilateral = _with_goods(final, bilateral[bilateral["exporter"].isin(main) | bilateral["importer"].isin(main)])
        sectors = final.sectors_table().reset_index()
        sectors = sectors[sectors["country"].isin(main)]
        order = {c: k for k, c in enumerate(self.main_countries)}
        sectors = sectors.assign(_o=sectors["country"].map(order)).sort_values(["_o"], kind="stable")
        frames = []
        for k, (label, day, eq) in enumerate(self.steps):
            table = (countries.copy() if k == len(self.steps) - 1
                     else eq.countries_table().reset_index())
            table.insert(0, "date", day)
            table.insert(0, "label", label)
            table.insert(0, "step", k)
            frames.append(table)
        return {"countries": countries,
                "bilateral": bilateral[list(BILATERAL_KEYS)].reset_index(drop=True),
                "sectors": sectors[list(SECTOR_KEYS)].reset_index(drop=True),
                "steps": pd.concat(frames, ignore_index=True)}

    def tables(self) -> dict[str, pd.DataFrame]:
        """The single source of the run's numbers (:class:`tradewar.results.Result`), computed
        once: ``countries`` (final step, one row per country: ``country`` and every column of
        :meth:`Equilibrium.countries_table`), ``bilateral`` (:data:`BILATERAL_KEYS`, pairs with a
        main country on a side), ``sectors`` (:data:`SECTOR_KEYS`, the main countries × all
        sectors), ``steps`` (``step, label, date``, then the countries columns, every step).
        These are the CSV files of ``tradewar run --csv`` and of the web's downloads; the
        JSON (:meth:`to_json`) derives from them. Copies: callers may modify them."""
        return {name: frame.copy() for name, frame in self._tables.items()}

    def diagnostics(self) -> dict[str, Any]:
        """The solver diagnostics of the final step (``converged``, ``iterations``,
        ``max_residual``, ``seconds``, …) and of every step (``steps``)."""
        return self.final.diagnostics.as_dict() | {
            "steps": [eq.diagnostics.as_dict() for _, _, eq in self.steps]}

    def countries_frame(self) -> pd.DataFrame:
        """Country results of the final step (one row per country; see
        :meth:`Equilibrium.countries_table`)."""
        return self._tables["countries"].set_index("country")

    def steps_frame(self) -> pd.DataFrame:
        """Long table of every step: step, label, date, country and the country columns."""
        return self._tables["steps"].copy()

    @staticmethod
    def _countries(table: pd.DataFrame, keys: dict[str, str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for row in table.to_dict("records"):
            out[str(row["country"])] = {key: _num(row[column]) for key, column in keys.items()}
        return out

    @staticmethod
    def _solver(eq: Equilibrium) -> dict[str, Any]:
        diag = eq.diagnostics.as_dict()
        return {key: diag[key] for key in SOLVER_KEYS}

    def to_json(self) -> dict[str, Any]:
        """The result as plain JSON types, keys exactly as in docs/json-contract.md, derived
        from :meth:`tables`.

        ``bilateral`` lists every pair with a main country on at least one side; ``sectors``
        the main countries × all sectors; ``steps`` every step with each country's welfare.
        """
        tables = self._tables
        steps = tables["steps"]
        return {
            "scenario": self.scenario.name,
            "description": self.scenario.description,
            "sources": list(self.scenario.sources),
            "baseline": dict(self.baseline_info),
            "closure": self.closure,
            "countries": self._countries(tables["countries"], self.country_keys),
            "bilateral": [
                {key: (str(row[key]) if key in ("exporter", "importer") else _num(row[key]))
                 for key in BILATERAL_KEYS}
                for row in tables["bilateral"].to_dict("records")
            ],
            "sectors": [
                {key: (str(row[key]) if key in ("country", "sector") else _num(row[key]))
                 for key in SECTOR_KEYS}
                for row in tables["sectors"].to_dict("records")
            ],
            "steps": [
                {
                    "label": label,
                    "date": day.isoformat() if day else None,
                    "countries": self._countries(steps[steps["step"] == k], {"welfare_pct": "welfare_pct"}),
                    "solver": self._solver(eq),
                }
                for k, (label, day, eq) in enumerate(self.steps)
            ],
            "solver": self._solver(self.final),
            "assumptions": list(self.assumptions),
        } | ({"region_members": {r: list(m) for r, m in self.region_members.items()}}
             if self.region_members else {})


def _with_goods(eq: Equilibrium, bilateral: pd.DataFrame) -> pd.DataFrame:
    """``bilateral`` with the goods trade of each pair (every sector but services), before and
    after (millions USD, producer prices) and its percent change (0 where nothing was traded,
    as ``change_pct``)."""
    import numpy as np

    from ..data import goods_mask

    ref = eq.reference
    goods = goods_mask(ref.sectors)
    index = {c: k for k, c in enumerate(ref.countries)}
    imp = bilateral["importer"].map(index).to_numpy(dtype=int)
    exp = bilateral["exporter"].map(index).to_numpy(dtype=int)
    before = np.asarray(ref.flows)[:, :, goods].sum(axis=2)[imp, exp]
    after = np.asarray(eq.flows)[:, :, goods].sum(axis=2)[imp, exp]
    change = np.where(before > 0, (after / np.where(before > 0, before, 1.0) - 1.0) * 100.0, 0.0)
    return bilateral.assign(goods_before_musd=before, goods_after_musd=after, goods_change_pct=change)


def _horizon(baseline: Any) -> str | None:
    """``"long"`` when the baseline's θ is its elasticity set as published, ``"short"`` when it
    is that set × :data:`tradewar.data.SHORT_RUN_FACTOR` (:func:`tradewar.data.with_horizon`),
    else ``None`` (θ of its own, e.g. a sweep's draw)."""
    import numpy as np

    from ..data import SHORT_RUN_FACTOR

    published = (getattr(baseline, "elasticities", None) or {}).get(getattr(baseline, "elasticity", None))
    theta = np.asarray(baseline.economy.theta)
    if published is None or np.shape(published) != theta.shape:
        return None
    for name, factor in (("long", 1.0), ("short", SHORT_RUN_FACTOR)):
        if np.allclose(theta, np.asarray(published) * factor, rtol=1e-12, atol=0.0):
            return name
    return None


def run_scenario(baseline: Baseline, scenario: Scenario | str | os.PathLike[str], *,
                 deficits: DeficitClosure = "fixed", data_dir: str | os.PathLike[str] | None = None,
                 tol: float | None = None, max_iter: int | None = None,
                 retaliation_rule: RetaliationRule | None = None,
                 labour_supply: float = 0.0) -> ScenarioResult:
    """Run a scenario on a baseline: every step solved in one :func:`solve_batch` call.

    Args:
        baseline: a :class:`tradewar.data.Baseline` (or anything with ``.economy``).
        scenario: a :class:`Scenario`, a built-in name or a TOML path.
        deficits: the closure when the scenario has no ``[[deficit]]`` changes and no
            ``closure`` of its own: ``fixed`` (default), ``zero``, ``proportional``.
        data_dir: where ``tariffs2025/`` is (default: the baseline's, else the default data
            directory).
        retaliation_rule: the function applying a retaliation rule other than ``none`` and
            ``mirror`` (``optimal``: ``tradewar.analysis.optimal_retaliation_rule``); default
            the registered one (see :func:`compile_tariffs`).
        labour_supply: elasticity kappa of employment to the real wage, ``L_hat = (w_hat /
            P_hat)^kappa`` (0, the default: fixed employment, results exactly as without the
            option; ILMS 2025 use 0.5; allowed 0-10). With kappa > 0 every country also reports
            ``employment_pct`` and ``welfare_utility_pct`` (docs/model.md, docs/glossary.md).

    Raises:
        ScenarioError: the scenario is invalid on this baseline (nothing is solved).
        InvalidArrayError: ``labour_supply`` out of range (the message names it).
        NonConvergenceError: a step did not converge (never returned as a result); the message
            keeps the solver's own explanation and advice (:func:`tradewar.errors.raise_if_failed`).
    """
    kappa = check_labour_supply(labour_supply)
    scenario = resolve_scenario(scenario)
    if deficits not in DEFICIT_CLOSURES:
        raise ScenarioError(f"deficits={deficits!r}; allowed: " + ", ".join(DEFICIT_CLOSURES))
    compiled = compile_tariffs(scenario, baseline, data_dir=data_dir,
                               retaliation_rule=retaliation_rule)
    closure = compiled.closure or deficits
    if closure == "given" and compiled.deficits_new is None:
        raise ScenarioError(f"{scenario.name}: closure 'given' needs [[deficit]] changes; "
                            "allowed without them: fixed, zero, proportional")
    kwargs: dict[str, Any] = {}
    if tol is not None:
        kwargs["tol"] = tol
    if max_iter is not None:
        kwargs["max_iter"] = max_iter
    if kappa > 0:
        kwargs["labour_supply"] = kappa
    equilibria = solve_batch(compiled.start_economy, compiled.tariffs, deficits=closure,
                             deficits_new=compiled.deficits_new, **kwargs, **compiled.solve_kwargs())
    for step, eq in zip(compiled.steps, equilibria, strict=True):
        raise_if_failed(eq, f"scenario {scenario.name!r}, step {step.label!r}")
    info = {
        "dataset": getattr(baseline, "dataset", None),
        "year": getattr(baseline, "year", None),
        "elasticity": getattr(baseline, "elasticity", None),
        "regions": getattr(baseline, "regions", None),
        "starting_tariffs": compiled.starting_tariffs,
        "horizon": _horizon(baseline),
    }
    if kappa > 0:
        info["labour_supply"] = kappa
    assumptions = [CLOSURE_TEXT[closure]]
    if compiled.closure == "given" and deficits != "fixed":
        assumptions.append(f"closure {deficits!r} requested, but the scenario's deficit changes "
                           "need closure 'given'")
    assumptions.append(RETALIATION_TEXT.get(scenario.retaliation,
                                            f"retaliation: {scenario.retaliation} (registered rule)"))
    assumptions.append("'goods' = every sector but services; tariffs are fractions")
    if kappa > 0:
        assumptions.append(f"elastic labour supply: employment = (real wage)^{kappa:g} (ILMS 2025); "
                           "welfare_pct is the change in real income, welfare_utility_pct nets out "
                           "the disutility of work")
    assumptions.extend(compiled.notes)
    return ScenarioResult(
        scenario=scenario, baseline_info=info,
        steps=tuple((s.label, s.date, eq) for s, eq in zip(compiled.steps, equilibria, strict=True)),
        closure=closure, assumptions=tuple(dict.fromkeys(assumptions)),
        main_countries=compiled.main_countries, compiled=compiled,
        region_members=getattr(baseline, "region_members", None), labour_supply=kappa,
    )
