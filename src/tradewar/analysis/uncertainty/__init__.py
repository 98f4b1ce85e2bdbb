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

The package: ``draws`` (the distribution), ``model`` (what one draw solves; the task),
``results`` (:class:`SweepResult`), ``analysis`` (:func:`sweep`, through the run layer).
Figures: :func:`tradewar.report.sweep_figures`.
"""

from .analysis import sweep
from .draws import DISTRIBUTION_TEXT, SIGMA, Draw, check_sets, elasticity_draws
from .model import CoalitionJob, DrawFailed, ScenarioJob, scenario_job, sweep_task
from .results import BAND, ROW_KEYS, SWEEP_JSON_KEYS, SweepResult

__all__ = ["BAND", "DISTRIBUTION_TEXT", "ROW_KEYS", "SIGMA", "SWEEP_JSON_KEYS", "CoalitionJob", "Draw",
           "DrawFailed", "ScenarioJob", "SweepResult", "check_sets", "elasticity_draws",
           "scenario_job", "sweep", "sweep_task"]
