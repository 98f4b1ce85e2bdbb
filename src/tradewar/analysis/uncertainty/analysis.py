"""Orchestration of a sweep through the run layer (:func:`sweep`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...errors import UserInputError
from ...options import DEFICIT_CLOSURES, DeficitClosure
from ..coalitions import coalition_game
from .draws import DISTRIBUTION_TEXT, SIGMA, check_sets, draw_blocks
from .model import CoalitionJob, ScenarioJob, scenario_job, sweep_task
from .results import ROW_KEYS, SweepResult

if TYPE_CHECKING:
    from ...data import Baseline


def sweep(
    baseline: Baseline,
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
    deficits: DeficitClosure = "fixed",
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
    from ...run import fingerprint, run_chunks
    from ...run.sizing import draws_per_chunk, local_workers, seconds_per_solve

    elastic = getattr(baseline, "elasticities", None)
    if not elastic:
        raise UserInputError("sweep needs a baseline with its published elasticity sets "
                             "(tradewar.data.load_baseline)")
    if deficits not in DEFICIT_CLOSURES or deficits == "given":
        raise UserInputError(f"deficits: {deficits!r}; allowed: fixed, zero, proportional")
    if backend not in ("numpy", "jax"):
        raise UserInputError(f"backend: {backend!r}; allowed: numpy, jax")
    job: ScenarioJob | CoalitionJob
    if isinstance(what, str) and what == "coalitions":
        if not 0.0 <= float(reliability) <= 1.0:
            raise UserInputError(f"reliability: {reliability}; allowed: a probability in [0, 1]")
        game = coalition_game(baseline, data_dir=data_dir, deficits=deficits, **coalition_options)
        job = CoalitionJob(game, float(reliability), tol=tol, max_iter=max_iter, backend=backend)
        name, kind, per_draw = "coalitions", "coalitions", 2.0 if game.ally_tariffs is not None else 1.0
        if game.retaliation == "optimal":
            per_draw = 1e4
        economy = game.economy
    else:
        if coalition_options:
            raise UserInputError(f"options {sorted(coalition_options)} apply to 'coalitions' only")
        job = scenario_job(baseline, what, deficits, data_dir, tol=tol, max_iter=max_iter,
                            backend=backend)
        name, kind, per_draw = job.name, "scenario", 1.0 if job.recompile is None else 1e4
        economy = job.start.economy
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
        raise UserInputError(f"chunk_size: {chunk_size!r}; allowed: a positive integer")
    # blocks of rows made where they are solved: draws stream, never all in memory (issue 14)
    chunks = draw_blocks(elastic, sets=elasticities, draws=draws, seed=seed, sigma=sigma,
                         size=chunk_size or draws_per_chunk(economy, per_draw))
    n_rows = chunks[-1].stop
    estimate = n_rows * seconds_per_solve(economy, batched=False) * per_draw
    workers = local_workers(workers, scheduler, estimate)
    key = f"sweep-{fingerprint(job, chunks)}"
    outcome = run_chunks(sweep_task, job, chunks, scheduler=scheduler, workers=workers,
                         checkpoint_dir=checkpoint_dir, run_key=key, progress=progress,
                         description=f"{n_rows} draws")
    frame = outcome.frame
    lost = []
    for index, message in outcome.failed:
        for d in chunks[index].draws():
            lost.append({"draw": d.draw, "kind": d.kind, "elasticity_set": d.elasticity_set,
                         "seed": d.seed, "converged": False, "iterations": 0,
                         "error": f"chunk failed: {message}"} | dict.fromkeys(job.keys(), math.nan))
    if lost:
        frame = pd.concat([frame, pd.DataFrame(lost)], ignore_index=True) if len(frame) else pd.DataFrame(lost)
        frame = frame.sort_values("draw", kind="stable").reset_index(drop=True)
    frame = frame[list(ROW_KEYS) + job.keys()]
    distribution = {"sets": check_sets(elastic, elasticities), "draws": draws, "seed": seed,
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
