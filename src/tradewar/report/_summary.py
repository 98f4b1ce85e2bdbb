"""The short summary that opens a report: who loses most and who gains, the US–China bilateral
collapse, the band (when the run carries uncertainty results), the horizon and what was in force.

Every figure is read from the run JSON (``ScenarioResult.to_json()``, itself derived from
``ScenarioResult.tables()``): the welfare column of ``countries``, the rows of ``bilateral``, the
``summary`` of a sweep (``SweepResult.to_json()``). Nothing is recomputed here with another
formula: :func:`summary_facts` only picks values (an argmin, an argmax, a row) and
:func:`summary_html` only formats them. Units: ``*_pct`` are percent changes, ``*_musd`` millions
of current USD.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import UserInputError
from ._runs import Run, fmt_pct, fmt_usd, number, scenario_name

__all__ = ["HORIZON_TEXT", "PairChange", "RunSummary", "run_horizon", "summary_facts"]

#: What each horizon means, in the words of ``tradewar.data.with_horizon``.
HORIZON_TEXT: dict[str, str] = {
    "long": "long run (the trade elasticities as published)",
    "short": "short run, about one year (every trade elasticity × 0.38: Boehm, Levchenko & "
             "Pandalai-Nayar, AER 2023, 0.76 after one year vs 1.75–2.25 in the long run)",
}

#: The pair whose trade the summary reports, both ways (exporter, importer).
PAIR: tuple[tuple[str, str], ...] = (("CHN", "USA"), ("USA", "CHN"))


@dataclass(frozen=True)
class PairChange:
    """Trade of one exporter → importer pair, before and after (millions of USD) and its
    percent change, as the run's ``bilateral`` row gives it. ``goods`` tells whether these are
    goods only (the ``goods_*`` keys) or all sectors (older runs without them)."""

    exporter: str
    importer: str
    before_musd: float
    after_musd: float
    change_pct: float
    goods: bool


@dataclass(frozen=True)
class RunSummary:
    """The facts the summary states, each a value of the run JSON.

    ``loser`` / ``gainer``: economy codes of the smallest and largest ``welfare_pct`` (percent
    change of real income); ``gainer`` is ``None`` when no economy gains. ``pair``: the
    US–China trade both ways (:data:`PAIR`), those rows the run has. ``band``: economy →
    (p05, median, p95) of ``welfare_pct`` over the draws of a sweep, with ``draws`` the number
    of converged draws; empty without uncertainty results. ``horizon``: ``"short"``, ``"long"``
    or ``None`` when the run does not record it. ``date``: the last dated step (ISO).
    """

    scenario: str
    loser: str
    loser_pct: float
    loser_musd: float | None
    gainer: str | None
    gainer_pct: float | None
    gainer_musd: float | None
    pair: tuple[PairChange, ...]
    band: dict[str, tuple[float, float, float]]
    draws: int
    horizon: str | None
    date: str | None
    description: str
    starting_tariffs: str | None


def run_horizon(run: Run) -> str | None:
    """The horizon of a run: its ``horizon`` key (``tradewar compare``), else
    ``baseline.horizon`` (``ScenarioResult.to_json()``); ``None`` when neither is there."""
    for value in (run.get("horizon"), (run.get("baseline") or {}).get("horizon")):
        if value in HORIZON_TEXT:
            return str(value)
    return None


def _pair(run: Run) -> tuple[PairChange, ...]:
    rows = {(r.get("exporter"), r.get("importer")): r for r in run.get("bilateral") or []
            if isinstance(r, Mapping)}
    found = []
    for exporter, importer in PAIR:
        row = rows.get((exporter, importer))
        if row is None:
            continue
        goods = number(row, "goods_change_pct") is not None
        prefix = "goods_" if goods else ""
        before, after = number(row, f"{prefix}before_musd"), number(row, f"{prefix}after_musd")
        change = number(row, f"{prefix}change_pct")
        if before is None or after is None or change is None:
            continue
        found.append(PairChange(exporter, importer, before, after, change, goods))
    return tuple(found)


def _band(uncertainty: Mapping[str, Any] | None) -> tuple[dict[str, tuple[float, float, float]], int]:
    if not isinstance(uncertainty, Mapping):
        return {}, 0
    welfare = (uncertainty.get("summary") or {}).get("welfare_pct") or {}
    band: dict[str, tuple[float, float, float]] = {}
    draws = 0
    for code, entry in welfare.items():
        lo, med, hi = (number(entry, k) for k in ("p05", "median", "p95"))
        if lo is not None and med is not None and hi is not None:
            band[str(code)] = (lo, med, hi)
            draws = max(draws, int(number(entry, "n") or 0))
    return band, draws


def summary_facts(run: Run, uncertainty: Mapping[str, Any] | None = None) -> RunSummary:
    """The facts of :class:`RunSummary`, picked from ``run`` (and ``uncertainty``, the JSON of
    a sweep of the same scenario, or the run's own ``uncertainty`` key)."""
    countries = run["countries"]
    welfare = {code: v for code, row in countries.items()
               if (v := number(row, "welfare_pct")) is not None}
    if not welfare:
        raise UserInputError("run: no economy of 'countries' has a number for 'welfare_pct' "
                             "(docs/json-contract.md); the summary needs at least one")
    loser = min(welfare, key=welfare.__getitem__)
    best = max(welfare, key=welfare.__getitem__)
    gainer = best if welfare[best] > 0 else None
    dates = [s.get("date") for s in run.get("steps") or [] if isinstance(s, Mapping) and s.get("date")]
    band, draws = _band(uncertainty if uncertainty is not None else run.get("uncertainty"))
    return RunSummary(
        scenario=scenario_name(run), loser=loser, loser_pct=welfare[loser],
        loser_musd=number(countries[loser], "real_income_change_musd"),
        gainer=gainer, gainer_pct=welfare[gainer] if gainer else None,
        gainer_musd=number(countries[gainer], "real_income_change_musd") if gainer else None,
        pair=_pair(run), band=band, draws=draws, horizon=run_horizon(run),
        date=str(dates[-1]) if dates else None, description=str(run.get("description") or ""),
        starting_tariffs=(run.get("baseline") or {}).get("starting_tariffs"),
    )


def first_sentence(text: str, limit: int = 260) -> str:
    """The first sentence of ``text`` (up to ``limit`` characters, cut at a word)."""
    words = " ".join(text.split())
    cut = words.split(". ")[0].rstrip(".")
    if len(cut) > limit:
        cut = cut[:limit].rsplit(" ", 1)[0] + " …"
    return cut


def pair_text(change: PairChange) -> str:
    """``China → US goods: −89.0 % (453.4 → 49.7 bn USD)``."""
    names = {"CHN": "China", "USA": "US"}
    what = "goods" if change.goods else "trade, all sectors"
    return (f"{names.get(change.exporter, change.exporter)} → "
            f"{names.get(change.importer, change.importer)} {what}: {fmt_pct(change.change_pct, 1)} % "
            f"({change.before_musd / 1e3:,.1f} → {change.after_musd / 1e3:,.1f} bn USD)")


def welfare_text(code: str, pct: float, musd: float | None) -> str:
    """``USA −0.60 % of real income (−161.8 bn USD)``."""
    money = f" ({fmt_usd(musd)})" if musd is not None else ""
    return f"{code} {fmt_pct(pct)} % of real income{money}"


def compare_rows(runs: Sequence[Run]) -> list[RunSummary]:
    """:func:`summary_facts` of every run of a comparison, in order."""
    return [summary_facts(r) for r in runs]


# ---- HTML ----------------------------------------------------------------------------------


def _fact(kind: str, label: str, text: str, **data: object) -> str:
    from ._tables import _e

    attrs = "".join(f' data-{_e(k)}="{_e(repr(v) if isinstance(v, float) else v)}"'
                    for k, v in data.items())
    return (f'<li data-fact="{_e(kind)}"{attrs}><strong>{_e(label)}</strong> '
            f"{_e(text)}</li>")


def summary_html(run: Run, *, level: int = 2, prefix: str = "r1",
                 other_horizon: Run | None = None,
                 uncertainty: Mapping[str, Any] | None = None) -> str:
    """The summary section of one run: key facts as a list, each ``<li data-fact=…>`` carrying
    the exact value it states (``data-value``, a Python ``repr`` of the float) so that tests and
    scripts can check it against the tables. With ``other_horizon`` (the same scenario solved at
    the other horizon), a small table puts the two horizons side by side."""
    from ._tables import _e

    facts = summary_facts(run, uncertainty)
    h = f"h{level}"
    items = [_fact("loser", "Loses most:", welfare_text(facts.loser, facts.loser_pct, facts.loser_musd),
                   country=facts.loser, value=facts.loser_pct)]
    if facts.gainer is not None and facts.gainer_pct is not None:
        items.append(_fact("gainer", "Gains most:",
                           welfare_text(facts.gainer, facts.gainer_pct, facts.gainer_musd),
                           country=facts.gainer, value=facts.gainer_pct))
    else:
        items.append(_fact("gainer", "Gains most:", "no economy gains in this run", country=""))
    for change in facts.pair:
        items.append(_fact("pair", "US–China trade:" if change is facts.pair[0] else "and",
                           pair_text(change), exporter=change.exporter, importer=change.importer,
                           value=change.change_pct, goods="yes" if change.goods else "no"))
    if not facts.pair:
        items.append(_fact("pair", "US–China trade:", "not in this run (neither the US nor China is "
                           "a main country of the scenario)"))
    if facts.band:
        shown = [c for c in dict.fromkeys([facts.loser, facts.gainer, "USA", "CHN"])
                 if c is not None and c in facts.band]
        text = "; ".join(f"{c} {fmt_pct(facts.band[c][0])} to {fmt_pct(facts.band[c][2])} % "
                         f"(median {fmt_pct(facts.band[c][1])} %)" for c in shown)
        items.append(_fact("band", f"Band (5–95 % of {facts.draws} draws of the trade elasticities):",
                           text, draws=facts.draws))
    else:
        items.append(_fact("band", "Band:", "not computed for this run; "
                           f"`tradewar sweep {facts.scenario}` gives the 5–95 % band over the 8 "
                           "published elasticity sets and random draws"))
    horizon = HORIZON_TEXT.get(facts.horizon or "", "not recorded in the run")
    items.append(_fact("horizon", "Horizon:", horizon, value=facts.horizon or ""))
    when = (f"tariffs as on {facts.date} (the scenario's last dated step)" if facts.date
            else "the scenario's tariffs (no dated step)")
    if facts.starting_tariffs:
        when += f", changed from the starting point: {facts.starting_tariffs}"
    items.append(_fact("date", "In force:", when, value=facts.date or ""))
    out = [f'<section class="summary" id="{_e(prefix)}-summary">',
           f"<{h}>Summary</{h}>"]
    if facts.description:
        lede = first_sentence(facts.description)
        out.append(f'<p class="lede">{_e(lede if lede.endswith("…") else lede + ".")}</p>')
    out.append('<ul class="keyfacts">' + "".join(items) + "</ul>")
    if other_horizon is not None:
        out.append(horizons_table([run, other_horizon], caption_scenario=facts.scenario))
    out.append("</section>")
    return "\n".join(out)


def _horizon_label(run: Run) -> str:
    horizon = run_horizon(run)
    return f"{horizon} run" if horizon else "horizon not recorded"


def horizons_table(runs: Sequence[Run], caption_scenario: str | None = None) -> str:
    """Runs side by side, one column per run (its scenario and horizon): who loses most and
    who gains, the welfare of the main economies (percent of real income), and US–China
    trade both ways (percent change). Built from :func:`summary_facts` of each run."""
    from ._tables import _e, _num_cell

    facts = [summary_facts(r) for r in runs]
    heads = "".join(f"<th>{_e(base_scenario(r))}, {_e(_horizon_label(r))}</th>" for r in runs)
    rows = [
        "<tr><td>loses most (welfare, %)</td>" + "".join(
            f'<td class="num neg">{_e(f.loser)} {_e(fmt_pct(f.loser_pct))}</td>' for f in facts) + "</tr>",
        "<tr><td>gains most (welfare, %)</td>" + "".join(
            (f'<td class="num pos">{_e(f.gainer)} {_e(fmt_pct(f.gainer_pct))}</td>' if f.gainer
             else "<td>none</td>") for f in facts) + "</tr>",
    ]
    economies = list(dict.fromkeys(["USA", "CHN", *(f.loser for f in facts),
                                    *(f.gainer for f in facts if f.gainer)]))
    for code in economies:
        values = [number(r["countries"].get(code), "welfare_pct") for r in runs]
        if all(v is None for v in values):
            continue
        rows.append(f"<tr><td>{_e(code)}: welfare, %</td>" + "".join(_num_cell(v) for v in values) + "</tr>")
    for exporter, importer in PAIR:
        changes = [next((p for p in f.pair if (p.exporter, p.importer) == (exporter, importer)), None)
                   for f in facts]
        if all(c is None for c in changes):
            continue
        what = "goods" if all(c is None or c.goods for c in changes) else "trade"
        rows.append(f"<tr><td>{_e(exporter)} → {_e(importer)} {what}: change, %</td>" + "".join(
            _num_cell(None if c is None else c.change_pct, None if c is None else fmt_pct(c.change_pct, 1))
            for c in changes) + "</tr>")
    title = (f"{caption_scenario}: short run and long run side by side" if caption_scenario
             else "Each run side by side")
    return ('<div class="table-wrap"><table class="horizons"><thead><tr><th>figure (unit)</th>'
            + heads + "</tr></thead><tbody>" + "".join(rows)
            + f"</tbody><caption>{_e(title)}. Welfare: percent change of real income; trade: "
            "percent change of the exporter's sales to the importer (goods: every sector but "
            "services), before vs after the scenario. Short run: every trade elasticity × 0.38 "
            "(Boehm, Levchenko & Pandalai-Nayar 2023); long run: as published.</caption>"
            "</table></div>")


def base_scenario(run: Run) -> str:
    """The scenario's name without the `` (short run)`` / `` (long run)`` suffix that
    ``tradewar compare --horizon both`` adds."""
    name = scenario_name(run)
    horizon = run_horizon(run)
    suffix = f" ({horizon} run)"
    return name[: -len(suffix)] if horizon and name.endswith(suffix) else name


def both_horizons(runs: Sequence[Run]) -> bool:
    """Whether some scenario of ``runs`` is there at both horizons."""
    seen: dict[str, set[str]] = {}
    for run in runs:
        horizon = run_horizon(run)
        if horizon:
            seen.setdefault(base_scenario(run), set()).add(horizon)
    return any(len(h) > 1 for h in seen.values())


def compare_summary_html(runs: Sequence[Run], level: int = 2) -> str:
    """The summary of a comparison: one row per run (scenario, horizon, date, who loses most,
    who gains most, US–China trade both ways), each value from :func:`summary_facts`."""
    from ._tables import _e, _num_cell

    h = f"h{level}"
    rows = []
    for run in runs:
        f = summary_facts(run)
        cells = [f"<td>{_e(base_scenario(run))}</td>", f"<td>{_e(f.horizon or '—')}</td>",
                 f"<td>{_e(f.date or '—')}</td>",
                 f'<td class="num neg" data-fact="loser" data-country="{_e(f.loser)}" '
                 f'data-value="{f.loser_pct!r}">{_e(f.loser)} {_e(fmt_pct(f.loser_pct))}</td>',
                 (f'<td class="num pos" data-fact="gainer" data-country="{_e(f.gainer)}" '
                  f'data-value="{f.gainer_pct!r}">{_e(f.gainer)} {_e(fmt_pct(f.gainer_pct))}</td>')
                 if f.gainer else "<td>none</td>"]
        for exporter, importer in PAIR:
            change = next((p for p in f.pair if (p.exporter, p.importer) == (exporter, importer)), None)
            cells.append(_num_cell(None if change is None else change.change_pct,
                                   None if change is None else fmt_pct(change.change_pct, 1)))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<section class="summary" id="summary"><{h}>Summary</{h}>'
            '<div class="table-wrap"><table class="summary-table"><thead><tr><th>scenario</th>'
            "<th>horizon</th><th>last dated step</th><th>loses most, welfare %</th>"
            "<th>gains most, welfare %</th><th>CHN → USA goods, %</th>"
            "<th>USA → CHN goods, %</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody><caption>Welfare: percent change of real income. Goods trade: percent "
            "change of the exporter's sales of goods (every sector but services) to the importer. "
            "— = not in the run (the pair is not among its main countries).</caption></table></div>"
            "</section>")
