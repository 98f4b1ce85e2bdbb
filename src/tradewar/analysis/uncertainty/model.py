"""What one draw of a sweep solves: a scenario's final step or a coalition game's grand
coalition at other trade elasticities (the jobs and the task the run layer runs in chunks)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import TradewarError, UserInputError
from ...model import solve_batch
from ...options import DeficitClosure
from ..coalitions import CoalitionGame, answer_tariffs, leverage, solve_kwargs, world_tariffs
from ..coalitions.model import world_blocked
from ..start import StartPoint
from .draws import Draw, DrawBlock

if TYPE_CHECKING:
    from ...data import Baseline

_SCHEMA = "sweep-1"


class DrawFailed(Exception):
    def __init__(self, message: str, iterations: int = 0):
        super().__init__(message)
        self.iterations = iterations


def check_converged(eqs: Sequence[Any]) -> int:
    iterations = max(eq.diagnostics.iterations for eq in eqs)
    for eq in eqs:
        d = eq.diagnostics
        if not d.converged:
            raise DrawFailed(f"not converged after {d.iterations} iterations (largest residual "
                              f"{d.max_residual:.2e}) {d.message}".strip(), iterations)
    return iterations


def trade_pct(before: np.ndarray, after: np.ndarray, exporter: int, importer: int) -> float:
    return float((after[importer, exporter].sum() / before[importer, exporter].sum() - 1.0) * 100.0)


@dataclass(frozen=True, eq=False)
class ScenarioJob:
    """A scenario's final step, compiled once; ``recompile`` when its tariffs depend on θ
    (a registered retaliation rule such as ``optimal``)."""

    name: str
    start: StartPoint
    tariffs: np.ndarray
    closure: str
    deficits_new: np.ndarray | None
    countries: tuple[str, ...]
    pair: tuple[int, int] | None
    recompile: tuple[Any, Any, Any] | None = None
    tol: float | None = None
    max_iter: int | None = None
    backend: str = "numpy"
    schema: str = _SCHEMA

    def keys(self) -> list[str]:
        keys = [f"welfare_pct.{c}" for c in self.countries]
        if self.pair is not None:
            a, b = (self.countries[i] for i in self.pair)
            keys += [f"trade_pct.{a}->{b}", f"trade_pct.{b}->{a}"]
        return keys

    def evaluate(self, theta: np.ndarray) -> tuple[dict[str, float], int]:
        tariffs, closure, deficits_new = self.tariffs, self.closure, self.deficits_new
        if self.recompile is not None:
            from ...scenario import compile_tariffs

            baseline, scenario, data_dir = self.recompile
            economy = dataclasses.replace(baseline.economy, theta=theta)
            compiled = compile_tariffs(scenario, dataclasses.replace(baseline, economy=economy),
                                       data_dir=data_dir)
            start, tariffs = compiled.start_economy, compiled.tariffs[-1]
            closure, deficits_new = compiled.closure or closure, compiled.deficits_new
            # non-tariff instruments of the final step (a deep agreement's iceberg cut depends on theta)
            nontariff = {k: v[-1] for k, v in compiled.solve_kwargs().items()}
        else:
            start = self.start.at(theta)
            nontariff = {}
        eqs = solve_batch(start, tariffs, deficits=closure, deficits_new=deficits_new,
                          **solve_kwargs(self), **nontariff)
        iterations = check_converged(eqs)
        eq = eqs[0]
        values = {f"welfare_pct.{c}": float(w) for c, w in zip(self.countries, eq.welfare_pct, strict=True)}
        if self.pair is not None:
            a, b = self.pair
            before = eq.reference.flows
            values[f"trade_pct.{self.countries[a]}->{self.countries[b]}"] = trade_pct(before, eq.flows, a, b)
            values[f"trade_pct.{self.countries[b]}->{self.countries[a]}"] = trade_pct(before, eq.flows, b, a)
        return values, iterations


@dataclass(frozen=True, eq=False)
class CoalitionJob:
    """The grand coalition of a :class:`CoalitionGame` at reliability ``reliability``."""

    game: CoalitionGame
    reliability: float
    tol: float | None = None
    max_iter: int | None = None
    backend: str = "numpy"
    schema: str = _SCHEMA

    @property
    def countries(self) -> tuple[str, ...]:
        return self.game.countries

    def keys(self) -> list[str]:
        g = self.game
        lead, tgt = g.countries[g.leader], g.countries[g.target]
        return (["leverage", "coalition_gains", "target_loss_musd", "coalition_loss_musd"]
                + [f"welfare_pct.{c}" for c in g.countries]
                + [f"trade_pct.{lead}->{tgt}", f"trade_pct.{tgt}->{lead}"])

    def evaluate(self, theta: np.ndarray) -> tuple[dict[str, float], int]:
        try:
            game = self.game.with_theta(theta)
        except TradewarError as exc:
            raise DrawFailed(f"status quo: {exc}") from None
        full = 2 ** game.n - 1
        states = (0, 1) if game.ally_tariffs is not None else (0,)
        tariffs = np.stack([answer_tariffs(game, world_tariffs(game, full, bool(r)), full) for r in states])
        ban = world_blocked(game, full)
        extra: dict[str, Any] = {} if ban is None else {"blocked": np.stack([ban] * len(states))}
        eqs = solve_batch(game.economy, tariffs, deficits=game.deficits, **solve_kwargs(self), **extra)
        iterations = check_converged(eqs)
        p = self.reliability if len(eqs) == 2 else 0.0
        income = game.economy.income
        usd = [(eq.real_income_hat - 1.0) * income for eq in eqs]
        change = p * usd[-1] + (1.0 - p) * usd[0]
        target_loss = float(-change[game.target])
        coalition_loss = float(-change[game.member_economies(full)].sum())
        lev, gains = leverage(target_loss, coalition_loss)
        values = {"leverage": lev, "coalition_gains": float(gains),
                  "target_loss_musd": target_loss, "coalition_loss_musd": coalition_loss}
        values |= {f"welfare_pct.{c}": float(v) for c, v in zip(game.countries, change / income * 100.0, strict=True)}
        a, b = game.leader, game.target
        before = game.economy.flows
        for x, y in ((a, b), (b, a)):
            pcts = [trade_pct(before, eq.flows, x, y) for eq in eqs]
            values[f"trade_pct.{game.countries[x]}->{game.countries[y]}"] = p * pcts[-1] + (1 - p) * pcts[0]
        return values, iterations


def sweep_task(job: Any, draws: Sequence[Draw] | DrawBlock) -> list[dict[str, Any]]:
    """Task of the run layer: one row per draw (failures as rows with their error); a
    :class:`DrawBlock` is turned into its draws here, in the worker."""
    rows = []
    for d in (draws.draws() if isinstance(draws, DrawBlock) else draws):
        row: dict[str, Any] = {"draw": d.draw, "kind": d.kind, "elasticity_set": d.elasticity_set,
                               "seed": d.seed, "converged": True, "iterations": 0, "error": ""}
        try:
            values, row["iterations"] = job.evaluate(d.theta)
        except (DrawFailed, TradewarError, FloatingPointError, np.linalg.LinAlgError) as exc:
            row["converged"] = False
            row["iterations"] = getattr(exc, "iterations", 0)
            row["error"] = str(exc) if isinstance(exc, DrawFailed) else f"{type(exc).__name__}: {exc}"
            values = dict.fromkeys(job.keys(), math.nan)
        rows.append(row | values)
    return rows


def scenario_job(baseline: Baseline, what: Any, deficits: DeficitClosure, data_dir: Any, **kw: Any) -> ScenarioJob:
    from ...scenario import compile_tariffs, resolve_scenario

    scenario = resolve_scenario(what)
    compiled = compile_tariffs(scenario, baseline, data_dir=data_dir)
    closure = compiled.closure or deficits
    if closure == "given" and compiled.deficits_new is None:
        raise UserInputError(f"{scenario.name}: closure 'given' needs [[deficit]] changes")
    countries = compiled.start_economy.countries
    main = [countries.index(c) for c in compiled.main_countries]
    raw = baseline.economy if compiled.start_method == "counterfactual" else None
    start = StartPoint(economy=compiled.start_economy, start=compiled.start, method=compiled.start_method,
                       text=compiled.starting_tariffs, raw=raw)
    recompile = None
    if scenario.retaliation not in ("none", "mirror") or compiled.solve_kwargs():
        # recompiled per draw: rules and deep agreements (exp(-beta/theta)) depend on theta
        recompile = (baseline, scenario, data_dir)
    return ScenarioJob(name=scenario.name, start=start, tariffs=compiled.tariffs[-1],
                        closure=closure, deficits_new=compiled.deficits_new, countries=countries,
                        pair=(main[0], main[1]) if len(main) >= 2 else None, recompile=recompile, **kw)
