"""The tariff algebra: what a tariff action means, written once as pure array functions.

Every function here takes and returns numpy arrays (and code tuples), does no I/O and never
mutates its inputs. The scenario compiler (:mod:`._compile`) and every analysis (coalitions,
escalation, optimal tariffs) build tariffs with them, so "mirror", "goods" or "EU27" mean the
same thing everywhere.

Axis convention (the engine's): tariffs ``tau[n, i, j]`` = importer ``n``, exporter ``i``,
sector ``j``, as FRACTIONS (0.30 = 30 %); "points" are fractions too (1.45 = +145 points). A
country never tariffs itself: every function leaves the diagonal ``tau[n, n, :]`` alone.

Selecting economies: a code of the baseline; a bloc name (``EU27``, ``USMCA``, ``TPP12``,
``CPTPP11``, ``ASEAN``, ``G7``, ``BRICS``: :data:`tradewar.data.BLOCS`) for its members present;
``"ALL"`` for every economy. Selecting sectors: ``"all"``, ``"goods"`` (every sector but
services, :func:`tradewar.data.goods_mask`) or a list of codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..data import BLOCS, goods_mask
from ..errors import UnknownCountryError, UnknownSectorError, UserInputError
from ..options import SectorChoice

__all__ = [
    "ALL",
    "EconomySelection",
    "SectorSpec",
    "add_points",
    "agree",
    "economy_mask",
    "expand_name",
    "first_invalid",
    "mirror",
    "select_economies",
    "select_sectors",
    "set_rates",
]

#: The name that selects every economy.
ALL = "ALL"

#: A choice of sectors: ``"all"``, ``"goods"``, a list of codes (a comma-separated string of
#: codes is accepted too), or a boolean (J,) mask.
SectorSpec = SectorChoice | Sequence[str] | str | np.ndarray


@dataclass(frozen=True)
class EconomySelection:
    """What one name stands for on a baseline.

    ``indices``: the economies (a bloc in its own order, ``ALL`` in the baseline's); ``kind``:
    ``"country"``, ``"bloc"`` or ``"all"``; ``absent``: bloc members that are not economies of
    the baseline (left out).
    """

    indices: tuple[int, ...]
    kind: str
    absent: tuple[str, ...] = ()


def expand_name(countries: Sequence[str], name: str,
                blocs: Mapping[str, Sequence[str]] = BLOCS) -> EconomySelection | None:
    """What ``name`` stands for among ``countries`` (codes of the baseline, in order), or None
    if it is neither a code, a bloc with a member present, nor ``"ALL"``.

    A code of the baseline wins over a bloc of the same name (an aggregated baseline's region
    ``EU27`` is one economy).
    """
    countries = tuple(countries)
    if name == ALL:
        return EconomySelection(tuple(range(len(countries))), "all")
    if name in countries:
        return EconomySelection((countries.index(name),), "country")
    if name in blocs:
        present = tuple(countries.index(c) for c in blocs[name] if c in countries)
        if present:
            absent = tuple(c for c in blocs[name] if c not in countries)
            return EconomySelection(present, "bloc", absent)
    return None


def allowed_names(countries: Sequence[str], blocs: Mapping[str, Sequence[str]] = BLOCS) -> list[str]:
    """Every name :func:`expand_name` accepts on ``countries``: codes, blocs present, ``ALL``."""
    present = [b for b, members in blocs.items() if any(c in countries for c in members)]
    return [*countries, *present, ALL]


def select_economies(countries: Sequence[str], names: str | Sequence[str], *,
                     blocs: Mapping[str, Sequence[str]] = BLOCS,
                     where: str = "economies") -> np.ndarray:
    """Indices (int, in the order named, each once) of the economies ``names`` stand for.

    Raises :class:`UnknownCountryError` (naming ``where`` and listing the allowed codes, blocs
    and ``ALL``) for a name that stands for no economy of ``countries``.
    """
    items = [names] if isinstance(names, str) else list(names)
    out: list[int] = []
    for name in items:
        selection = expand_name(countries, name, blocs)
        if selection is None:
            raise UnknownCountryError(name, allowed_names(countries, blocs), where=where)
        out.extend(selection.indices)
    return np.array(list(dict.fromkeys(out)), dtype=np.int64)


def economy_mask(countries: Sequence[str], names: str | Sequence[str], *,
                 blocs: Mapping[str, Sequence[str]] = BLOCS, where: str = "economies") -> np.ndarray:
    """Boolean (N,) mask of :func:`select_economies`."""
    mask = np.zeros(len(countries), dtype=bool)
    mask[select_economies(countries, names, blocs=blocs, where=where)] = True
    return mask


def select_sectors(sectors: Sequence[str], choice: SectorSpec | None, *,
                   where: str = "sectors") -> np.ndarray:
    """Boolean (J,) mask of the sectors ``choice`` selects among ``sectors`` (codes, in order).

    ``choice``: ``"all"`` or None (every sector), ``"goods"`` (every sector but services), a
    list of codes, a comma-separated string of codes, or a boolean (J,) mask.

    Raises :class:`UnknownSectorError` for an unknown code and :class:`UserInputError` when
    nothing is selected (the message names ``where`` and the allowed values).
    """
    sectors = tuple(sectors)
    j = len(sectors)
    if choice is None or (isinstance(choice, str) and choice == "all"):
        return np.ones(j, dtype=bool)
    if isinstance(choice, str) and choice == "goods":
        mask = goods_mask(sectors)
        if not mask.any():
            raise UserInputError(f"{where}: 'goods' selects no sector (this baseline has only "
                                 "services); allowed: 'all' or sector codes")
        return mask
    if isinstance(choice, np.ndarray) and choice.dtype == bool:
        if choice.shape != (j,):
            raise UserInputError(f"{where}: a boolean mask needs {j} entries (one per sector), "
                                 f"got shape {choice.shape}")
        mask = choice.copy()
    else:
        codes = ([c.strip() for c in choice.split(",")] if isinstance(choice, str)
                 else [str(c) for c in choice])
        mask = np.zeros(j, dtype=bool)
        for code in codes:
            if code not in sectors:
                raise UnknownSectorError(code, [*sectors, "goods", "all"], where=where)
            mask[sectors.index(code)] = True
    if not mask.any():
        raise UserInputError(f"{where}: selects no sector; allowed: 'goods', 'all' or a "
                             "non-empty list of sector codes")
    return mask


Indices = Sequence[int] | np.ndarray | int


def _index(values: Indices) -> np.ndarray:
    """Economy indices as a 1-D int array (a single index is accepted)."""
    return np.atleast_1d(np.asarray(values, dtype=np.int64))


def _cells(shape: tuple[int, ...], importers: Indices, exporters: Indices,
           sectors: np.ndarray) -> np.ndarray:
    """Boolean (N, N, J) mask of the cells (importer, exporter, sector), diagonal excluded."""
    n = shape[0]
    pairs = np.zeros((n, n), dtype=bool)
    pairs[np.ix_(_index(importers), _index(exporters))] = True
    np.fill_diagonal(pairs, False)
    return pairs[:, :, None] & np.asarray(sectors, dtype=bool)[None, None, :]


def _spread(shape: tuple[int, ...], importers: Indices, exporters: Indices,
            values: float | np.ndarray) -> np.ndarray:
    """``values`` broadcast to (I, E, J) and placed at (importers, exporters, :) of an (N, N, J)
    array (zero elsewhere)."""
    imp, exp = _index(importers), _index(exporters)
    full = np.zeros(shape)
    full[np.ix_(imp, exp, np.arange(shape[2]))] = np.broadcast_to(
        np.asarray(values, dtype=np.float64), (len(imp), len(exp), shape[2]))
    return full


def add_points(tariffs: np.ndarray, importers: Indices, exporters: Indices, sectors: np.ndarray,
               points: float | np.ndarray) -> np.ndarray:
    """``tau' = tau + points`` on every importer × exporter (importer ≠ exporter) × selected
    sector; a new (N, N, J) array.

    ``importers``/``exporters``: indices (each once; a single int is accepted); ``sectors``:
    boolean (J,) mask;
    ``points`` (fractions): a number, (J,) per sector, or anything broadcastable to
    (I, E, J) — e.g. (E, J) per exporter as ``points[None]``.
    """
    tau = np.array(tariffs, dtype=np.float64, copy=True)
    cells = _cells(tau.shape, importers, exporters, sectors)
    tau[cells] += _spread(tau.shape, importers, exporters, points)[cells]
    return tau


def set_rates(tariffs: np.ndarray, importers: Indices, exporters: Indices, sectors: np.ndarray,
              rates: float | np.ndarray) -> np.ndarray:
    """``tau' = rates`` on every importer × exporter (importer ≠ exporter) × selected sector; a
    new (N, N, J) array. Arguments as :func:`add_points` (``rates`` are fractions)."""
    tau = np.array(tariffs, dtype=np.float64, copy=True)
    cells = _cells(tau.shape, importers, exporters, sectors)
    tau[cells] = _spread(tau.shape, importers, exporters, rates)[cells]
    return tau


def mirror(tariffs: np.ndarray, changes: np.ndarray, sectors: np.ndarray) -> np.ndarray:
    """Mirror retaliation: each exporter changes its tariffs on the importer by the same points,
    sector by sector (decreases are mirrored too).

    ``tau'[e, m, s] = tau[e, m, s] + changes[m, e, s]`` for every pair and selected sector
    ``s`` (boolean (J,) mask; scenarios and analyses mirror on goods). ``changes`` (N, N, J):
    the points the actions added (after − before), zero on the pairs that do not answer.
    Returns a new (N, N, J) array.
    """
    tau = np.array(tariffs, dtype=np.float64, copy=True)
    answer = np.swapaxes(np.asarray(changes, dtype=np.float64), 0, 1)
    cols = np.flatnonzero(np.asarray(sectors, dtype=bool))
    idx = np.ix_(np.arange(tau.shape[0]), np.arange(tau.shape[1]), cols)
    off = ~np.eye(tau.shape[0], dtype=bool)[:, :, None]
    tau[idx] += np.where(off, answer[idx], 0.0)
    return tau


def agree(tariffs: np.ndarray, members: Indices,
          sectors: np.ndarray | None = None) -> np.ndarray:
    """A free-trade agreement: tariffs among ``members`` (indices) set to zero in ``sectors``
    (boolean (J,) mask; default every sector, goods and services). A new (N, N, J) array."""
    j = np.asarray(tariffs).shape[2]
    mask = np.ones(j, dtype=bool) if sectors is None else np.asarray(sectors, dtype=bool)
    return set_rates(tariffs, members, members, mask, 0.0)


def first_invalid(tariffs: np.ndarray, importers: Indices | None = None,
                  exporters: Indices | None = None,
                  sectors: np.ndarray | None = None) -> tuple[int, int, int] | None:
    """The first cell (importer, exporter, sector) — in the order given — whose tariff is not
    finite or is at or below -1 (-100 %), or None if every selected cell is valid."""
    tau = np.asarray(tariffs, dtype=np.float64)
    n, _, j = tau.shape
    imp = np.arange(n) if importers is None else _index(importers)
    exp = np.arange(n) if exporters is None else _index(exporters)
    cols = np.arange(j) if sectors is None else np.flatnonzero(np.asarray(sectors, dtype=bool))
    block = tau[np.ix_(imp, exp, cols)]
    bad = ~np.isfinite(block) | (block <= -1.0)
    bad &= (imp[:, None] != exp[None, :])[:, :, None]
    if not bad.any():
        return None
    a, b, c = np.unravel_index(int(np.argmax(bad)), bad.shape)
    return int(imp[a]), int(exp[b]), int(cols[c])
