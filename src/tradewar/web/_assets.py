"""Files the page needs, served from this server (never a CDN): plotly.js from the installed
plotly package, the world geometry from the data directory; gzipped once, cached."""

from __future__ import annotations

import functools
import gzip
import re
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response

__all__ = ["STATIC_DIR", "Asset", "filename", "first_sentence", "geo_file", "map_universe",
           "plotly_js"]

STATIC_DIR = Path(__file__).resolve().parent / "static"


@dataclass
class Asset:
    """A file's bytes and their gzip, answered with long-lived cache headers."""

    body: bytes
    gzipped: bytes = field(init=False)

    def __post_init__(self) -> None:
        self.gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)

    def response(self, request: Request, media_type: str, max_age: int) -> Response:
        headers = {"Cache-Control": f"public, max-age={max_age}", "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(self.gzipped, media_type=media_type, headers=headers)
        return Response(self.body, media_type=media_type, headers=headers)


@functools.lru_cache(maxsize=1)
def plotly_js() -> Asset:
    import plotly.offline

    return Asset(plotly.offline.get_plotlyjs().encode())


@functools.lru_cache(maxsize=4)
def geo_file(data_dir: str | None, name: str) -> Asset:
    """``geo/<name>`` of the data directory (raises DataSourceError when it is missing)."""
    from ..data import default_data_dir, source_file

    base = Path(data_dir) if data_dir is not None else default_data_dir()
    return Asset(source_file(base, Path("geo") / name).read_bytes())


@functools.lru_cache(maxsize=2)
def map_universe(data_dir: str | None) -> tuple[str, ...]:
    """The economies of the world map (ISO3 ids of its geometry)."""
    from ..report import country_ids, load_world_topojson

    return tuple(country_ids(load_world_topojson(data_dir)))


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    first = text.split(". ")[0].rstrip(".")
    return first if len(first) <= 140 else first[:137].rsplit(" ", 1)[0] + " …"


def filename(text: str) -> str:
    """``text`` as a safe file name (letters, digits, ``._-``)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "run"
