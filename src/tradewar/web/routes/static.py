"""The page, its files and the world geometry (nothing fetched from elsewhere)."""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from ...errors import DataSourceError
from .._assets import STATIC_DIR, geo_file, plotly_js
from .._errors import TaskError
from .._guard import PAGE_CSP
from . import ServicesDep

__all__ = ["mount", "router"]


def router() -> APIRouter:
    api = APIRouter(include_in_schema=False)

    @api.get("/")
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html",
                            headers={"Content-Security-Policy": PAGE_CSP,
                                     "Cache-Control": "no-cache"})

    @api.get("/static/plotly.min.js")
    async def plotly(request: Request) -> Response:
        asset = await asyncio.to_thread(plotly_js)
        return asset.response(request, "text/javascript", 86400)

    @api.get("/geo/{name}")
    async def geo(name: Literal["world_50m.json", "world_110m.json"], request: Request,
                  services: ServicesDep) -> Response:
        try:
            asset = await asyncio.to_thread(geo_file, services.settings.data_dir, name)
        except DataSourceError:
            raise TaskError(503, f"the world map geometry (geo/{name}) is not available on the "
                                 "server: its data directory has no geo/ folder; the server's "
                                 "operator can check the data with `tradewar data`") from None
        return asset.response(request, "application/json", 86400)

    return api


def mount(app: FastAPI) -> None:
    """The page's own files under ``/static`` (after :func:`router`'s plotly.js route)."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
