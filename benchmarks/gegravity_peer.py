"""Peer: gegravity's one-sector GE gravity model on its own sample, experiment "CAN–JPN PTA".

Runs the USITC package gegravity (0.3, ``OneSectorGE``) exactly as its documented example
(``examples/examples_OneSectorGE.py``): the 30-country 2006 sample, trade costs
``t^(1−σ) = exp(Xβ)`` from the published PPML estimates (gme's PPML with exporter and
importer fixed effects gives the same slopes to 7 digits: ``estimate=True`` re-estimates them), σ = 5,
reference importer DEU, baseline expenditure proportional to output (E' = φ Y', φ = E/Y from
the data); the experiment sets ``pta = 1`` for CAN→JPN and JPN→CAN.

Besides gegravity's results it extracts the *fitted baseline* gegravity works with, so that
another engine can be run on exactly the same economy (:class:`FittedBaseline`):

* ``flows[importer, exporter]``: gegravity's "baseline modeled trade" (domestic included),
  ``E_j (Y_i/ΣY) t_ij^(1−σ) / (P_j Π_i)^(1−σ)``: its importer sums equal the data E, its
  exporter sums equal the data Y × ΣE/ΣY (= 0.99188 Y), since the data have ΣE ≠ ΣY;
* ``cost_change[importer, exporter]`` = t̂^(1−σ) = experiment / baseline trade cost
  (exp(β_pta) = 1.6018 for the two CAN–JPN pairs, 1 elsewhere);
* ``sigma``, the data ``output`` Y and ``expenditure`` E (gegravity's φ = E/Y).

Note: gegravity's full-GE system keeps the baseline output and expenditure shares in its
multilateral-resistance equations, so its counterfactual is not an exact equilibrium: its
experiment flows miss market clearing by up to ~0.2 % and CAN's welfare (+0.418 %) differs
from the exact solution on the same fitted baseline (+0.431 %, tests/reference/yotov_exact.py)
by ~0.013 points. Compare engines with that in mind.

Run ``python benchmarks/gegravity_peer.py [DATA_DIR] [--write-reference]``; the flag writes
``tests/reference/gegravity_can_jpn.csv`` (this file is its generator).
"""

from __future__ import annotations

import contextlib
import io
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SIGMA = 5.0
REFERENCE_IMPORTER = "DEU"
YEAR = "2006"
COST_VARIABLES = ["lndist", "contiguity", "common_language", "pta", "international", "constant"]
#: PPML estimates of the documented example (gegravity examples/examples_OneSectorGE.py).
PUBLISHED_ESTIMATES = [
    ("lndist", -0.3898623, 0.0729915),
    ("contiguity", 0.891577, 0.1327354),
    ("common_language", 0.0326249, 0.0840702),
    ("pta", 0.4711383, 0.1076578),
    ("international", -3.412584, 0.2151235),
    ("constant", 16.32434, 0.4844137),
]
EXPERIMENT_PAIRS = (("CAN", "JPN"), ("JPN", "CAN"))  # (importer, exporter)
REFERENCE_CSV = Path(__file__).resolve().parents[1] / "tests" / "reference" / "gegravity_can_jpn.csv"

#: gegravity result columns kept (country level), in gegravity's own labels.
HEADLINE_COLUMNS = [
    "factory gate price change (percent)", "omr change (percent)", "imr change (percent)",
    "GDP change (percent)", "welfare statistic", "terms of trade change (percent)",
    "output change (percent)", "expenditure change (percent)",
    "foreign exports change (percent)", "foreign imports change (percent)",
    "intranational trade change (percent)",
]


@dataclass(frozen=True)
class FittedBaseline:
    """The economy gegravity solves, as arrays (``[importer, exporter]``, millions of USD)."""

    countries: tuple[str, ...]
    flows: np.ndarray
    flows_experiment: np.ndarray
    cost_change: np.ndarray
    baseline_trade_cost: np.ndarray
    sigma: float
    output: np.ndarray
    expenditure: np.ndarray

    @property
    def phi(self) -> np.ndarray:
        """gegravity's expenditure/output ratios E/Y (from the data)."""
        return self.expenditure / self.output


@dataclass
class GegravityRun:
    results: pd.DataFrame
    baseline: FittedBaseline
    model: object
    seconds: float


def _load(data_dir: str | Path) -> pd.DataFrame:
    path = Path(data_dir) / "validation" / "gegravity" / "sample_data_set.dlm"
    frame = pd.read_csv(path)
    frame["constant"] = 1
    return frame


def build_model(data_dir: str | Path, *, estimate: bool = False):
    """gegravity's model with its baseline built (data read, cost coefficients set, baseline
    multilateral resistances solved): everything before the experiment. gegravity cannot define
    a second experiment on one model, so every experiment needs a model of its own."""
    import gegravity as ge

    frame = _load(data_dir)
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        baseline = ge.BaselineData(frame, imp_var_name="importer", exp_var_name="exporter",
                                   year_var_name="year", trade_var_name="trade",
                                   expend_var_name="E", output_var_name="Y")
        if estimate:
            import gme

            est_data = gme.EstimationData(frame, imp_var_name="importer", exp_var_name="exporter",
                                          year_var_name="year", trade_var_name="trade")
            rhs = [v for v in COST_VARIABLES if v != "constant"]
            est = gme.EstimationModel(est_data, lhs_var="trade", rhs_var=rhs,
                                      fixed_effects=[["exporter"], ["importer"]])
            est.estimate()
            params = est.results_dict["all"].params
            rows = [(v, float(params[v]), float(est.results_dict["all"].bse[v])) for v in rhs]
            # the constant is absorbed by the fixed effects and only scales the MR terms; keep
            # the example's value so that gegravity's MR solver starts where it converges
            rows += [r for r in PUBLISHED_ESTIMATES if r[0] == "constant"]
        else:
            rows = PUBLISHED_ESTIMATES
        coeffs = ge.CostCoeffs(estimates=pd.DataFrame(rows, columns=["var", "beta", "stderr"]),
                               identifier_col="var", coeff_col="beta", stderr_col="stderr")
        model = ge.OneSectorGE(baseline=baseline, cost_coeff_values=coeffs,
                               cost_variables=COST_VARIABLES, year=YEAR,
                               reference_importer=REFERENCE_IMPORTER, sigma=SIGMA, quiet=True)
        model.build_baseline(omr_rescale=1)
    return model


def simulate_experiment(model) -> None:
    """Define the CAN–JPN PTA on a freshly built ``model`` and simulate it (gegravity's
    ``define_experiment`` + ``simulate``). Raises RuntimeError if gegravity's solver fails."""
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        experiment = model.baseline_data.copy()
        for importer, exporter in EXPERIMENT_PAIRS:
            experiment.loc[(experiment["importer"] == importer)
                           & (experiment["exporter"] == exporter), "pta"] = 1
        model.define_experiment(experiment)
        model.simulate()
    for key, diag in model.solver_diagnostics.items():
        if not diag.success:
            raise RuntimeError(f"gegravity solver {key} did not converge: {diag.message}")


def build_and_simulate(data_dir: str | Path, *, estimate: bool = False):
    """Build gegravity's baseline and simulate the CAN–JPN PTA. Returns (model, seconds), the
    seconds of both (reading the sample file included)."""
    start = time.perf_counter()
    model = build_model(data_dir, estimate=estimate)
    simulate_experiment(model)
    return model, time.perf_counter() - start


def extract_fitted_baseline(model) -> FittedBaseline:
    """gegravity's fitted baseline after ``simulate()`` (see module docstring)."""
    bilateral = model.bilateral_trade_results.reset_index()
    countries = tuple(sorted(set(bilateral["exporter"])))
    idx = {c: k for k, c in enumerate(countries)}
    n = len(countries)

    def square(frame: pd.DataFrame, values: np.ndarray) -> np.ndarray:
        out = np.full((n, n), np.nan)
        out[frame["importer"].map(idx).to_numpy(), frame["exporter"].map(idx).to_numpy()] = values
        if np.isnan(out).any():
            raise RuntimeError("gegravity output is not square")
        return out

    flows = square(bilateral, bilateral["baseline modeled trade"].to_numpy(dtype=float))
    flows_exp = square(bilateral, bilateral["experiment trade"].to_numpy(dtype=float))
    costs = model.bilateral_costs.reset_index()
    base_cost = square(costs, costs["baseline trade cost"].to_numpy(dtype=float))
    cost_change = square(costs, (costs["experiment trade cost"] / costs["baseline trade cost"]).to_numpy(dtype=float))
    oe = model.outputs_expenditures.reindex(list(countries))
    return FittedBaseline(
        countries=countries, flows=flows, flows_experiment=flows_exp, cost_change=cost_change,
        baseline_trade_cost=base_cost, sigma=float(model.sigma),
        output=oe["baseline output"].to_numpy(dtype=float),
        expenditure=oe["baseline expenditure"].to_numpy(dtype=float),
    )


def _results_table(model) -> pd.DataFrame:
    res = model.country_results[HEADLINE_COLUMNS].copy()
    res.insert(0, "welfare change (percent)", 100.0 * (1.0 / res["welfare statistic"] - 1.0))
    oe = model.outputs_expenditures
    for col in ("baseline output", "experiment output", "baseline expenditure", "experiment expenditure"):
        res[col] = oe[col]
    res.index.name = "country"
    return res.sort_index()


def run_gegravity(data_dir: str | Path, *, estimate: bool = False) -> GegravityRun:
    model, seconds = build_and_simulate(data_dir, estimate=estimate)
    return GegravityRun(results=_results_table(model), baseline=extract_fitted_baseline(model),
                        model=model, seconds=seconds)


def run_gegravity_experiment(data_dir: str | Path) -> pd.DataFrame:
    """gegravity's CAN–JPN PTA results per country (index ISO3).

    Columns: ``welfare change (percent)`` = 100 (1/welfare statistic − 1) (real expenditure
    E/P), gegravity's headline columns (:data:`HEADLINE_COLUMNS`) and baseline/experiment
    output and expenditure (millions of USD). ``df.attrs["seconds"]`` is the build+simulate
    time; use :func:`run_gegravity` for the fitted baseline as arrays.
    """
    run = run_gegravity(data_dir)
    out = run.results
    out.attrs["seconds"] = run.seconds
    return out


def write_reference(results: pd.DataFrame, path: Path = REFERENCE_CSV) -> Path:
    header = (
        "# gegravity 0.3 OneSectorGE, sample_data_set.dlm (2006), sigma=5, reference importer DEU,\n"
        "# PPML cost coefficients of gegravity's documented example; experiment pta=1 CAN<->JPN.\n"
        "# Generated by benchmarks/gegravity_peer.py --write-reference. Percent changes.\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(header)
        results.to_csv(handle, float_format="%.12g")
    return path


def read_reference(path: Path = REFERENCE_CSV) -> pd.DataFrame:
    return pd.read_csv(path, comment="#", index_col="country")


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    data_dir = args[0] if args else str(Path(__file__).resolve().parents[2] / "shared" / "data")
    run = run_gegravity(data_dir)
    res = run.results
    show = ["welfare change (percent)", "GDP change (percent)",
            "factory gate price change (percent)", "imr change (percent)",
            "foreign exports change (percent)", "foreign imports change (percent)"]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print("gegravity OneSectorGE — CAN–JPN PTA (sample 2006, sigma 5)")
        print(res.loc[["CAN", "JPN", "USA"], show].T.to_string(float_format=lambda v: f"{v:.6f}"))
    b = run.baseline
    print(f"fitted baseline: {len(b.countries)} countries, world trade {b.flows.sum():,.0f} million USD, "
          f"cost change factors {sorted(set(np.round(b.cost_change[b.cost_change != 1], 6)))}")
    print(f"seconds (build baseline + simulate): {run.seconds:.2f}")
    if "--write-reference" in argv:
        print("wrote", write_reference(res))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
