"""The tables of the HTML report (headline results, steps, assumptions, facts): pure functions
of the run JSON (``docs/json-contract.md``) returning escaped HTML; :mod:`.html` lays them out."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from ..data import sector_labels
from ._runs import (
    ROW_NAMES,
    Run,
    fmt_pct,
    number,
    region_members,
    welfare_order,
)
from ._static import CLOSURES, ELASTICITY_SOURCES


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)



def _num_cell(value: float | None, text: str | None = None, signed: bool = True) -> str:
    klass = "num"
    if signed and value is not None and value != 0:
        klass += " neg" if value < 0 else " pos"
    shown = text if text is not None else fmt_pct(value)
    return f'<td class="{klass}">{_e(shown)}</td>'


def _bn(musd: float | None, signed: bool = True) -> str:
    if musd is None:
        return "—"
    value = musd / 1000.0
    digits = 1 if abs(value) >= 10 else 2
    return f"{value:+,.{digits}f}" if signed else f"{value:,.{digits}f}"


def _has_transfer(run: Run) -> bool:
    """Whether the run changes deficits (then welfare splits into transfer + the rest)."""
    return any(abs(number(row, "welfare_transfer_pct") or 0.0) > 0 for row in run["countries"].values())


def _headline_table(run: Run, band: Mapping[str, tuple[float, float, float]] | None = None) -> str:
    """Every economy, from the largest welfare loss to the largest gain; with ``band``
    (economy → p05, median, p95 of a sweep, percent) a column of the 5–95 % band; with an
    elastic labour supply (``employment_pct`` in the run) a column of employment."""
    countries = run["countries"]
    members = region_members(run)
    split = _has_transfer(run)
    jobs = any(number(row, "employment_pct") is not None for row in countries.values())
    band = band or {}
    rows = []
    for code in welfare_order(run):
        row = countries[code]
        name = _e(code)
        if code in members:
            name += f' <span class="note">({len(members[code])} economies)</span>'
        elif code in ROW_NAMES:
            name += ' <span class="note">(rest of the world)</span>'
        income = number(row, "real_income_change_musd")
        revenue = number(row, "tariff_revenue_musd")
        rows.append(
            f"<tr><td>{name}</td>"
            + _num_cell(number(row, "welfare_pct"))
            + ((f'<td class="num">{_e(fmt_pct(band[code][0]))} to {_e(fmt_pct(band[code][2]))}</td>'
                if code in band else "<td>—</td>") if band else "")
            + (_num_cell(number(row, "welfare_transfer_pct")) + _num_cell(number(row, "welfare_excl_transfer_pct"))
               if split else "")
            + _num_cell(income, _bn(income))
            + _num_cell(number(row, "real_wage_pct"))
            + (_num_cell(number(row, "employment_pct")) if jobs else "")
            + _num_cell(number(row, "exports_pct"))
            + _num_cell(number(row, "imports_pct"))
            + _num_cell(revenue, _bn(revenue, signed=False), signed=False)
            + "</tr>"
        )
    return (
        '<div class="table-wrap"><table class="headline"><thead><tr>'
        "<th>economy</th><th>welfare, %</th>"
        + ("<th>welfare 5–95 % band, %</th>" if band else "")
        + ("<th>of which transfer, %</th><th>rest, %</th>" if split else "")
        + "<th>real income change, USD bn</th>"
        "<th>real wage, %</th>" + ("<th>employment, %</th>" if jobs else "")
        + "<th>exports, %</th><th>imports, %</th>"
        "<th>tariff revenue, USD bn</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody><caption>Sorted from the largest welfare loss to the largest gain. Welfare is "
        "the exact change in real income (income deflated by the consumer price index); "
        "percent changes relative to the baseline; tariff revenue in billions of current USD. "
        "— = not in the run."
        + (" This scenario changes deficits: welfare = transfer (the change in borrowing from the rest "
           "of the world, valued at the new prices) + the rest (terms of trade, efficiency). A static "
           "model has no intertemporal budget: the transfer is spending moved between countries and "
           "years, not a gain or loss of income (docs/model.md)." if split else "")
        + (" Band: 5–95 % of the welfare change over the draws of the trade elasticities "
           "(tradewar sweep: the 8 published sets and random draws around them)." if band else "")
        + (" Employment: percent change with an elastic labour supply (employment = real "
           "wage^κ, baseline.labour_supply)." if jobs else "")
        + "</caption></table></div>"
    )


def _sectors_table(run: Run, countries: Sequence[str]) -> str:
    """Output and exports by sector of ``countries`` (the run's ``sectors`` rows): the sector's
    code beside its name (:func:`tradewar.data.sector_labels`), levels in millions of USD and
    changes in percent."""
    rows_by_country = [r for r in run.get("sectors") or []
                       if isinstance(r, Mapping) and r.get("country") in countries]
    names = sector_labels([str(r.get("sector", "")) for r in rows_by_country])
    body = []
    for row in rows_by_country:
        code = str(row.get("sector", ""))
        name = names.get(code, code)
        before_out, before_exp = number(row, "output_before_musd"), number(row, "exports_before_musd")
        body.append(
            f"<tr><td>{_e(row.get('country'))}</td><td>{_e(code)}</td>"
            f"<td>{_e(name if name != code else '—')}</td>"
            + _num_cell(before_out, "—" if before_out is None else f"{before_out:,.0f}", signed=False)
            + _num_cell(number(row, "output_pct"))
            + _num_cell(before_exp, "—" if before_exp is None else f"{before_exp:,.0f}", signed=False)
            + _num_cell(number(row, "exports_pct"))
            + "</tr>"
        )
    return ('<div class="table-wrap"><table class="sectors"><thead><tr><th>economy</th>'
            "<th>sector code</th><th>sector</th><th>gross output before, millions USD</th>"
            "<th>gross output, change %</th><th>exports before, millions USD</th>"
            "<th>exports, change %</th></tr></thead><tbody>" + "".join(body)
            + "</tbody><caption>Levels in millions of current USD at producer prices; changes "
            "in percent of the level before. — = no name for the code.</caption></table></div>")


def _value_html(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _e(f"{value:.6g}")
    if isinstance(value, Mapping):
        if not value:
            return "none"
        return _facts(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        if not value:
            return "none"
        if all(not isinstance(v, Mapping | list) for v in value) and len(value) <= 40:
            return _e(", ".join(str(v) for v in value))
        return "<ul>" + "".join(f"<li>{_value_html(v)}</li>" for v in value) + "</ul>"
    return _e(value)


def _facts(mapping: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
    labels = labels or {}
    items = "".join(
        f"<dt>{_e(labels.get(str(k), str(k).replace('_', ' ')))}</dt><dd>{_value_html(v)}</dd>"
        for k, v in mapping.items()
    )
    return f'<dl class="facts">{items}</dl>'


def _assumptions(run: Run, level: int = 3) -> str:
    h = f"h{level}"
    baseline = dict(run.get("baseline") or {})
    elasticity = baseline.get("elasticity")
    if isinstance(elasticity, str) and elasticity in ELASTICITY_SOURCES:
        baseline["elasticity"] = f"{elasticity} ({ELASTICITY_SOURCES[elasticity]})"
    closure = run.get("closure")
    facts: dict[str, Any] = {}
    for key in ("dataset", "year", "elasticity", "regions", "starting_tariffs"):
        facts[key] = baseline.pop(key, None)
    facts.update(baseline)
    if closure is not None:
        facts["closure"] = (f"{closure}: {CLOSURES[closure]}"
                            if isinstance(closure, str) and closure in CLOSURES else closure)
    parts = [f"<{h}>Baseline</{h}>", _facts(facts, {"elasticity": "trade elasticities",
                                                 "starting_tariffs": "starting tariffs"})]
    members = region_members(run)
    rest = [c for c in run["countries"] if c in ROW_NAMES and c not in members]
    if members or rest:
        regions: dict[str, Any] = {code: list(group) for code, group in members.items()}
        for code in rest:
            regions[code] = "every economy of the map not listed separately"
        parts += [f"<{h}>Regions drawn on the map</{h}>", _facts(regions)]
    assumptions = run.get("assumptions") or []
    if assumptions:
        items = assumptions if isinstance(assumptions, list) else [assumptions]
        parts += [f"<{h}>Assumptions</{h}>",
                  "<ul>" + "".join(f"<li>{_value_html(a)}</li>" for a in items) + "</ul>"]
    solver = run.get("solver")
    if isinstance(solver, Mapping):
        parts += [f"<{h}>Solver diagnostics</{h}>", _facts(solver)]
    return "\n".join(parts)


def _steps_table(steps: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for k, step in enumerate(steps, start=1):
        found = step.get("solver")
        solver: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        converged = solver.get("converged")
        residual = number(solver, "max_residual")
        seconds = number(solver, "seconds")
        rows.append(
            f"<tr><td>{k}. {_e(step.get('label') or '')}</td><td>{_e(step.get('date') or '—')}"
            f"</td><td>{_value_html(converged) if converged is not None else '—'}</td>"
            f"<td class=\"num\">{_e(solver.get('iterations', '—'))}</td>"
            f"<td class=\"num\">{'—' if residual is None else _e(f'{residual:.2e}')}</td>"
            f"<td class=\"num\">{'—' if seconds is None else _e(f'{seconds:.2f}')}</td></tr>"
        )
    return (
        '<div class="table-wrap"><table><thead><tr><th>step</th><th>date</th><th>converged</th>'
        "<th>iterations</th><th>max residual</th><th>seconds</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table></div>"
    )


def _unconverged(run: Run) -> list[str]:
    bad = []
    solver = run.get("solver")
    if isinstance(solver, Mapping) and solver.get("converged") is False:
        bad.append("the final equilibrium")
    for k, step in enumerate(run.get("steps") or [], start=1):
        solver = step.get("solver") if isinstance(step, Mapping) else None
        if isinstance(solver, Mapping) and solver.get("converged") is False:
            bad.append(f"step {k}")
    return bad
