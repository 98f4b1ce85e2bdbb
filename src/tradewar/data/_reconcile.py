"""The calibration of a baseline: pure functions from source tables to consistent arrays.

Nothing here reads files except :func:`read_wiod16_groups` (a small CSV shipped with the
package); every function takes arrays and labels and returns new arrays plus the list of
:class:`Adjustment` records that say what was changed and by how much.

How a trade-cube dataset (``icio``, ``wiod``) is calibrated (``calibrate_cube``):

1. **Sector codes.** ICIO keeps its 28 codes, the services aggregate becomes ``SERV``; the 16
   WIOD-2016 sectors (stored as names) become ``W01`` … ``W16`` (``concordance_wiod16_groups.csv``).
   Names go to ``sector_labels``. In the WIOD-2016 cubes the stored names of columns 5–12 do
   not describe their flows (checked against WIOT 2011 and the ICIO cubes; see the CSV's
   header): each column is named by its flows and takes tariffs and elasticities from the
   column(s) whose stored name covers that content (one adjustment per such sector).
2. **Tariffs.** NaN or ≤ −1 is an error; the services aggregate's small tariffs are set to 0
   (one adjustment with the revenue removed).
3. **IO structure at group level** from the WIOD 2013-release table of 2011 (``group_io``):
   for each WIOT economy and each of the 14 concordance groups G01 … G14, ``beta_g = VA/O`` and
   ``gamma_g[g_in, g_out] = Z/O`` with Z the intermediate use of group ``g_in`` (from every
   supplying country) by group ``g_out``. A group with zero output uses ROW's coefficients.
   Economies absent from WIOT borrow WIOT's ROW structure.
4. **To the dataset's sectors.** ``beta[c, j] = beta_g(j)``; ``gamma[c, k, j] =
   gamma_g[g(k), g(j)] · s[c, k]`` with ``s`` sector k's share of country c's absorption
   (tariff-inclusive spending) within its group (equal split where the group absorbs nothing),
   so ``gamma.sum(1) + beta = 1`` exactly.
5. **Reconciliation** (``reconcile_input_rows``): input shares of 2011 applied to another
   year's flows can imply more intermediate use of a sector than the country absorbs, i.e.
   negative final demand. Where ``U[c, k] = sum_j gamma[c, k, j] Y[c, j]`` exceeds
   ``X[c, k] − floor`` (``floor = 1e-6 X``), row k of ``gamma[c]`` is scaled by
   ``(X − floor)/U`` and the removed cost share moves to value added. One pass suffices
   because Y and X are data.
6. :func:`tradewar.model.economy_from_io` then sets final-demand shares as the residual and
   deficits as imports − exports: an exact equilibrium by construction.

The ``wiot2011`` dataset (``calibrate_wiot``) is the WIOD 2013 table itself, with tariffs and
elasticities from the WIOD-2016 cube of 2011 (see :data:`WIOT35_TO_WIOD16`).

Regions (:func:`aggregate`) sum flows over members, average tariffs with flow weights (the
within-region tariff is 0) and input/value-added shares with output weights, then reconcile and
rebuild with ``economy_from_io`` again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import DataSourceError, InvalidArrayError, UnknownCountryError, UserInputError
from ..model import Economy, check_tariffs, economy_from_io
from ._concordance import SectorGroup
from ._cubes import TradeCube
from ._sectors import CUBE_SERVICES_LABEL as _CUBE_SERVICES_LABEL
from ._sectors import (
    ICIO28_CODES,
    ICIO28_LABELS,
    SERVICES_CODE,
    WIOD16_FILE,
    WIOD35_LABELS,
    WIOT35_TO_WIOD16,
    read_wiod16_groups,
)
from ._wiot import WorldIOTable

__all__ = [
    "ICIO28_LABELS",
    "SERVICES_CODE",
    "WIOD35_LABELS",
    "WIOT35_TO_WIOD16",
    "Adjustment",
    "Calibration",
    "GroupIO",
    "SectorScheme",
    "aggregate",
    "calibrate_cube",
    "calibrate_wiot",
    "group_io",
    "read_wiod16_groups",
    "reconcile_input_rows",
    "remap_tariffs",
    "sector_scheme",
]

#: The WIOT economy whose structure stands in for economies missing from WIOT.
BORROW_FROM = "ROW"
#: Final demand left in a scaled row, as a fraction of absorption.
FLOOR_SHARE = 1e-6
#: Relative excess over the target below which intermediate use counts as rounding.
ROUNDING = 1e-9

#: WIOD-2016 economies that WIOT 2011 books inside its ROW (tariffs of WIOT's ROW are the
#: flow-weighted average over WIOD's ROW and these).
WIOD_INSIDE_WIOT_ROW: tuple[str, ...] = ("CHE", "HRV", "NOR")


@dataclass(frozen=True)
class Adjustment:
    """One reconciliation step applied to the source data.

    Attributes:
        step: what was done (e.g. ``"input row scaled"``, ``"borrowed structure: ROW"``).
        country: the economy (or region) concerned; ``""`` when it applies to all.
        sector: the sector (or group) concerned; ``""`` when it applies to all.
        detail: a sentence with the numbers behind it.
        amount_musd: the money moved or removed, millions of USD (0 when none).
        factor: the scaling factor applied, if any.
    """

    step: str
    country: str
    sector: str
    detail: str
    amount_musd: float = 0.0
    factor: float | None = None


@dataclass(frozen=True, eq=False)
class Calibration:
    """Calibrated arrays of one dataset-year, independent of the elasticity set.

    ``flows``, ``tariffs`` (N, N, J) ``[importer, exporter, sector]``; ``va_share`` (N, J);
    ``input_share`` (N, J, J) ``[country, input, using sector]``; ``elasticities``: θ (J,) for
    every published set. Feeding these to :func:`economy_from_io` gives an exact equilibrium.
    """

    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    sector_labels: dict[str, str]
    flows: np.ndarray
    tariffs: np.ndarray
    va_share: np.ndarray
    input_share: np.ndarray
    elasticities: dict[str, np.ndarray]
    adjustments: tuple[Adjustment, ...]
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        # C order, float64, read-only: identical arithmetic whether built or read from a cache
        for name in ("flows", "tariffs", "va_share", "input_share"):
            arr = np.ascontiguousarray(getattr(self, name), dtype=np.float64)
            if arr.flags.writeable:
                arr = arr.copy() if arr is getattr(self, name) else arr
                arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        thetas = {}
        for name, theta in self.elasticities.items():
            arr = np.array(theta, dtype=np.float64)
            arr.setflags(write=False)
            thetas[name] = arr
        object.__setattr__(self, "elasticities", thetas)

    def economy(self, elasticity: str) -> Economy:
        return economy_from_io(
            self.countries, self.sectors, self.flows, self.tariffs,
            self.elasticities[elasticity], self.va_share, self.input_share, notes=self.notes,
        )


# --------------------------------------------------------------------------------------
# sector codes
# --------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class SectorScheme:
    """The sectors of a calibrated cube dataset.

    ``codes``/``labels``/``groups`` per sector; ``source`` (J, J_cube): row j gives the weights
    of the cube's columns whose tariffs and elasticities sector j takes (identity for ICIO).
    """

    codes: tuple[str, ...]
    labels: dict[str, str]
    groups: tuple[str, ...]
    source: np.ndarray
    cube_labels: tuple[str, ...]

    def relabelled(self) -> list[int]:
        """Sectors whose tariffs come from another column than their own."""
        eye = np.eye(len(self.codes))
        return [j for j in range(len(self.codes)) if not np.array_equal(self.source[j], eye[j])]


def sector_scheme(cube: TradeCube, concordance: Sequence[SectorGroup] | None) -> SectorScheme:
    """Codes, labels, concordance groups and tariff sources of a cube's sectors.

    Raises :class:`DataSourceError` if the cube's sectors are not the expected ones.
    """
    j = len(cube.sectors)
    if cube.dataset == "icio":
        if cube.sectors != ICIO28_CODES:
            raise DataSourceError(
                f"{cube.source}: sectors {cube.sectors} differ from the 28 ICIO codes "
                f"{ICIO28_CODES}"
            )
        if concordance is None:  # pragma: no cover - programming error
            raise ValueError("the ICIO sector scheme needs the sector concordance")
        group_of = {code: g.code for g in concordance for code in g.icio28_codes}
        codes = tuple(SERVICES_CODE if s == _CUBE_SERVICES_LABEL else s for s in cube.sectors)
        return SectorScheme(codes, {c: ICIO28_LABELS[c] for c in codes},
                            tuple(group_of[s] for s in cube.sectors), np.eye(j), cube.sectors)
    table = read_wiod16_groups()
    if tuple(table["cube_label"]) != cube.sectors:
        raise DataSourceError(
            f"{cube.source}: sectors {cube.sectors} differ from the names expected by "
            f"tradewar/data/{WIOD16_FILE} {tuple(table['cube_label'])}"
        )
    known = {g.code for g in concordance} if concordance is not None else set(table["group"])
    unknown = sorted(set(table["group"]) - known)
    if unknown:  # pragma: no cover - packaging
        raise DataSourceError(f"tradewar/data/{WIOD16_FILE}: unknown groups {unknown}")
    codes = tuple(table["code"])
    source = np.zeros((j, j))
    for row, cell in enumerate(table["tariffs_from"]):
        cols = [codes.index(c.strip()) for c in cell.split(";")]
        source[row, cols] = 1.0 / len(cols)
    return SectorScheme(codes, dict(zip(codes, table["label"], strict=True)),
                        tuple(table["group"]), source, cube.sectors)


def remap_tariffs(
    scheme: SectorScheme, cube: TradeCube, tariffs: np.ndarray, where: str
) -> tuple[np.ndarray, dict[str, np.ndarray], list[Adjustment]]:
    """Tariffs and elasticities of each sector from the columns named by ``scheme.source``
    (one adjustment per sector whose tariffs come from another column)."""
    new = np.einsum("nik,jk->nij", tariffs, scheme.source)
    thetas = {name: scheme.source @ np.asarray(theta, dtype=np.float64)
              for name, theta in cube.elasticities.items()}
    adjustments = []
    for j in scheme.relabelled():
        cols = np.nonzero(scheme.source[j])[0]
        names = " and ".join(f"{scheme.codes[c]} '{scheme.cube_labels[c]}'" for c in cols)
        change = float(((new[:, :, j] - tariffs[:, :, j]) * cube.flows[:, :, j]).sum())
        adjustments.append(Adjustment(
            step="tariffs from relabelled column",
            country="",
            sector=scheme.codes[j],
            detail=(
                f"{where}: column {scheme.codes[j]} (stored as '{scheme.cube_labels[j]}') holds "
                f"the flows of {scheme.labels[scheme.codes[j]]}; its tariffs and elasticities "
                f"are taken from {names}" + (" (equal weights)" if len(cols) > 1 else "")
                + f"; tariff revenue on the cube's flows changes by {change:,.1f} million USD"
            ),
            amount_musd=change,
        ))
    return new, thetas, adjustments


# --------------------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------------------


def check_source_tariffs(tariffs: np.ndarray, countries: Sequence[str], sectors: Sequence[str],
                         where: str) -> np.ndarray:
    """Raise :class:`InvalidArrayError` (naming the cell and the file) on NaN or ≤ −1."""
    try:
        return check_tariffs(f"tariffs of {where}", tariffs, tuple(countries), tuple(sectors))
    except InvalidArrayError as exc:
        raise InvalidArrayError(str(exc)) from None


# --------------------------------------------------------------------------------------
# IO structure from WIOT, at group level
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class GroupIO:
    """Group-level IO coefficients of every WIOT economy (after filling zero-output groups).

    ``beta`` (C, G); ``gamma`` (C, G, G) ``[country, input group, using group]``; ``output``
    (C, G) millions of USD; ``filled`` (C, G) True where the group had zero output and ROW's
    coefficients were used.
    """

    countries: tuple[str, ...]
    groups: tuple[str, ...]
    beta: np.ndarray
    gamma: np.ndarray
    output: np.ndarray
    filled: np.ndarray

    def index(self, country: str) -> tuple[int, bool]:
        """WIOT row used for ``country`` and whether it is borrowed (not the country's own)."""
        if country in self.countries:
            return self.countries.index(country), False
        return self.countries.index(BORROW_FROM), True


def _membership(codes: Sequence[str], groups: Sequence[str], member_of: Mapping[str, str]) -> np.ndarray:
    """(len(codes), len(groups)) 0/1 matrix: code belongs to group."""
    out = np.zeros((len(codes), len(groups)))
    pos = {g: k for k, g in enumerate(groups)}
    for i, code in enumerate(codes):
        out[i, pos[member_of[code]]] = 1.0
    return out


def group_io(wiot: WorldIOTable, concordance: Sequence[SectorGroup]) -> GroupIO:
    """Aggregate WIOT's input-output coefficients to the concordance groups (see module doc)."""
    groups = tuple(g.code for g in concordance)
    member_of = {c: g.code for g in concordance for c in g.wiod35_codes}
    agg = _membership(wiot.industries, groups, member_of)  # (35, G)
    use = wiot.intermediate.sum(axis=0)  # [input industry, using country, using industry]
    z = np.einsum("kcj,kg,jh->cgh", use, agg, agg)  # [country, input group, using group]
    output = wiot.output @ agg
    va = wiot.value_added @ agg
    positive = output > 0
    safe = np.where(positive, output, 1.0)
    gamma = np.where(positive[:, None, :], z / safe[:, None, :], 0.0)
    beta = np.where(positive, va / safe, 0.0)
    row = wiot.countries.index(BORROW_FROM)
    if not positive[row].all():  # pragma: no cover - not the case in the 2011 table
        raise DataSourceError(f"{wiot.source}: ROW has zero output in a sector group")
    filled = ~positive
    c_idx, g_idx = np.nonzero(filled)
    gamma[c_idx, :, g_idx] = gamma[row, :, g_idx]
    beta[c_idx, g_idx] = beta[row, g_idx]
    for arr in (beta, gamma, output, filled):
        arr.setflags(write=False)
    return GroupIO(wiot.countries, groups, beta, gamma, output, filled)


# --------------------------------------------------------------------------------------
# reconciliation
# --------------------------------------------------------------------------------------


def absorption(flows: np.ndarray, tariffs: np.ndarray) -> np.ndarray:
    """``X[n, j] = sum_i (1 + tau) M``: tariff-inclusive spending, (N, J)."""
    return ((1.0 + tariffs) * flows).sum(axis=1)


def reconcile_input_rows(
    input_share: np.ndarray,
    va_share: np.ndarray,
    absorption_: np.ndarray,
    output: np.ndarray,
    countries: Sequence[str],
    sectors: Sequence[str],
    *,
    where: str = "",
) -> tuple[np.ndarray, np.ndarray, list[Adjustment]]:
    """Scale input rows whose intermediate use exceeds absorption (see module doc, step 5).

    Returns new ``(input_share, va_share, adjustments)``; the inputs are not modified.
    ``gamma.sum(1) + beta`` is unchanged. After this, final demand
    ``X − sum_j gamma Y`` is ≥ ``FLOOR_SHARE · X`` in every cell.
    """
    gamma = np.array(input_share, dtype=np.float64, order="C")
    beta = np.array(va_share, dtype=np.float64, order="C")
    x = np.asarray(absorption_, dtype=np.float64)
    adjustments: list[Adjustment] = []
    for _ in range(3):  # one pass is enough (Y and X are data); the loop is a safety net
        use = np.einsum("nkj,nj->nk", gamma, output)
        floor = FLOOR_SHARE * x
        target = x - floor
        # rows already at the floor (e.g. members of a one-country region) differ from it by
        # rounding only: leave them alone
        over = use > target + ROUNDING * x
        if not over.any():
            break
        n_idx, k_idx = np.nonzero(over)
        factor = target[n_idx, k_idx] / use[n_idx, k_idx]
        removed = gamma[n_idx, k_idx, :] * (1.0 - factor)[:, None]  # (cells, J)
        gamma[n_idx, k_idx, :] -= removed
        np.add.at(beta, n_idx, removed)
        for n, k, f in zip(n_idx.tolist(), k_idx.tolist(), factor.tolist(), strict=True):
            u, xx = float(use[n, k]), float(x[n, k])
            adjustments.append(Adjustment(
                step="input row scaled",
                country=countries[n],
                sector=sectors[k],
                detail=(
                    f"intermediate use of {sectors[k]} by {countries[n]} ({u:,.1f} million "
                    f"USD at 2011 input shares) exceeded its absorption ({xx:,.1f}); input "
                    f"row scaled by {f:.6f} for every using sector, cost share moved to value "
                    f"added, final demand left at {FLOOR_SHARE:g} of absorption"
                    + (f" ({where})" if where else "")
                ),
                amount_musd=u - float(target[n, k]),
                factor=float(f),
            ))
    use = np.einsum("nkj,nj->nk", gamma, output)
    if (use > x).any():  # pragma: no cover - cannot happen after scaling
        raise InvalidArrayError("input rows could not be reconciled with absorption")
    return gamma, beta, adjustments


def services_tariffs_to_zero(
    tariffs: np.ndarray, flows: np.ndarray, services: int, where: str
) -> tuple[np.ndarray, Adjustment | None]:
    """Set the services aggregate's tariffs to 0; one adjustment with the revenue removed."""
    tau = np.array(tariffs, dtype=np.float64)
    revenue = float((tau[:, :, services] * flows[:, :, services]).sum())
    nonzero = int((tau[:, :, services] != 0).sum())
    tau[:, :, services] = 0.0
    if nonzero == 0:
        return tau, None
    return tau, Adjustment(
        step="services tariffs set to 0",
        country="",
        sector=SERVICES_CODE,
        detail=(
            f"{where}: {nonzero} nonzero tariffs on the services aggregate (max "
            f"{float(np.abs(tariffs[:, :, services]).max()):.4f}) set to 0; revenue removed "
            f"{revenue:,.1f} million USD"
        ),
        amount_musd=revenue,
    )


# --------------------------------------------------------------------------------------
# trade-cube datasets
# --------------------------------------------------------------------------------------


def calibrate_cube(
    cube: TradeCube, structure: GroupIO, concordance: Sequence[SectorGroup]
) -> Calibration:
    """Calibrate an ``icio`` or ``wiod`` cube with WIOT-2011 structure (module doc, 1–5)."""
    scheme = sector_scheme(cube, concordance)
    codes, sector_group = scheme.codes, scheme.groups
    countries = cube.countries
    flows = np.asarray(cube.flows, dtype=np.float64)
    where = f"{cube.dataset} {cube.year}"
    raw = check_source_tariffs(cube.tariffs, countries, cube.sectors, f"{where} ({cube.source})")
    tariffs, elasticities, adjustments = remap_tariffs(scheme, cube, raw, where)
    tariffs, adj = services_tariffs_to_zero(tariffs, flows, cube.services_index, where)
    if adj:
        adjustments.insert(0, adj)

    n, j = len(countries), len(codes)
    x = absorption(flows, tariffs)
    y = flows.sum(axis=0)
    g_pos = {g: k for k, g in enumerate(structure.groups)}
    gidx = np.array([g_pos[g] for g in sector_group])
    member = np.zeros((j, len(structure.groups)))
    member[np.arange(j), gidx] = 1.0
    # s[c, k]: share of k in its group's absorption (equal split where the group absorbs 0)
    group_x = x @ member  # (N, G)
    denom = group_x[:, gidx]
    count = member.sum(axis=0)[gidx]
    share = np.where(denom > 0, x / np.where(denom > 0, denom, 1.0), 1.0 / count[None, :])

    rows = np.empty(n, dtype=int)
    for c, country in enumerate(countries):
        rows[c], borrowed = structure.index(country)
        if borrowed:
            adjustments.append(Adjustment(
                step="borrowed structure: ROW",
                country=country,
                sector="",
                detail=(
                    f"{country} is not in the WIOD 2013 table of 2011: its value-added and "
                    "input shares are WIOT's rest of the world's"
                ),
            ))
        for g in np.nonzero(structure.filled[rows[c]])[0]:
            if (gidx == g).any():
                adjustments.append(Adjustment(
                    step="zero output in WIOT: ROW coefficients",
                    country=country,
                    sector=structure.groups[g],
                    detail=(
                        f"{structure.countries[rows[c]]} has zero output of group "
                        f"{structure.groups[g]} in WIOT 2011; ROW's input and value-added "
                        f"shares used for sectors "
                        f"{', '.join(codes[k] for k in np.nonzero(gidx == g)[0])}"
                    ),
                ))
    beta = structure.beta[rows][:, gidx]  # (N, J)
    gamma = structure.gamma[rows][:, gidx, :][:, :, gidx] * share[:, :, None]
    gamma, beta, scaled = reconcile_input_rows(gamma, beta, x, y, countries, codes, where=where)
    adjustments.extend(scaled)
    notes = (
        f"{where}: flows and tariffs from {cube.source.name}; value-added and input shares "
        "from the WIOD 2013 table of 2011 (14 sector groups), reconciled",
    )
    return Calibration(
        countries=tuple(countries), sectors=codes, sector_labels=dict(scheme.labels),
        flows=flows, tariffs=tariffs, va_share=beta, input_share=gamma,
        elasticities=elasticities, adjustments=tuple(adjustments), notes=notes,
    )


# --------------------------------------------------------------------------------------
# the WIOT 2011 dataset
# --------------------------------------------------------------------------------------


def _weighted_tariffs(tariffs: np.ndarray, flows: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                      sectors: np.ndarray) -> np.ndarray:
    """Aggregate ``[importer, exporter, sector]`` tariffs with 0/1 membership matrices.

    ``rows`` (R, N) importers, ``cols`` (R, N) exporters, ``sectors`` (S, J). Flow-weighted
    (``sum tau M / sum M``); simple mean over member cells where the flows sum to 0.
    """
    def agg(a: np.ndarray) -> np.ndarray:
        a = a @ sectors.T  # (N, N, S)
        a = np.einsum("rn,nis->ris", rows, a)
        return np.einsum("ris,ti->rts", a, cols)

    num = agg(tariffs * flows)
    den = agg(flows)
    mean = agg(tariffs) / np.maximum(agg(np.ones_like(tariffs)), 1.0)
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), mean)


def calibrate_wiot(wiot: WorldIOTable, cube2011: TradeCube) -> Calibration:
    """Calibrate the WIOD 2013 table of 2011 itself (41 × 35), tariffs and elasticities from the
    WIOD-2016 cube of 2011 (module doc; :data:`WIOT35_TO_WIOD16`)."""
    if cube2011.dataset != "wiod" or cube2011.year != 2011:
        raise DataSourceError(f"{cube2011.source}: expected the WIOD-2016 cube of 2011")
    countries = wiot.countries
    n, j = len(countries), len(wiot.industries)
    adjustments: list[Adjustment] = []

    # --- flows: intermediate + final use, inventories (negative final demand) clipped ---
    final = np.asarray(wiot.final, dtype=np.float64)
    negative = np.minimum(final, 0.0)
    clipped_by_country = -negative.sum(axis=(0, 1, 3))  # by destination
    for d in np.nonzero(clipped_by_country > 0)[0]:
        cells = int((negative[:, :, d, :] < 0).sum())
        adjustments.append(Adjustment(
            step="negative final demand clipped",
            country=countries[d],
            sector="",
            detail=(
                f"{cells} negative final-demand entries of {countries[d]} (changes in "
                f"inventories; a few GFCF) totalling {-clipped_by_country[d]:,.0f} million USD "
                "set to 0 in wiot2011 flows"
            ),
            amount_musd=float(clipped_by_country[d]),
        ))
    final = np.maximum(final, 0.0)
    # M[n, i, j] = sum_k inter[i, j, n, k] + sum_f final[i, j, n, f]
    flows = (wiot.intermediate.sum(axis=3) + final.sum(axis=3)).transpose(2, 0, 1).copy()

    # --- input shares from the table ---
    output = np.asarray(wiot.output, dtype=np.float64)
    use = wiot.intermediate.sum(axis=0)  # [k, n, j]
    positive = output > 0
    safe = np.where(positive, output, 1.0)
    gamma = np.where(positive[:, None, :], use.transpose(1, 0, 2) / safe[:, None, :], 0.0)
    beta = 1.0 - gamma.sum(axis=1)
    va_check = np.where(positive, wiot.value_added / safe, beta)
    gap = float(np.abs(beta - va_check).max())
    if gap > 1e-9:  # pragma: no cover - an identity of the table
        raise DataSourceError(f"{wiot.source}: 1 − input shares differs from VA/output by {gap:.3g}")
    row = countries.index(BORROW_FROM)
    for c, k in np.argwhere(~positive):
        gamma[c, :, k] = gamma[row, :, k]
        beta[c, k] = beta[row, k]
        adjustments.append(Adjustment(
            step="zero output in WIOT: ROW coefficients",
            country=countries[c],
            sector=wiot.industries[k],
            detail=(
                f"{countries[c]} has zero output of {wiot.industries[k]} "
                f"({WIOD35_LABELS[wiot.industries[k]]}); ROW's input and value-added shares used"
            ),
        ))

    # --- tariffs and elasticities from the WIOD-2016 cube of 2011 ---
    scheme = sector_scheme(cube2011, None)
    cube_countries = cube2011.countries
    missing = [c for c in countries if c not in cube_countries]
    if missing:
        raise DataSourceError(f"{cube2011.source}: WIOT economies {missing} not in the cube")
    raw = check_source_tariffs(cube2011.tariffs, cube_countries, cube2011.sectors,
                               f"wiod 2011 ({cube2011.source})")
    cube_tau, cube_theta, relabelled = remap_tariffs(
        scheme, cube2011, raw, "wiod 2011 (source of wiot2011 tariffs)")
    adjustments.extend(relabelled)
    rows_m = np.zeros((n, len(cube_countries)))
    for a, c in enumerate(countries):
        rows_m[a, cube_countries.index(c)] = 1.0
    for c in WIOD_INSIDE_WIOT_ROW:
        if c in cube_countries:
            rows_m[row, cube_countries.index(c)] = 1.0
    sect_m = np.zeros((j, len(scheme.codes)))
    for k, code in enumerate(wiot.industries):
        sect_m[k, scheme.codes.index(WIOT35_TO_WIOD16[code])] = 1.0
    cube_flows = np.asarray(cube2011.flows, dtype=np.float64)
    # flow-weighted over the WIOD economies inside each WIOT economy (only ROW has several)
    tariffs = _weighted_tariffs(cube_tau, cube_flows, rows_m, rows_m, sect_m)
    services = np.array([WIOT35_TO_WIOD16[c] == "W16" for c in wiot.industries])
    w16 = scheme.codes.index("W16")
    in_wiot = rows_m.sum(axis=0) > 0
    svc_revenue = float((cube_tau[:, :, w16] * cube_flows[:, :, w16])[np.ix_(in_wiot, in_wiot)].sum())
    tariffs[:, :, services] = 0.0
    adjustments.append(Adjustment(
        step="services tariffs set to 0",
        country="",
        sector="c17-c35",
        detail=(
            "services industries c17 … c35 take tariff 0 (the WIOD-2016 services aggregate's "
            f"tariffs would raise {svc_revenue:,.1f} million USD on WIOD 2011 flows)"
        ),
        amount_musd=svc_revenue,
    ))
    # within WIOT's ROW (WIOD's ROW, CHE, HRV, NOR) trade is domestic: tariff 0
    members = np.nonzero(rows_m[row])[0]
    goods = np.arange(len(scheme.codes)) != w16
    within = float((cube_tau * cube_flows)[np.ix_(members, members)][:, :, goods].sum())
    idx = np.arange(n)
    tariffs[idx, idx, :] = 0.0
    adjustments.append(Adjustment(
        step="within-region tariffs removed",
        country=BORROW_FROM,
        sector="",
        detail=(
            "WIOT's ROW holds WIOD-2016's ROW, " + ", ".join(WIOD_INSIDE_WIOT_ROW) + "; tariffs "
            f"among them (revenue {within:,.1f} million USD on WIOD 2011 goods flows) dropped; "
            "ROW's tariffs with others are flow-weighted averages over these four"
        ),
        amount_musd=within,
    ))
    elasticities = {name: sect_m @ theta for name, theta in cube_theta.items()}
    tariffs = check_source_tariffs(tariffs, countries, wiot.industries, "wiot2011")

    x = absorption(flows, tariffs)
    y = flows.sum(axis=0)
    gamma, beta, scaled = reconcile_input_rows(gamma, beta, x, y, countries, wiot.industries,
                                               where="wiot2011")
    adjustments.extend(scaled)
    labels = {c: WIOD35_LABELS[c] for c in wiot.industries}
    notes = (
        "wiot2011: flows, value-added and input shares from the WIOD 2013 table of 2011; "
        "tariffs and elasticities from the WIOD-2016 cube of 2011 (WIOT35 → WIOD16 concordance)",
    )
    return Calibration(
        countries=tuple(countries), sectors=tuple(wiot.industries), sector_labels=labels,
        flows=flows, tariffs=tariffs, va_share=beta, input_share=gamma,
        elasticities=elasticities, adjustments=tuple(adjustments), notes=notes,
    )


# --------------------------------------------------------------------------------------
# regions
# --------------------------------------------------------------------------------------


def check_mapping(countries: Sequence[str], mapping: Mapping[str, str], where: str = "") -> list[str]:
    """Check that ``mapping`` (country → region) partitions ``countries``; return the regions
    in order of first appearance in the mapping.

    Raises :class:`UserInputError` naming the first country left out, an unknown country
    (:class:`UnknownCountryError`), or a region named like a country that is not its member.
    """
    place = f" in {where}" if where else ""
    unknown = [c for c in mapping if c not in countries]
    if unknown:
        raise UnknownCountryError(unknown[0], countries, where=where or "the region mapping")
    missing = [c for c in countries if c not in mapping]
    if missing:
        raise UserInputError(
            f"country {missing[0]!r} is in no region{place} (all left out: {', '.join(missing)}); "
            "every economy of the baseline must be in exactly one region (or set rest = \"ROW\")"
        )
    regions: list[str] = []
    for region in mapping.values():
        if not isinstance(region, str) or not region.strip():
            raise UserInputError(f"region names must be non-empty strings{place}; got {region!r}")
        if region not in regions:
            regions.append(region)
    for region in regions:
        if region in countries and mapping[region] != region:
            raise UserInputError(
                f"region name {region!r}{place} is the code of an economy that belongs to "
                f"region {mapping[region]!r}; a region may only be named after one of its members"
            )
    return regions


def aggregate(
    economy: Economy, mapping: Mapping[str, str], name: str = "regions"
) -> tuple[Economy, list[Adjustment]]:
    """Aggregate an economy to regions; an exact equilibrium again.

    Args:
        economy: the economy to aggregate.
        mapping: every country of ``economy`` → its region name. Regions come out in the order
            of first appearance in ``mapping``.
        name: name of the mapping (used in notes and adjustment details).

    Flows are summed over members on both axes; tariffs are flow-weighted averages
    (``sum tau M / sum M``, simple mean where the flows sum to 0) with the within-region tariff
    set to 0 (one adjustment per region with the revenue removed); value-added and input shares
    are output-weighted; final-demand shares and deficits follow from
    :func:`economy_from_io`, after scaling any input row whose use exceeds absorption.

    Returns ``(regional economy, adjustments)``.
    """
    countries = economy.countries
    regions = check_mapping(countries, mapping, name)
    r_pos = {r: k for k, r in enumerate(regions)}
    member = np.zeros((len(regions), len(countries)))
    for c, country in enumerate(countries):
        member[r_pos[mapping[country]], c] = 1.0
    flows = np.asarray(economy.flows)
    tau = np.asarray(economy.tariffs)
    eye = np.eye(economy.n_sectors)
    adjustments: list[Adjustment] = []
    for r, region in enumerate(regions):
        idx = np.nonzero(member[r])[0]
        revenue = float((tau[np.ix_(idx, idx)] * flows[np.ix_(idx, idx)]).sum())
        if revenue != 0.0:
            adjustments.append(Adjustment(
                step="within-region tariffs removed",
                country=region,
                sector="",
                detail=(
                    f"{name}: tariffs among the {len(idx)} members of {region} set to 0 "
                    f"(revenue removed {revenue:,.1f} million USD)"
                ),
                amount_musd=revenue,
            ))
    r_flows = np.einsum("rn,nij,si->rsj", member, flows, member)
    r_tau = _weighted_tariffs(tau, flows, member, member, eye)
    ridx = np.arange(len(regions))
    r_tau[ridx, ridx, :] = 0.0

    y = economy.output  # (N, J)
    wy = np.einsum("rc,cj->rj", member, y)
    count = member.sum(axis=1)[:, None]

    def weighted(values: np.ndarray) -> np.ndarray:  # values (N, ..., J), weights Y[c, j]
        if values.ndim == 2:
            num = np.einsum("rc,cj,cj->rj", member, values, y)
            mean = (member @ values) / count
            return np.where(wy > 0, num / np.where(wy > 0, wy, 1.0), mean)
        num = np.einsum("rc,ckj,cj->rkj", member, values, y)
        mean = np.einsum("rc,ckj->rkj", member, values) / count[:, :, None]
        pos = (wy > 0)[:, None, :]
        return np.where(pos, num / np.where(pos, wy[:, None, :], 1.0), mean)

    beta = weighted(np.asarray(economy.va_share))
    gamma = weighted(np.asarray(economy.input_share))
    x = absorption(r_flows, r_tau)
    gamma, beta, scaled = reconcile_input_rows(
        gamma, beta, x, r_flows.sum(axis=0), regions, economy.sectors, where=f"regions {name}"
    )
    adjustments.extend(scaled)
    notes = tuple(economy.notes) + (
        f"aggregated to {len(regions)} regions ({name}): flows summed, tariffs flow-weighted "
        "(within-region 0), value-added and input shares output-weighted",
    )
    regional = economy_from_io(regions, economy.sectors, r_flows, r_tau, economy.theta, beta,
                               gamma, notes=notes)
    return regional, adjustments
