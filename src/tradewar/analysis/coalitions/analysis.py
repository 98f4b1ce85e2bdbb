"""Orchestration: solve every coalition's worlds through the run layer (:func:`coalition_analysis`)."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import NonConvergenceError, UserInputError, check_choice
from .compile import coalition_game
from .model import CHUNK, WorldsJob, solve_worlds, worlds
from .results import CoalitionResult
from .spec import MAX_ALLIES, CoalitionGame

if TYPE_CHECKING:
    from ...data import Baseline


def seconds_per_coalition(game: CoalitionGame, sample: int = 8, backend: str = "numpy") -> float:
    """Measured wall seconds per coalition (all its worlds) on this machine, from ``sample``
    coalitions (one for ``optimal`` retaliation, the cheapest: the leader alone)."""
    rng = np.random.default_rng(0)
    if game.retaliation == "optimal":
        masks = [0]
    else:
        masks = [int(m) for m in rng.integers(0, 2 ** min(game.n, 62), size=sample)]
    items = [(m, r) for m in masks for r in ((0, 1) if game.ally_tariffs is not None else (0,))]
    begin = time.perf_counter()
    solve_worlds(WorldsJob(game, backend=backend), items)
    return (time.perf_counter() - begin) / len(masks)


def check_size(game: CoalitionGame, force: bool, workers: int | None = None) -> None:
    """Refuse more than :data:`MAX_ALLIES` allies unless ``force``, with a measured estimate."""
    if game.n <= MAX_ALLIES or force:
        return
    per = seconds_per_coalition(game)
    from ...run.sizing import available_cpus, duration_text

    cpus = workers or available_cpus()
    total = per * 2 ** game.n / max(cpus, 1)
    at_least = " at least" if game.retaliation == "optimal" else ""
    raise UserInputError(
        f"allies: {game.n} allies make {2 ** game.n:,} coalitions: that would take{at_least} about "
        f"{duration_text(total)} here ({per * 1e3:.1f} ms per coalition measured on this machine, "
        f"{cpus} worker(s)); allowed: at most {MAX_ALLIES} allies, or pass --force (force=True)")


def coalition_analysis(
    baseline: Baseline | None = None,
    *,
    game: CoalitionGame | None = None,
    reliability: float = 1.0,
    force: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    checkpoint_dir: Path | str | None = None,
    progress: Any = False,
    backend: str = "numpy",
    raise_on_failure: bool = True,
    tol: float | None = None,
    max_iter: int | None = None,
    **game_options: Any,
) -> CoalitionResult:
    """Solve every coalition of the allies and evaluate leverage, Shapley values, stability.

    Give a ``baseline`` with the options of :func:`coalition_game` (``leader``, ``target``,
    ``allies``, ``tariff``, ``sectors``, ``retaliation``, ``us_tariffs_on_allies``, ``start``,
    ``deficits``), or a compiled ``game``. The 2^n coalitions (each twice when the leader
    tariffs the allies) are solved in batches (``solve_batch``, ``backend``) in chunks through
    :func:`tradewar.run.run_chunks`: local processes by default (``workers``; in this process
    when the estimated work is under :data:`tradewar.run.sizing.SERIAL_BELOW` seconds), a Dask cluster with
    ``scheduler``; ``checkpoint_dir`` keeps finished chunks (resume). ``optimal`` retaliation
    solves the target's best response in every world (0.5-10 s each on g14): keep n small.

    Raises
    ------
    UserInputError
        Bad options; more than :data:`MAX_ALLIES` allies without ``force``; an unreachable
        scheduler.
    NonConvergenceError
        Some coalition did not converge (with ``raise_on_failure``; else recorded in
        ``errors``).
    """
    from ...run import chunk, fingerprint, run_chunks
    from ...run.sizing import local_workers, seconds_per_solve

    if game is None:
        if baseline is None:
            raise UserInputError("coalition_analysis needs a baseline (or a compiled game)")
        game = coalition_game(baseline, **game_options)
    elif game_options:
        raise UserInputError(f"options {sorted(game_options)} are given with a compiled game; "
                             "allowed: one or the other")
    try:
        reliability = float(reliability)
    except (TypeError, ValueError):
        reliability = math.nan
    if not 0.0 <= reliability <= 1.0:
        raise UserInputError(f"reliability: {reliability}; allowed: a probability in [0, 1]")
    check_choice("solver backend", backend, ("numpy", "jax"))
    check_size(game, force, workers)
    items = worlds(game)
    size = 1 if game.retaliation == "optimal" else CHUNK
    per_world = 2.0 if game.retaliation == "optimal" else seconds_per_solve(game.economy)
    workers = local_workers(workers, scheduler, len(items) * per_world)
    chunks = chunk(items, size)
    job = WorldsJob(game, backend=backend, tol=tol, max_iter=max_iter)
    key = f"coalitions-{fingerprint(job, chunks)}"
    outcome = run_chunks(solve_worlds, job, chunks, scheduler=scheduler, workers=workers,
                         checkpoint_dir=checkpoint_dir, run_key=key, progress=progress,
                         description=f"{2 ** game.n} coalitions")
    n_econ = game.economy.n_countries
    rhat = np.full((2 ** game.n, 2, n_econ), np.nan)
    errors = [""] * 2 ** game.n
    frame = outcome.frame
    if len(frame):
        m = frame["mask"].to_numpy()
        r = frame["relief"].to_numpy()
        e = frame["economy"].to_numpy()
        rhat[m, r, e] = frame["real_income_hat"].to_numpy()
        for mask, error in frame.loc[frame["error"] != "", ["mask", "error"]].drop_duplicates("mask").itertuples(index=False):
            errors[int(mask)] = str(error)
    for index, message in outcome.failed:
        for mask, _ in chunks[index]:
            errors[int(mask)] = errors[int(mask)] or f"chunk failed: {message}"
    if game.ally_tariffs is None:
        rhat[:, 1] = rhat[:, 0]
    else:
        rhat[0, 1] = rhat[0, 0]
    for mask in range(2 ** game.n):
        if not errors[mask] and not np.isfinite(rhat[mask]).all():
            errors[mask] = "no result"
    result = CoalitionResult(game=game, reliability=reliability, real_income_hat=rhat,
                             errors=tuple(errors), seconds=outcome.seconds,
                             backend=outcome.backend, resumed_chunks=outcome.resumed_chunks)
    if raise_on_failure and result.failed:
        shown = "; ".join(f"{' + '.join(game.members(m))}: {errors[m]}" for m in result.failed[:3])
        raise NonConvergenceError(f"{len(result.failed)} of {2 ** game.n} coalitions have no "
                                  f"equilibrium result ({shown})")
    return result
