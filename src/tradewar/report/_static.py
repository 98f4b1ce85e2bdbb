"""Fixed text of the HTML report: the style sheet, the data-source notes and option labels."""

from __future__ import annotations

DATASET_SOURCES: dict[str, str] = {
    "icio": "Trade flows: OECD Inter-Country Input-Output (ICIO) tables, 2023 extended edition "
            "(CC BY 4.0), as the trade cubes of A. Lashkaripour's tariffwar package; applied "
            "tariffs: Teti Global Tariff Database.",
    "wiod": "Trade flows: World Input-Output Database, 2016 release (Timmer et al. 2015, CC BY "
            "4.0), as the trade cubes of A. Lashkaripour's tariffwar package, with their applied "
            "tariffs.",
    "wiot2011": "World Input-Output Database, 2013 release: world input-output table for 2011 "
                "(Timmer et al. 2015), via the R package wiod.",
}
IO_SOURCE = ("Input-output structure (value-added and input shares): WIOD 2013 release, world "
             "input-output table for 2011 (Timmer et al. 2015), reconciled with the trade flows.")
ELASTICITY_SOURCES: dict[str, str] = {
    "IS": "in-sample estimates with the Caliendo-Parro estimator",
    "U4": "uniform elasticity of 4",
    "CP": "Caliendo & Parro (2015)",
    "BSY": "Bagwell, Staiger & Yurukoglu (2021)",
    "GYY": "Giri, Yi & Yilmazkuday (2021)",
    "Shap": "Shapiro (2016)",
    "FGO": "Fontagné, Guimbard & Orefice (2022)",
    "LL": "Lashkaripour & Lugovskyy (2023)",
}
CLOSURES: dict[str, str] = {
    "fixed": "trade deficits fixed in numeraire units (world value added)",
    "zero": "Caliendo-Parro two-step: deficits purged at baseline tariffs, then compared",
    "proportional": "each country's expenditure/output ratio fixed (up to a common factor)",
    "given": "new deficits supplied by the scenario",
}

CSS = """
:root { --ink:#1f2328; --muted:#5b636e; --line:#d8dde3; --loss:#b2182b; --gain:#2166ac;
        --bg:#ffffff; --panel:#f6f8fa; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
       font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; }
main { max-width:1120px; margin:0 auto; padding:28px 24px 48px; }
h1 { font-size:1.75rem; line-height:1.25; margin:0 0 6px; }
h2 { font-size:1.3rem; margin:40px 0 10px; padding-top:12px; border-top:1px solid var(--line); }
h3 { font-size:1.05rem; margin:22px 0 6px; }
p, li, dd { max-width:80ch; }
.lede { color:var(--muted); margin:0 0 14px; }
.meta { display:flex; flex-wrap:wrap; gap:6px 10px; margin:10px 0 18px; padding:0; list-style:none; }
.meta li { background:var(--panel); border:1px solid var(--line); border-radius:999px;
           padding:2px 12px; font-size:.85rem; }
nav.toc { font-size:.9rem; color:var(--muted); margin-bottom:8px; }
nav.toc a { color:inherit; margin-right:14px; }
.warning { background:#fff4e5; border:1px solid #f0b429; border-radius:6px; padding:10px 14px; }
.table-wrap { overflow-x:auto; }
table { border-collapse:collapse; width:100%; font-size:.9rem; margin:8px 0 4px; }
th, td { padding:5px 10px; border-bottom:1px solid var(--line); text-align:right;
         white-space:nowrap; }
th { background:var(--panel); font-weight:600; position:sticky; top:0; }
th:first-child, td:first-child { text-align:left; }
td.num { font-variant-numeric:tabular-nums; }
td.neg { color:var(--loss); } td.pos { color:var(--gain); }
tbody tr:nth-child(even) { background:#fbfcfd; }
caption { caption-side:bottom; text-align:left; color:var(--muted); font-size:.82rem;
          padding-top:6px; }
.chart { width:100%; min-height:320px; margin:8px 0 18px; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:4px 18px; margin:8px 0; }
dl.facts dt { color:var(--muted); } dl.facts dd { margin:0; }
dl.facts dl.facts { margin:0; }
code { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:.88em; }
footer { margin-top:44px; padding-top:14px; border-top:1px solid var(--line);
         color:var(--muted); font-size:.85rem; }
footer ol { padding-left:20px; }
.note { color:var(--muted); font-size:.88rem; }
section.summary { background:var(--panel); border:1px solid var(--line); border-radius:8px;
                  padding:4px 18px 10px; margin:12px 0 18px; }
section.summary h2, section.summary h3 { border-top:0; margin-top:12px; }
ul.keyfacts { padding-left:18px; margin:6px 0; } ul.keyfacts li { margin:3px 0; }
table.summary-table th, table.horizons th { white-space:normal; vertical-align:bottom; }
details.full-table { margin:8px 0 14px; }
details.full-table > summary { cursor:pointer; color:var(--muted); font-size:.92rem; }
"""
