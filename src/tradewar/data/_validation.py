"""Loaders of the published validation datasets (``validation/`` in the data directory).

* :func:`load_cp2015` — Caliendo & Parro (2015) NAFTA data (31 regions × 40 sectors, 1993), as
  the R package ``cp2015`` (paulofelipe/cp2015, MIT) ships it, with the published results.
* :func:`load_gegravity_sample` — the 30-country, 2006 sample of the USITC package
  ``gegravity`` (MIT), used with its one-sector GE gravity model.

Both read the CSV/DLM files in place (never copied) and return frozen dataclasses of read-only
float64 arrays. Axis convention (as in :mod:`tradewar.model`): bilateral arrays are
``[importer, exporter(, sector)]``; money is in millions of US dollars.

How the CP2015 economy is built (the "prepare" step of the R package, ``prepare_cp2015``):

* ``pi[n, i, j] = value * (1 + tariff) / sum_i value * (1 + tariff)`` (shares of tariff-inclusive
  spending, by importer and sector);
* ``output[n, j] = sum_k intermediate_consumption[k, j, n] + value_added[n, j]``;
  ``gamma[n, k, j] = intermediate_consumption[k, j, n] / output[n, j]``;
  ``beta[n, j] = value_added[n, j] / output[n, j]``;
* ``alpha[n, j] = final_consumption[n, j] / sum_j final_consumption[n, j]``;
* ``wL[n] = sum_j value_added[n, j]``; ``D[n]`` from ``deficit.csv``;
* flows = ``value`` (tariff-exclusive), tariffs = ``tariff`` (the factual 1993 rates).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import DataSourceError
from ..model import SHARE_TOL, Economy
from ._paths import source_file

__all__ = [
    "CP2015_CITATION",
    "CP2015_PUBLISHED_REAL_WAGE",
    "CP2015_PUBLISHED_WELFARE",
    "CP2015_REGION_ISO3",
    "CP2015Data",
    "GEGRAVITY_CITATION",
    "GravitySample",
    "load_cp2015",
    "load_gegravity_sample",
]

#: Source of the published NAFTA numbers (section 5.1, zero aggregate deficits).
CP2015_CITATION = (
    "Caliendo, L. and Parro, F. (2015), 'Estimates of the Trade and Welfare Effects of NAFTA', "
    "Review of Economic Studies 82(1): 1-44, doi:10.1093/restud/rdu035, section 5.1 (NAFTA's "
    "tariff reductions, zero aggregate deficits); reproduced by the R package cp2015 "
    "(paulofelipe/cp2015, tests/testthat/test-run_cp2015.R)."
)

#: Published welfare changes of NAFTA's tariff reductions, percent (ISO3 keys).
CP2015_PUBLISHED_WELFARE: dict[str, float] = {"MEX": 1.31, "CAN": -0.06, "USA": 0.08}

#: Published real-wage changes of NAFTA's tariff reductions, percent (ISO3 keys).
CP2015_PUBLISHED_REAL_WAGE: dict[str, float] = {"MEX": 1.72, "CAN": 0.32, "USA": 0.11}

#: Region names used in the CP2015 CSVs → ISO3 codes (``Row`` = rest of the world → ``ROW``).
CP2015_REGION_ISO3: dict[str, str] = {
    "Argentina": "ARG", "Australia": "AUS", "Austria": "AUT", "Brazil": "BRA",
    "Canada": "CAN", "Chile": "CHL", "China": "CHN", "Denmark": "DNK", "Finland": "FIN",
    "France": "FRA", "Germany": "DEU", "Greece": "GRC", "Hungary": "HUN", "India": "IND",
    "Indonesia": "IDN", "Ireland": "IRL", "Italy": "ITA", "Japan": "JPN", "Korea": "KOR",
    "Mexico": "MEX", "Netherlands": "NLD", "New Zealand": "NZL", "Norway": "NOR",
    "Portugal": "PRT", "Row": "ROW", "South Africa": "ZAF", "Spain": "ESP", "Sweden": "SWE",
    "Turkey": "TUR", "UK": "GBR", "USA": "USA",
}

GEGRAVITY_CITATION = (
    "gegravity 0.3 sample_data_set.dlm (USITC, Peter R. Herman, MIT licence), a 30-country 2006 "
    "subset of the data of Yotov, Piermartini, Monteiro and Larch (2016), 'An Advanced Guide to "
    "Trade Policy Analysis: The Structural Gravity Model', WTO/UNCTAD."
)

_USD_PER_MILLION = 1e6


def _readonly(arr: np.ndarray) -> np.ndarray:
    out = np.array(arr, dtype=np.float64, copy=True)
    out.flags.writeable = False
    return out


def _read_csv(data_dir: str | os.PathLike[str], relative: str, columns: list[str]) -> pd.DataFrame:
    path = source_file(data_dir, relative)
    try:
        frame = pd.read_csv(path)
    except Exception as exc:  # pragma: no cover - defensive
        raise DataSourceError(f"cannot read {path}: {exc}") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataSourceError(
            f"{path}: missing columns {missing}; expected columns {columns}, found {list(frame.columns)}"
        )
    return frame


def _cube(frame: pd.DataFrame, column: str, regions: list[str], sectors: list[str]) -> np.ndarray:
    """(importer, exporter, sector) array of ``column`` from the long ``trade`` table."""
    r_idx = {r: k for k, r in enumerate(regions)}
    s_idx = {s: k for k, s in enumerate(sectors)}
    n, j = len(regions), len(sectors)
    out = np.full((n, n, j), np.nan)
    imp = frame["importer"].map(r_idx).to_numpy()
    exp = frame["exporter"].map(r_idx).to_numpy()
    sec = frame["sector"].map(s_idx).to_numpy()
    out[imp, exp, sec] = frame[column].to_numpy(dtype=np.float64)
    if np.isnan(out).any():
        raise DataSourceError(f"trade.csv: column {column!r} does not cover every importer × exporter × sector")
    return out


@dataclass(frozen=True, eq=False)
class CP2015Data:
    """Caliendo & Parro (2015) NAFTA data and published results.

    Attributes:
        economy: the FACTUAL 1993 economy as CP's code prepares it (see module docstring):
            flows in millions of USD (tariff-exclusive), ``tariffs`` = factual 1993 tariffs,
            ``deficit`` = D rescaled to sum to zero, ``value_added`` = wL. Country codes are ISO3
            (:data:`CP2015_REGION_ISO3`); sector names as in the CSVs.
        region_names: the CSV's region names, in the order of ``economy.countries``.
        tariffs_baseline, tariffs_counterfactual: (N, N, J) ``[importer, exporter, sector]``
            fractions from ``tariff_bln`` / ``tariff_cfl`` (baseline = factual 1993; the
            counterfactual sets intra-NAFTA tariffs to their 2005 level).
        trade_cost_hat_baseline, trade_cost_hat_counterfactual: (N, N, J) iceberg-cost change
            factors ``d_bln`` / ``d_cfl`` (all ones in this dataset).
        trade_shares: (N, N, J) ``pi`` exactly as CP's code computes it (tariff-inclusive).
        expenditure: (N, J) ``X = sum_i value * (1 + tariff)``, millions of USD.
        input_share_raw, va_share_raw: CP's ``gamma`` and ``beta`` before any clean-up (one
            input share is negative, see ``notes``); the reference solver uses these.
        deficit_raw: D from ``deficit.csv`` in millions of USD, before rescaling.
        published_welfare, published_real_wage: published percent changes (ISO3 keys).
        citation: where the published numbers come from.
        notes: what was adjusted to pass :class:`~tradewar.model.Economy` checks, and
            the data inconsistencies found, with magnitudes.
    """

    economy: Economy
    region_names: tuple[str, ...]
    tariffs_baseline: np.ndarray
    tariffs_counterfactual: np.ndarray
    trade_cost_hat_baseline: np.ndarray
    trade_cost_hat_counterfactual: np.ndarray
    trade_shares: np.ndarray
    expenditure: np.ndarray
    input_share_raw: np.ndarray
    va_share_raw: np.ndarray
    deficit_raw: np.ndarray
    published_welfare: dict[str, float] = field(default_factory=lambda: dict(CP2015_PUBLISHED_WELFARE))
    published_real_wage: dict[str, float] = field(
        default_factory=lambda: dict(CP2015_PUBLISHED_REAL_WAGE)
    )
    citation: str = CP2015_CITATION
    notes: tuple[str, ...] = ()

    @property
    def countries(self) -> tuple[str, ...]:
        return self.economy.countries

    @property
    def sectors(self) -> tuple[str, ...]:
        return self.economy.sectors


def load_cp2015(data_dir: str | os.PathLike[str]) -> CP2015Data:
    """Load ``validation/cp2015/*.csv`` (USD) into a :class:`CP2015Data` (millions of USD).

    The factual economy is built as the R package cp2015's ``prepare_cp2015`` does. Two
    clean-ups are needed for :class:`Economy` to accept it, both recorded in ``notes`` with their
    size: negative intermediate-input values (one entry) are set to zero and that sector's cost
    shares renormalised; the deficits are shifted (in proportion to ``|D|``) so that they sum to
    exactly zero. Raises :class:`~tradewar.errors.DataSourceError` if a file is missing or
    malformed.
    """
    base = "validation/cp2015/"
    trade = _read_csv(data_dir, base + "trade.csv",
                      ["sector", "exporter", "importer", "value", "tariff", "tariff_bln",
                       "tariff_cfl", "d_bln", "d_cfl"])
    inter = _read_csv(data_dir, base + "intermediate_consumption.csv", ["input", "sector", "region", "value"])
    final = _read_csv(data_dir, base + "final_consumption.csv", ["sector", "region", "value"])
    va = _read_csv(data_dir, base + "value_added.csv", ["sector", "region", "value"])
    deficit = _read_csv(data_dir, base + "deficit.csv", ["region", "D"])
    theta_df = _read_csv(data_dir, base + "theta.csv", ["sector", "value"])

    regions = [str(r) for r in deficit["region"]]
    sectors = [str(s) for s in theta_df["sector"]]
    n, j = len(regions), len(sectors)
    r_idx = {r: k for k, r in enumerate(regions)}
    s_idx = {s: k for k, s in enumerate(sectors)}
    for name, frame, cols in (
        ("trade.csv", trade, ("importer", "exporter")), ("intermediate_consumption.csv", inter, ("region",)),
        ("final_consumption.csv", final, ("region",)), ("value_added.csv", va, ("region",)),
    ):
        for col in cols:
            unknown = set(frame[col]) - set(regions)
            if unknown:
                raise DataSourceError(f"{name}: {col} {sorted(unknown)} not in deficit.csv regions")
    if len(trade) != n * n * j:
        raise DataSourceError(f"trade.csv: {len(trade)} rows, expected {n}×{n}×{j} = {n * n * j}")
    notes: list[str] = []

    # --- trade (USD → millions) ---
    flows = _cube(trade, "value", regions, sectors) / _USD_PER_MILLION
    tariff = _cube(trade, "tariff", regions, sectors)
    tau_bln = _cube(trade, "tariff_bln", regions, sectors)
    tau_cfl = _cube(trade, "tariff_cfl", regions, sectors)
    d_bln = _cube(trade, "d_bln", regions, sectors)
    d_cfl = _cube(trade, "d_cfl", regions, sectors)
    spend = flows * (1.0 + tariff)
    expenditure = spend.sum(axis=1)
    if (expenditure <= 0).any():
        raise DataSourceError("trade.csv: an importer-sector with zero spending; CP's shares undefined")
    pi = spend / expenditure[:, None, :]

    # --- IO tables ---
    ic = np.zeros((n, j, j))  # [region, input k, using sector j]
    ic[inter["region"].map(r_idx).to_numpy(), inter["input"].map(s_idx).to_numpy(),
       inter["sector"].map(s_idx).to_numpy()] = inter["value"].to_numpy(dtype=np.float64)
    ic /= _USD_PER_MILLION
    value_added = np.zeros((n, j))
    value_added[va["region"].map(r_idx).to_numpy(), va["sector"].map(s_idx).to_numpy()] = (
        va["value"].to_numpy(dtype=np.float64) / _USD_PER_MILLION)
    fc = np.zeros((n, j))
    fc[final["region"].map(r_idx).to_numpy(), final["sector"].map(s_idx).to_numpy()] = (
        final["value"].to_numpy(dtype=np.float64) / _USD_PER_MILLION)
    output_io = ic.sum(axis=1) + value_added  # [n, j]
    gamma_raw = ic / output_io[:, None, :]
    beta_raw = value_added / output_io
    alpha = fc / fc.sum(axis=1, keepdims=True)
    wl = value_added.sum(axis=1)
    d_raw = deficit["D"].to_numpy(dtype=np.float64) / _USD_PER_MILLION
    theta = theta_df["value"].to_numpy(dtype=np.float64)

    # --- clean-up 1: negative input shares ---
    gamma = gamma_raw.copy()
    beta = beta_raw.copy()
    neg = gamma < 0
    if neg.any():
        for rn, kk, jj in np.argwhere(neg):
            notes.append(
                f"intermediate_consumption: {regions[rn]} input {sectors[kk]!r} in sector "
                f"{sectors[jj]!r} is {ic[rn, kk, jj]:.4g} million USD (share {gamma_raw[rn, kk, jj]:.3g} "
                "of output); set to 0"
            )
        gamma[neg] = 0.0
    total = gamma.sum(axis=1) + beta
    dev = np.abs(total - 1.0)
    if dev.max() > 0:
        worst = np.unravel_index(int(np.argmax(dev)), dev.shape)
        if dev.max() > 1e-12:
            notes.append(
                "va_share + input_share renormalised to sum to 1; largest correction "
                f"{dev.max():.3g} ({regions[worst[0]]}, {sectors[worst[1]]})"
            )
        gamma = gamma / total[:, None, :]
        beta = beta / total
    if np.abs(alpha.sum(axis=1) - 1.0).max() > SHARE_TOL:  # pragma: no cover - cannot happen
        raise DataSourceError("final_consumption shares do not sum to one")

    # --- clean-up 2: deficits sum to zero ---
    world = d_raw.sum()
    weights = np.abs(d_raw) / np.abs(d_raw).sum()
    d = d_raw - world * weights
    d[-1] -= d.sum()
    notes.append(
        f"deficit.csv: world deficits sum to {world:.6g} million USD ({world * 1e6:.3g} USD; "
        f"{world / np.abs(d_raw).sum():.2g} of sum |D|); shifted in proportion to |D| to sum to 0"
    )
    imports_minus_exports = flows.sum(axis=(1, 2)) - flows.sum(axis=(0, 2))
    notes.append(
        "deficit.csv vs imports − exports from trade.csv: max |diff| "
        f"{np.abs(d_raw - imports_minus_exports).max():.3g} million USD"
    )

    # --- data consistency (recorded, not changed) ---
    output_trade = flows.sum(axis=0)
    rel = np.abs(output_trade / output_io - 1.0)
    notes.append(
        "output from trade.csv (sum over importers) vs output from IO tables (intermediates + "
        f"value added): max relative gap {rel.max():.2g}, aggregate "
        f"{np.abs(output_trade - output_io).sum() / output_io.sum():.2g}"
    )
    use = np.einsum("nkj->nk", ic) + fc  # absorption implied by IO tables (purchases by input)
    gap = expenditure - use
    worst = np.unravel_index(int(np.argmax(np.abs(gap))), gap.shape)
    notes.append(
        "goods-market identity X[n,k] = sum_j IC[n,k,j] + F[n,k] does not hold in the factual "
        f"data: sum |X − IC − F| = {np.abs(gap).sum() / expenditure.sum():.2%} of world absorption "
        f"(largest {gap[worst]:.4g} million USD, {regions[worst[0]]} {sectors[worst[1]]}); "
        "the factual data are therefore not an equilibrium of the model (CP's baseline run, "
        "which removes deficits, also absorbs this)"
    )
    tariff_revenue = (tariff * flows).sum(axis=(1, 2))
    income_gap = np.abs(fc.sum(axis=1) - (wl + tariff_revenue + d_raw)).max()
    notes.append(
        f"sum of final consumption = wL + tariff revenue + D: max |gap| {income_gap:.3g} million USD"
    )

    countries = tuple(CP2015_REGION_ISO3.get(r, r) for r in regions)
    economy = Economy(
        countries=countries, sectors=tuple(sectors), flows=flows, tariffs=tariff, theta=theta,
        va_share=beta, input_share=gamma, final_share=alpha, deficit=d, value_added=wl,
        notes=tuple(notes),
    )
    return CP2015Data(
        economy=economy,
        region_names=tuple(regions),
        tariffs_baseline=_readonly(tau_bln),
        tariffs_counterfactual=_readonly(tau_cfl),
        trade_cost_hat_baseline=_readonly(d_bln),
        trade_cost_hat_counterfactual=_readonly(d_cfl),
        trade_shares=_readonly(pi),
        expenditure=_readonly(expenditure),
        input_share_raw=_readonly(gamma_raw),
        va_share_raw=_readonly(beta_raw),
        deficit_raw=_readonly(d_raw),
        notes=tuple(notes),
    )


@dataclass(frozen=True, eq=False)
class GravitySample:
    """gegravity's sample data set: 30 countries, 2006, manufacturing.

    Units: ``trade``, ``Y`` and ``E`` are in millions of current US dollars (the unit of the
    Yotov et al. 2016 data set the sample is drawn from; e.g. US output 5.02 million million
    = 5.0 trillion USD of manufacturing). The observed flows do not add up to ``Y``/``E``
    (each exporter's recorded shipments are 93–99 % of its Y), and ``sum Y`` (24.82 tn)
    differs from ``sum E`` (24.62 tn) by 0.8 %.

    Attributes:
        countries: ISO3 codes, sorted.
        trade: (N, N) observed flows ``[importer, exporter]``, domestic sales on the diagonal.
        output: (N,) ``Y`` of each country (as exporter).
        expenditure: (N,) ``E`` of each country (as importer).
        covariates: dict of (N, N) ``[importer, exporter]`` arrays: ``pta``, ``contiguity``,
            ``common_language``, ``lndist``, ``international``.
        year: 2006.
        frame: the raw long table (read-only copy).
        citation: source of the sample.
    """

    countries: tuple[str, ...]
    trade: np.ndarray
    output: np.ndarray
    expenditure: np.ndarray
    covariates: dict[str, np.ndarray]
    year: int
    frame: pd.DataFrame
    citation: str = GEGRAVITY_CITATION


_GRAVITY_COVARIATES = ("pta", "contiguity", "common_language", "lndist", "international")


def load_gegravity_sample(data_dir: str | os.PathLike[str]) -> GravitySample:
    """Load ``validation/gegravity/sample_data_set.dlm`` into a :class:`GravitySample`.

    Raises :class:`~tradewar.errors.DataSourceError` if the file is missing, is not square
    (every exporter × importer pair once), or ``Y``/``E`` vary within a country.
    """
    cols = ["exporter", "importer", "year", "trade", "Y", "E", *_GRAVITY_COVARIATES]
    frame = _read_csv(data_dir, "validation/gegravity/sample_data_set.dlm", cols)
    countries = tuple(sorted(set(frame["exporter"]) | set(frame["importer"])))
    n = len(countries)
    if len(frame) != n * n or frame.duplicated(["exporter", "importer"]).any():
        raise DataSourceError(
            f"sample_data_set.dlm: {len(frame)} rows for {n} countries; expected each of the "
            f"{n * n} exporter × importer pairs once"
        )
    years = sorted(set(int(y) for y in frame["year"]))
    if len(years) != 1:
        raise DataSourceError(f"sample_data_set.dlm: expected one year, found {years}")
    idx = {c: k for k, c in enumerate(countries)}
    imp = frame["importer"].map(idx).to_numpy()
    exp = frame["exporter"].map(idx).to_numpy()

    def square(col: str) -> np.ndarray:
        out = np.zeros((n, n))
        out[imp, exp] = frame[col].to_numpy(dtype=np.float64)
        out.flags.writeable = False
        return out

    def per_country(key: str, col: str) -> np.ndarray:
        grouped = frame.groupby(key)[col]
        if (grouped.nunique() > 1).any():
            raise DataSourceError(f"sample_data_set.dlm: {col} varies within a {key}")
        return _readonly(grouped.first().reindex(list(countries)).to_numpy(dtype=np.float64))

    raw = frame.copy()
    return GravitySample(
        countries=countries,
        trade=square("trade"),
        output=per_country("exporter", "Y"),
        expenditure=per_country("importer", "E"),
        covariates={c: square(c) for c in _GRAVITY_COVARIATES},
        year=years[0],
        frame=raw,
    )
