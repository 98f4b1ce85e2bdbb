"""Reader of the hand-made sector concordance between the WIOD 2013 industries c1 … c35 and the
28 ICIO sectors of the trade cubes (``concordance/sector_concordance_wiod35_icio28.csv``:
columns group_code, group_label, wiod2013_codes, wiod2013_labels, icio28_codes; lists separated
by ``;``). The sector codes themselves live in :mod:`._sectors`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataSourceError
from ._paths import source_file
from ._sectors import ICIO28_CODES, WIOD35_CODES

CONCORDANCE_FILE = Path("concordance") / "sector_concordance_wiod35_icio28.csv"

__all__ = ["CONCORDANCE_FILE", "ICIO28_CODES", "WIOD35_CODES", "SectorGroup", "read_sector_concordance"]

_COLUMNS = ("group_code", "group_label", "wiod2013_codes", "wiod2013_labels", "icio28_codes")


@dataclass(frozen=True)
class SectorGroup:
    """One group of the concordance.

    Attributes:
        code: group code (``G01`` … ``G14``).
        label: group name.
        wiod35_codes: the WIOD 2013 industries in the group (``c1`` … ``c35``).
        icio28_codes: the ICIO sectors in the group (codes of :data:`ICIO28_CODES`).
        wiod35_labels: the file's description of the WIOD industries (free text).
    """

    code: str
    label: str
    wiod35_codes: tuple[str, ...]
    icio28_codes: tuple[str, ...]
    wiod35_labels: str = ""


def _split(cell: object) -> tuple[str, ...]:
    return tuple(part.strip() for part in str(cell).split(";") if part.strip())


def _check_partition(
    groups: list[SectorGroup], attr: str, expected: tuple[str, ...], kind: str, path: Path
) -> None:
    seen: dict[str, str] = {}
    for group in groups:
        for code in getattr(group, attr):
            if code not in expected:
                raise DataSourceError(
                    f"{path}: group {group.code} lists unknown {kind} code {code!r}; "
                    f"allowed: {', '.join(expected)}"
                )
            if code in seen:
                raise DataSourceError(
                    f"{path}: {kind} code {code!r} appears in both {seen[code]} and "
                    f"{group.code}; each must appear exactly once"
                )
            seen[code] = group.code
    missing = [c for c in expected if c not in seen]
    if missing:
        raise DataSourceError(
            f"{path}: {kind} code {missing[0]!r} is in no group (all missing: {missing}); each "
            "must appear exactly once"
        )


def read_sector_concordance(data_dir: str | os.PathLike[str]) -> list[SectorGroup]:
    """Read the WIOD35 ↔ ICIO28 sector concordance, in file order (14 groups: 13 goods groups,
    then services).

    Raises:
        DataSourceError: the file is missing or unreadable, a column is missing, a group code
            repeats, or an ICIO28 or WIOD35 code is unknown, repeated or missing (the message
            names the code).
    """
    path = source_file(data_dir, CONCORDANCE_FILE)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataSourceError(f"{path}: not readable as CSV ({exc})") from exc
    missing_cols = [c for c in _COLUMNS if c not in frame.columns]
    if missing_cols:
        raise DataSourceError(
            f"{path}: missing columns {missing_cols}; expected columns {list(_COLUMNS)}"
        )
    groups = [
        SectorGroup(
            code=row["group_code"].strip(),
            label=row["group_label"].strip(),
            wiod35_codes=_split(row["wiod2013_codes"]),
            icio28_codes=_split(row["icio28_codes"]),
            wiod35_labels=row["wiod2013_labels"].strip(),
        )
        for _, row in frame.iterrows()
    ]
    codes = [g.code for g in groups]
    if len(set(codes)) != len(codes) or any(not c for c in codes):
        raise DataSourceError(f"{path}: group codes {codes} are empty or repeated")
    _check_partition(groups, "icio28_codes", ICIO28_CODES, "ICIO28", path)
    _check_partition(groups, "wiod35_codes", WIOD35_CODES, "WIOD35", path)
    return groups
