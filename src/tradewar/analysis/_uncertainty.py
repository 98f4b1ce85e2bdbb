"""Uncertainty: any scenario, or the coalition analysis, over trade-elasticity draws.

The distribution (docs/coalitions.md, "Uncertainty"):

* the published sets first: one row per set (``kind = "published"``, ``seed = -1``), θ as
  published;
* then ``draws`` random draws (``kind = "random"``): draw ``k`` gets its own seed
  ``spawn_seeds(seed, draws)[k]`` (``numpy.random.SeedSequence.spawn``); its generator picks
  one of the sets uniformly and multiplies every sector's θ by an independent log-normal
  factor ``exp(sigma z)``, ``z ~ N(0, 1)``, ``sigma = 0.25`` (median factor 1; 90 % of the
  factors within ×0.66–×1.51).

Each draw is solved on its own economy (θ changes the model, so draws cannot share one
batch); draws are grouped in chunks of a size fixed by the problem (never by the number of
workers), so results are identical whatever runs them: serially, on local processes or on a
Dask cluster. A draw that fails (no convergence, or an error) is a row with its ``error``,
counted in ``counts["failed"]`` and listed in ``failed``; bands use the converged draws.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import TradewarError, UserInputError
from ..model import Economy, solve_batch
from ..options import DEFICIT_CLOSURES, ELASTICITY_SETS
from ._coalitions import (
    CoalitionGame,
    StartPoint,
    _answer,
    _solve_kwargs,
    coalition_game,
    leverage,
    local_workers,
    seconds_per_solve,
    world_tariffs,
)

#: Standard deviation of the log of each sector's multiplicative θ factor.
SIGMA = 0.25
#: Keys of :meth:`SweepResult.to_json` (stable contract).
SWEEP_JSON_KEYS: tuple[str, ...] = ("what", "kind", "baseline", "distribution", "counts",
                                    "summary", "published", "failed", "solver")
#: Columns every row of a sweep has, before its values.
ROW_KEYS: tuple[str, ...] = ("draw", "kind", "elasticity_set", "seed", "converged", "iterations",
                             "error")
#: Quantiles of the bands.
BAND = (5.0, 95.0)
_SCHEMA = "sweep-1"

DISTRIBUTION_TEXT = (
    "one row per published elasticity set, then N random draws: draw k is seeded with "
    "SeedSequence(seed).spawn(N)[k]; it picks one of the sets uniformly and multiplies every "
    "sector's theta by an independent log-normal factor exp(sigma z), z ~ N(0, 1) (median 1)")


@dataclass(frozen=True, eq=False)
class Draw:
    """One set of trade elasticities: ``theta`` (J,), where it came from and its seed."""

    draw: int
    kind: str
    elasticity_set: str
    seed: int
    theta: np.ndarray


def _sets(elasticities: Mapping[str, np.ndarray], sets: str | Sequence[str]) -> list[str]:
    if isinstance(sets, str):
        sets = list(elasticities) if sets == "all" else [s.strip() for s in sets.split(",")]
    sets = list(dict.fromkeys(sets))
    for name in sets:
        if name not in elasticities:
            allowed = [s for s in ELASTICITY_SETS if s in elasticities]
            raise UserInputError(f"elasticities: unknown set {name!r}; allowed: 'all' or a comma "
                                 f"list of {', '.join(allowed)}")
    if not sets:
        raise UserInputError("elasticities: no set; allowed: 'all' or a comma list of set names")
    return sets


def elasticity_draws(elasticities: Mapping[str, np.ndarray], *, sets: str | Sequence[str] = "all",
                     draws: int = 100, seed: int = 0, sigma: float = SIGMA,
                     published: bool = True) -> list[Draw]:
    """The published sets (if ``published``) and ``draws`` random draws around them (see
    the module docstring). Deterministic in ``seed``; draw ``k`` depends only on its seed."""
    from ..run import spawn_seeds

    names = _sets(elasticities, sets)
    if not isinstance(draws, int) or isinstance(draws, bool) or draws < 0:
        raise UserInputError(f"draws: {draws!r}; allowed: a non-negative integer")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise UserInputError(f"seed: {seed!r}; allowed: a non-negative integer")
    if not (isinstance(sigma, int | float) and math.isfinite(sigma) and sigma >= 0):
        raise UserInputError(f"sigma: {sigma!r}; allowed: a non-negative number")
    out = []
    if published:
        out = [Draw(k, "published", name, -1, np.asarray(elasticities[name], dtype=np.float64))
               for k, name in enumerate(names)]
    start = len(out)
    for k, child in enumerate(spawn_seeds(seed, draws)):
        rng = np.random.default_rng(child)
        name = names[int(rng.integers(len(names)))]
        base = np.asarray(elasticities[name], dtype=np.float64)
        theta = base * np.exp(sigma * rng.standard_normal(base.shape))
        out.append(Draw(start + k, "random", name, int(child), theta))
    if not out:
        raise UserInputError("draws: nothing to run (no published set and draws = 0)")
    return out


# ---------------------------------------------------------------------------------------------
# what one draw computes
# ---------------------------------------------------------------------------------------------
class _DrawFailed(Exception):
    def __init__(self, message: str, iterations: int = 0):
        super().__init__(message)
        self.iterations = iterations


def _check(eqs: Sequence[Any]) -> int:
    iterations = max(eq.diagnostics.iterations for eq in eqs)
    for eq in eqs:
        d = eq.diagnostics
        if not d.converged:
            raise _DrawFailed(f"not converged after {d.iterations} iterations (largest residual "
                              f"{d.max_residual:.2e}) {d.message}".strip(), iterations)
    return iterations


def _trade_pct(before: np.ndarray, after: np.ndarray, exporter: int, importer: int) -> float:
    return float((after[importer, exporter].sum() / before[importer, exporter].sum() - 1.0) * 100.0)


@dataclass(frozen=True, eq=False)
class _ScenarioJob:
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
            from ..scenario import compile_tariffs

            baseline, scenario, data_dir = self.recompile
            economy = dataclasses.replace(baseline.economy, theta=theta)
            compiled = compile_tariffs(scenario, dataclasses.replace(baseline, economy=economy),
                                       data_dir=data_dir)
            start, tariffs = compiled.start_economy, compiled.tariffs[-1]
            closure, deficits_new = compiled.closure or closure, compiled.deficits_new
        else:
            start = self.start.at(theta)
        eqs = solve_batch(start, tariffs, deficits=closure, deficits_new=deficits_new,
                          **_solve_kwargs(self))
        iterations = _check(eqs)
        eq = eqs[0]
        values = {f"welfare_pct.{c}": float(w) for c, w in zip(self.countries, eq.welfare_pct, strict=True)}
        if self.pair is not None:
            a, b = self.pair
            before = eq.reference.flows
            values[f"trade_pct.{self.countries[a]}->{self.countries[b]}"] = _trade_pct(before, eq.flows, a, b)
            values[f"trade_pct.{self.countries[b]}->{self.countries[a]}"] = _trade_pct(before, eq.flows, b, a)
        return values, iterations


@dataclass(frozen=True, eq=False)
class _CoalitionJob:
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
            raise _DrawFailed(f"status quo: {exc}") from None
        full = 2 ** game.n - 1
        states = (0, 1) if game.ally_tariffs is not None else (0,)
        tariffs = np.stack([_answer(game, world_tariffs(game, full, bool(r)), full) for r in states])
        eqs = solve_batch(game.economy, tariffs, deficits=game.deficits, **_solve_kwargs(self))
        iterations = _check(eqs)
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
            pcts = [_trade_pct(before, eq.flows, x, y) for eq in eqs]
            values[f"trade_pct.{game.countries[x]}->{game.countries[y]}"] = p * pcts[-1] + (1 - p) * pcts[0]
        return values, iterations


def sweep_task(job: Any, draws: Sequence[Draw]) -> list[dict[str, Any]]:
    """Task of the run layer: one row per draw (failures as rows with their error)."""
    rows = []
    for d in draws:
        row: dict[str, Any] = {"draw": d.draw, "kind": d.kind, "elasticity_set": d.elasticity_set,
                               "seed": d.seed, "converged": True, "iterations": 0, "error": ""}
        try:
            values, row["iterations"] = job.evaluate(d.theta)
        except (_DrawFailed, TradewarError, FloatingPointError, np.linalg.LinAlgError) as exc:
            row["converged"] = False
            row["iterations"] = getattr(exc, "iterations", 0)
            row["error"] = str(exc) if isinstance(exc, _DrawFailed) else f"{type(exc).__name__}: {exc}"
            values = dict.fromkeys(job.keys(), math.nan)
        rows.append(row | values)
    return rows


# ---------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------
def _num(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass(frozen=True, eq=False)
class SweepResult:
    """The rows of a sweep (one per draw, failed ones included) and their summaries.

    Attributes
    ----------
    what : str
        The scenario's name, or ``"coalitions"``.
    kind : {"scenario", "coalitions"}
    frame : DataFrame
        One row per draw: :data:`ROW_KEYS`, then ``welfare_pct.<economy>`` (% change in real
        income), ``trade_pct.<A>-><B>`` (% change of A's exports to B, all sectors, producer
        prices) and, for coalitions, ``leverage``, ``coalition_gains`` (1/0),
        ``target_loss_musd``, ``coalition_loss_musd``.
    central_set : str
        The baseline's own elasticity set (its published row is the ``central`` value).
    """

    what: str
    kind: str
    frame: pd.DataFrame
    central_set: str
    info: dict[str, Any]
    distribution: dict[str, Any]
    seconds: float = 0.0
    backend: str = "serial"
    resumed_chunks: int = 0
    chunks: int = 0
    directory: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def value_columns(self) -> list[str]:
        return [c for c in self.frame.columns if c not in ROW_KEYS]

    def failed_draws(self) -> pd.DataFrame:
        """Rows of the draws that failed, with their error."""
        return self.frame.loc[~self.frame["converged"].astype(bool), list(ROW_KEYS)]

    def published(self) -> pd.DataFrame:
        """Values under each published set (rows: set; columns: value columns)."""
        pub = self.frame[self.frame["kind"] == "published"]
        return pub.set_index("elasticity_set")[self.value_columns]

    def summary(self) -> pd.DataFrame:
        """Per value column: median, 5-95 % band, min, max, n (converged draws, published and
        random), and the ``central`` value under the baseline's own set."""
        ok = self.frame[self.frame["converged"].astype(bool)]
        central = self.frame[(self.frame["kind"] == "published")
                             & (self.frame["elasticity_set"] == self.central_set)]
        rows = {}
        for col in self.value_columns:
            x = ok[col].to_numpy(dtype=np.float64)
            x = x[~np.isnan(x)]
            c = float(central[col].iloc[0]) if len(central) else math.nan
            if len(x):
                lo, med, hi = np.percentile(x, [BAND[0], 50.0, BAND[1]])
                rows[col] = {"median": med, "p05": lo, "p95": hi, "min": x.min(), "max": x.max(),
                             "n": len(x), "central": c}
            else:
                rows[col] = {"median": math.nan, "p05": math.nan, "p95": math.nan, "min": math.nan,
                             "max": math.nan, "n": 0, "central": c}
        return pd.DataFrame.from_dict(rows, orient="index")

    def to_json(self) -> dict[str, Any]:
        """Plain JSON with keys :data:`SWEEP_JSON_KEYS` (NaN and inf as null)."""
        summary = self.summary()
        grouped: dict[str, dict[str, Any]] = {}
        for col, row in summary.iterrows():
            group, _, name = str(col).partition(".")
            entry = {k: (int(row[k]) if k == "n" else _num(row[k]))
                     for k in ("median", "p05", "p95", "central", "min", "max", "n")}
            if name:
                grouped.setdefault(group, {})[name] = entry
            else:
                grouped[group] = entry
        published: dict[str, dict[str, Any]] = {}
        for name, row in self.published().iterrows():
            published[str(name)] = {str(k): _num(v) for k, v in row.items()}
        failed = self.failed_draws()
        kinds = self.frame["kind"].value_counts()
        return {
            "what": self.what,
            "kind": self.kind,
            "baseline": dict(self.info),
            "distribution": dict(self.distribution),
            "counts": {"published": int(kinds.get("published", 0)), "random": int(kinds.get("random", 0)),
                       "total": len(self.frame), "failed": len(failed)},
            "summary": grouped,
            "published": published,
            "failed": [{"draw": int(r.draw), "kind": r.kind, "elasticity_set": r.elasticity_set,
                        "seed": int(r.seed), "error": r.error} for r in failed.itertuples()],
            "solver": {"seconds": self.seconds, "backend": self.backend, "chunks": self.chunks,
                       "resumed_chunks": self.resumed_chunks, "checkpoint": self.directory},
            "notes": list(self.notes),
        }

    def figures(self) -> list[tuple[str, Any]]:
        """Welfare bands by economy, the main pair's trade, and leverage (coalitions)."""
        import plotly.graph_objects as go

        summary = self.summary()
        pub = self.published()
        welfare = summary[summary.index.str.startswith("welfare_pct.")].sort_values("median")
        names = [c.split(".", 1)[1] for c in welfare.index]
        fig = go.Figure()
        fig.add_scatter(x=welfare["median"], y=names, mode="markers", name="median",
                        error_x={"type": "data", "symmetric": False,
                                 "array": welfare["p95"] - welfare["median"],
                                 "arrayminus": welfare["median"] - welfare["p05"]})
        for name, row in pub.iterrows():
            fig.add_scatter(x=[row[c] for c in welfare.index], y=names, mode="markers",
                            name=f"{name} (published)", marker={"size": 5, "symbol": "line-ns-open"},
                            visible="legendonly" if name != self.central_set else True)
        fig.update_layout(xaxis_title="welfare: % change in real income (median, 5-95 % band)",
                          height=max(400, 160 + 26 * len(names)), yaxis={"dtick": 1})
        figures = [(f"{self.what}: welfare over elasticity draws", fig)]
        trade = [c for c in self.value_columns if c.startswith("trade_pct.")]
        ok = self.frame[self.frame["converged"].astype(bool)]
        if trade:
            fig2 = go.Figure()
            for col in trade:
                fig2.add_histogram(x=ok[col], name=col.split(".", 1)[1], opacity=0.6)
            fig2.update_layout(barmode="overlay", xaxis_title="% change in bilateral exports",
                               yaxis_title="draws")
            figures.append(("Trade of the main pair over the draws", fig2))
        if "leverage" in self.frame:
            lev = ok["leverage"][np.isfinite(ok["leverage"])]
            fig3 = go.Figure(go.Histogram(x=lev))
            fig3.update_layout(xaxis_title="leverage of the grand coalition", yaxis_title="draws")
            figures.append(("Leverage of the grand coalition over the draws", fig3))
        return figures


# ---------------------------------------------------------------------------------------------
# orchestration
# ---------------------------------------------------------------------------------------------
def _chunk_size(economy: Economy, per_draw: float) -> int:
    """Draws per chunk, from the problem size only (never from the number of workers, so that
    every backend solves the same chunks): about 0.25 s of work, 1 to 50 draws."""
    seconds = seconds_per_solve(economy, batched=False) * per_draw
    return int(min(50, max(1, math.ceil(0.25 / seconds))))


def _scenario_job(baseline: Any, what: Any, deficits: str, data_dir: Any, **kw: Any) -> _ScenarioJob:
    from ..scenario import compile_tariffs, resolve_scenario

    scenario = resolve_scenario(what)
    compiled = compile_tariffs(scenario, baseline, data_dir=data_dir)
    closure = compiled.closure or deficits
    if closure == "given" and compiled.deficits_new is None:
        raise UserInputError(f"{scenario.name}: closure 'given' needs [[deficit]] changes")
    countries = compiled.start_economy.countries
    main = [countries.index(c) for c in compiled.main_countries]
    raw = baseline.economy if compiled.start_method == "counterfactual" else None
    start = StartPoint(compiled.start_economy, compiled.start_method, compiled.starting_tariffs, raw)
    recompile = None
    if scenario.retaliation not in ("none", "mirror"):
        recompile = (baseline, scenario, data_dir)
    return _ScenarioJob(name=scenario.name, start=start, tariffs=compiled.tariffs[-1],
                        closure=closure, deficits_new=compiled.deficits_new, countries=countries,
                        pair=(main[0], main[1]) if len(main) >= 2 else None, recompile=recompile, **kw)


def sweep(
    baseline: Any,
    what: Any,
    *,
    elasticities: str | Sequence[str] = "all",
    draws: int = 100,
    seed: int = 0,
    sigma: float = SIGMA,
    scheduler: str | None = None,
    workers: int | None = None,
    checkpoint_dir: Path | str | None = None,
    progress: Any = False,
    chunk_size: int | None = None,
    deficits: str = "fixed",
    reliability: float = 1.0,
    backend: str = "numpy",
    tol: float | None = None,
    max_iter: int | None = None,
    data_dir: Any = None,
    **coalition_options: Any,
) -> SweepResult:
    """Re-run ``what`` over the published elasticity sets and ``draws`` random draws.

    Parameters
    ----------
    baseline : Baseline
        Needs ``.economy`` and ``.elasticities`` (the published sets).
    what : str, path or Scenario
        A built-in scenario name, a TOML path, a :class:`~tradewar.scenario.Scenario`, or
        ``"coalitions"``: the grand coalition of :func:`coalition_game` (options in
        ``coalition_options``: leader, target, allies, tariff, sectors, retaliation,
        us_tariffs_on_allies, start) at ``reliability``.
    elasticities : "all" or list of set names
        The published sets included, and drawn around.
    draws, seed, sigma
        Random draws around the sets (module docstring).
    scheduler, workers, checkpoint_dir, progress
        As :func:`tradewar.run.run_chunks`; the checkpoint key is a hash of every input. A
        local run estimated under 10 s stays in this process unless ``workers`` is given.
    chunk_size : int, optional
        Draws per chunk (default from the problem size; never from the workers).

    Returns
    -------
    SweepResult (failed draws are rows with their error).
    """
    from ..run import chunk, fingerprint, run_chunks

    elastic = getattr(baseline, "elasticities", None)
    if not elastic:
        raise UserInputError("sweep needs a baseline with its published elasticity sets "
                             "(tradewar.data.load_baseline)")
    if deficits not in DEFICIT_CLOSURES or deficits == "given":
        raise UserInputError(f"deficits: {deficits!r}; allowed: fixed, zero, proportional")
    if backend not in ("numpy", "jax"):
        raise UserInputError(f"backend: {backend!r}; allowed: numpy, jax")
    job: _ScenarioJob | _CoalitionJob
    if isinstance(what, str) and what == "coalitions":
        if not 0.0 <= float(reliability) <= 1.0:
            raise UserInputError(f"reliability: {reliability}; allowed: a probability in [0, 1]")
        game = coalition_game(baseline, data_dir=data_dir, deficits=deficits, **coalition_options)
        job = _CoalitionJob(game, float(reliability), tol=tol, max_iter=max_iter, backend=backend)
        name, kind, per_draw = "coalitions", "coalitions", 2.0 if game.ally_tariffs is not None else 1.0
        if game.retaliation == "optimal":
            per_draw = 1e4
        economy = game.economy
    else:
        if coalition_options:
            raise UserInputError(f"options {sorted(coalition_options)} apply to 'coalitions' only")
        job = _scenario_job(baseline, what, deficits, data_dir, tol=tol, max_iter=max_iter,
                            backend=backend)
        name, kind, per_draw = job.name, "scenario", 1.0 if job.recompile is None else 1e4
        economy = job.start.economy
    items = elasticity_draws(elastic, sets=elasticities, draws=draws, seed=seed, sigma=sigma)
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
        raise UserInputError(f"chunk_size: {chunk_size!r}; allowed: a positive integer")
    chunks = chunk(items, chunk_size or _chunk_size(economy, per_draw))
    estimate = len(items) * seconds_per_solve(economy, batched=False) * per_draw
    workers = local_workers(workers, scheduler, estimate)
    key = f"sweep-{fingerprint(job, chunks)}"
    outcome = run_chunks(sweep_task, job, chunks, scheduler=scheduler, workers=workers,
                         checkpoint_dir=checkpoint_dir, run_key=key, progress=progress,
                         description=f"{len(items)} draws")
    frame = outcome.frame
    lost = []
    for index, message in outcome.failed:
        for d in chunks[index]:
            lost.append({"draw": d.draw, "kind": d.kind, "elasticity_set": d.elasticity_set,
                         "seed": d.seed, "converged": False, "iterations": 0,
                         "error": f"chunk failed: {message}"} | dict.fromkeys(job.keys(), math.nan))
    if lost:
        frame = pd.concat([frame, pd.DataFrame(lost)], ignore_index=True) if len(frame) else pd.DataFrame(lost)
        frame = frame.sort_values("draw", kind="stable").reset_index(drop=True)
    frame = frame[list(ROW_KEYS) + job.keys()]
    distribution = {"sets": _sets(elastic, elasticities), "draws": draws, "seed": seed,
                    "sigma": sigma, "text": DISTRIBUTION_TEXT}
    info = {k: getattr(baseline, k, None) for k in ("dataset", "year", "elasticity", "regions")}
    notes = [DISTRIBUTION_TEXT, "bands: 5th-95th percentile of the converged rows (published "
             "sets and random draws); failed draws are rows with their error"]
    if kind == "coalitions":
        notes += list(job.game.notes)  # type: ignore[union-attr]
    return SweepResult(what=name, kind=kind, frame=frame, central_set=getattr(baseline, "elasticity", "IS"),
                       info=info, distribution=distribution, seconds=outcome.seconds,
                       backend=outcome.backend, resumed_chunks=outcome.resumed_chunks,
                       chunks=len(chunks), directory=str(outcome.directory) if outcome.directory else None,
                       notes=tuple(notes))
