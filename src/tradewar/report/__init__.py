"""HTML report and charts of scenario runs and analyses (interfaces layer: no model code).

``write_report(run, path)`` writes one self-contained offline HTML file (plotly.js and the
world map geometry inlined) that opens with a summary (:func:`summary_facts`: who loses most and
who gains, US–China goods trade both ways, the band, the horizon, the date); the chart functions turn the run JSON of
``docs/json-contract.md`` into plotly figures; ``coalition_figures``, ``escalation_figures``, ``exposure_figures`` and ``sweep_figures`` draw
the results of those analyses.
"""

from ._geo import country_ids, load_world_topojson
from ._runs import main_countries, map_assignment
from ._static import ELASTICITY_SOURCES
from ._summary import HORIZON_TEXT, RunSummary, summary_facts
from .charts import (
    bilateral_bars,
    compare_bars,
    horizon_bars,
    ladder_lines,
    sector_bars,
    welfare_bars,
    welfare_map,
)
from .coalitions import coalition_figures
from .escalation import escalation_figures
from .exposure import EXPOSURE_NOTES, exposure_figures
from .html import render_figures, render_report, write_figures, write_report
from .sweeps import sweep_figures

__all__ = [
    "ELASTICITY_SOURCES",
    "EXPOSURE_NOTES",
    "HORIZON_TEXT",
    "RunSummary",
    "bilateral_bars",
    "coalition_figures",
    "compare_bars",
    "country_ids",
    "escalation_figures",
    "exposure_figures",
    "horizon_bars",
    "ladder_lines",
    "load_world_topojson",
    "main_countries",
    "map_assignment",
    "render_figures",
    "render_report",
    "sector_bars",
    "summary_facts",
    "sweep_figures",
    "welfare_bars",
    "welfare_map",
    "write_figures",
    "write_report",
]
