"""Compile a :class:`Scenario` on a baseline into arrays: the starting economy, one tariff array
(N, N, J) per step, and new deficits.

Semantics of the scenario language (the reference):

* **Start.** ``"baseline"``: the dataset's tariffs. ``"in-force-2025"``: the tariffs in force on
  2025-01-01 (:func:`tradewar.data._tariff_layer.tariffs_in_force_2025`). For data years from
  2020 on, the observed flows were generated with the 2018–19 war layer in place, so the
  economy is *recalibrated* at those tariffs (same flows, final-demand shares recomputed: an
  exact equilibrium); for earlier years it is *moved* there by a counterfactual solve
  (deficits fixed). Results are changes from the starting point.
* **Order.** Top-level actions first, then each step in date order, cumulatively. Within a
  group of actions: agreements, then tariff actions in file order, then coalitions, then
  retaliation.
* **Names.** A code of the baseline (a country, or a region of an aggregated baseline); a bloc
  name (EU27, USMCA, TPP12, CPTPP11, ASEAN, G7, BRICS) expands to its members present;
  ``"ALL"`` = every economy (a country never tariffs itself).
* **Rates.** ``set`` replaces the rate, ``add`` adds points. A layer reference
  ``"<layer>:<date>"`` gives the layer's level that day (``us-2025`` on the action's exporter,
  by sector). With ``add``, a later reference to the same layer on the same cell adds only the
  change since the earlier one, so the steps of a ladder can quote a layer at each date.
* **Retaliation** ``"mirror"``: every exporter hit by a tariff action or a coalition raises its
  tariffs on the importer's goods by the same points, sector by sector (decreases are mirrored
  too), unless the scenario itself sets that reverse pair in the same group of actions.
  ``"optimal"`` arrives with the strategy module, which registers it with
  :func:`register_retaliation_rule`.
* **Deficits.** Named economies get their new deficit (``set``, millions USD, or ``scale`` ×
  current); every other economy absorbs the difference in proportion to its value added, so
  deficits sum to zero; the closure is ``given``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ..data._blocs import BLOCS
from ..data._tariff_layer import (
    HandEnteredTariffs,
    TariffSchedule,
    goods_mask,
    hand_entered,
    hand_layer_rates,
    parse_layer_reference,
    tariffs_in_force_2025,
    us_rates_on,
    us_tariff_schedule,
)
from ..errors import ScenarioError, TradewarError
from ..model import Economy, economy_after, solve
from ._load import locate_line
from ._schema import (
    RETALIATION_RULES,
    Agreement,
    Coalition,
    Scenario,
    TariffAction,
    allowed_retaliation,
    loc_text,
)

#: Data years whose observed flows already reflect the 2018–19 war layer (recalibrate rather
#: than solve to reach the tariffs in force on 2025-01-01).
RECALIBRATE_FROM_YEAR = 2020
#: Most countries listed in the ``sectors`` and ``bilateral`` tables of a result.
MAX_MAIN_COUNTRIES = 12

#: The economies of the ICIO cubes (the widest dataset). In a list of countries, one of these
#: that is not an economy of a dataset's own baseline (e.g. Vietnam in WIOD, inside ROW) is left
#: out with a note; a single such code, an unknown code, or a country folded into a region of an
#: aggregated baseline is an error.
KNOWN_ECONOMIES: frozenset[str] = frozenset((
    "AGO ARE ARG AUS AUT BEL BGD BGR BLR BRA BRN CAN CHE CHL CHN CIV CMR COD COL CRI CYP CZE DEU "
    "DNK EGY ESP EST FIN FRA GBR GRC HKG HRV HUN IDN IND IRL ISL ISR ITA JOR JPN KAZ KHM KOR LAO "
    "LTU LUX LVA MAR MEX MLT MMR MYS NGA NLD NOR NZL PAK PER PHL POL PRT ROU RUS SAU SEN SGP STP "
    "SVK SVN SWE THA TUN TUR TWN UKR USA VNM ZAF"
).split())


@dataclass(frozen=True, eq=False)
class RetaliationContext:
    """What a retaliation rule sees after a group of actions (see
    :func:`register_retaliation_rule`)."""

    economy: Economy
    before: np.ndarray
    after: np.ndarray
    touched: frozenset[tuple[int, int]]
    goods: np.ndarray
    scenario: Scenario
    label: str


#: Rules provided by later layers, imported only when a scenario asks for them (a plug-in, so
#: the scenario layer does not depend on the strategy code at import time).
PLUGIN_RULES: dict[str, tuple[str, str]] = {
    "optimal": ("tradewar.analysis._optimal", "optimal_retaliation_rule"),
}


def _plugin_rule(name: str) -> Callable[[RetaliationContext], np.ndarray] | None:
    if name not in PLUGIN_RULES:
        return None
    import importlib

    module, attribute = PLUGIN_RULES[name]
    fn = getattr(importlib.import_module(module), attribute)
    register_retaliation_rule(name, fn)
    return fn


def register_retaliation_rule(name: str, fn: Callable[[RetaliationContext], np.ndarray]) -> None:
    """Make ``retaliation = name`` available to scenarios.

    ``fn(context)`` receives a :class:`RetaliationContext` (tariffs before and after a group of
    actions, the (importer, exporter) index pairs the actions touched) and returns the new
    (N, N, J) tariffs including the retaliation. The strategy module registers ``"optimal"``.
    """
    if not callable(fn):
        raise TypeError(f"retaliation rule {name!r}: fn must be callable")
    if name in ("none", "mirror"):
        raise ScenarioError(f"retaliation rule {name!r} is built in and cannot be replaced")
    RETALIATION_RULES[name] = fn


@dataclass(frozen=True, eq=False)
class CompiledStep:
    label: str
    date: date | None
    tariffs: np.ndarray


@dataclass(frozen=True, eq=False)
class CompiledScenario:
    """A scenario as arrays on one baseline.

    Attributes:
        scenario: the source scenario.
        start_economy: the economy every step is solved from (its tariffs are the start).
        start: ``"in-force-2025"`` or ``"baseline"``; ``start_method``: ``"data"``,
            ``"recalibrated"`` or ``"counterfactual"``; ``starting_tariffs``: a sentence.
        steps: one :class:`CompiledStep` per equilibrium, in order.
        deficits_new: (N,) new deficits (millions USD) or None; ``closure``: ``"given"`` or
            None (the caller's closure).
        main_countries: the countries named in the scenario (≤ 12), for the result tables.
        notes: data gaps and choices made while compiling.
    """

    scenario: Scenario
    start_economy: Economy
    start: str
    start_method: str
    starting_tariffs: str
    steps: tuple[CompiledStep, ...]
    deficits_new: np.ndarray | None
    closure: str | None
    main_countries: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def tariffs(self) -> np.ndarray:
        """(S, N, N, J) stack of the steps' tariffs."""
        return np.stack([s.tariffs for s in self.steps])


class _Compiler:
    def __init__(self, scenario: Scenario, baseline: Any, data_dir: Any) -> None:
        self.scenario = scenario
        self.baseline = baseline
        self.economy: Economy = baseline.economy
        self.countries: tuple[str, ...] = tuple(self.economy.countries)
        self.sectors: tuple[str, ...] = tuple(self.economy.sectors)
        self.goods = goods_mask(self.sectors)
        self.data_dir = data_dir if data_dir is not None else getattr(baseline, "data_dir", None)
        self.members: dict[str, tuple[str, ...]] | None = getattr(baseline, "region_members", None)
        self._schedule: TariffSchedule | None = None
        self._hand: HandEnteredTariffs | None = None
        self.notes: list[str] = []
        self.mentioned: list[str] = []
        self.used_all = False
        self._layer_cache: dict[tuple[str, Any, int], np.ndarray] = {}

    # ---- helpers ----
    def fail(self, loc: tuple[str | int, ...], message: str) -> ScenarioError:
        name = self.scenario.source or f"scenario {self.scenario.name!r}"
        line = locate_line(self.scenario._source_text, loc)
        where = f"{name}, line {line}" if line else name
        return ScenarioError(f"{where}: {loc_text(loc)}: {message}")

    @property
    def schedule(self) -> TariffSchedule:
        if self._schedule is None:
            self._schedule = us_tariff_schedule(self.data_dir)
        return self._schedule

    @property
    def hand(self) -> HandEnteredTariffs:
        if self._hand is None:
            self._hand = hand_entered()
        return self._hand

    def expand(self, names: str | list[str], loc: tuple[str | int, ...]) -> list[int]:
        items = [names] if isinstance(names, str) else list(names)
        out: list[int] = []
        for k, name in enumerate(items):
            here = loc if isinstance(names, str) else loc + (k,)
            if name == "ALL":
                self.used_all = True
                out.extend(range(len(self.countries)))
            elif name in self.countries:
                self.mentioned.append(name)
                out.append(self.countries.index(name))
            elif name in BLOCS:
                present = [c for c in BLOCS[name] if c in self.countries]
                absent = [c for c in BLOCS[name] if c not in self.countries]
                if not present:
                    raise self.fail(here, f"bloc {name!r} has no member in this baseline "
                                    f"(members {', '.join(BLOCS[name])}); allowed: "
                                    + self._allowed_countries())
                if absent:
                    self.notes.append(f"bloc {name}: members {', '.join(absent)} are not "
                                      "economies of this baseline and are left out")
                self.mentioned.extend(present)
                out.extend(self.countries.index(c) for c in present)
            else:
                hint = ""
                regions = [c for c in self.countries if c in BLOCS and name in BLOCS[c]]
                if regions:
                    hint = f" ({name} is part of region {regions[0]} in this baseline)"
                elif (len(items) > 1 and name in KNOWN_ECONOMIES
                      and getattr(self.baseline, "regions", None) is None):
                    self.notes.append(f"{name} is not an economy of this baseline (it is inside "
                                      f"ROW): left out of {loc_text(loc)}")
                    continue
                elif name in KNOWN_ECONOMIES:
                    hint = f" ({name} is not an economy of this baseline)"
                raise self.fail(here, f"unknown country {name!r}{hint}; allowed: "
                                + self._allowed_countries())
        if not out:
            raise self.fail(loc, "no economy of this baseline; allowed: "
                            + self._allowed_countries())
        return list(dict.fromkeys(out))

    def _allowed_countries(self) -> str:
        blocs = [b for b in BLOCS if any(c in self.countries for c in BLOCS[b])]
        return ", ".join(sorted(self.countries)) + "; blocs: " + ", ".join(blocs) + "; 'ALL'"

    def sector_index(self, sectors: str | list[str], loc: tuple[str | int, ...]) -> np.ndarray:
        if sectors == "all":
            return np.arange(len(self.sectors))
        if sectors == "goods":
            return np.nonzero(self.goods)[0]
        out = []
        for k, code in enumerate(sectors):
            if code not in self.sectors:
                raise self.fail(loc + (k,), f"unknown sector {code!r}; allowed: "
                                + ", ".join(self.sectors) + " (or sectors = 'all' | 'goods')")
            out.append(self.sectors.index(code))
        return np.array(sorted(set(out)), dtype=int)

    def rate(self, value: float | str, exporter: int, loc: tuple[str | int, ...]) -> tuple[np.ndarray, str | None]:
        """(J,) rates of a number or a layer reference on ``exporter``, and the layer name."""
        if not isinstance(value, str):
            return np.full(len(self.sectors), float(value)), None
        layer, when = parse_layer_reference(value)
        key = (layer, when, exporter if layer == "us-2025" else -1)
        if key not in self._layer_cache:
            try:
                if layer == "us-2025":
                    result = us_rates_on(self.schedule, self.countries, self.sectors,
                                         self.countries[exporter], when, members=self.members)
                    self.notes.extend(self.schedule.notes + result.notes)
                    rates = result.rates
                else:
                    day = self.hand.dates[-1] if when == "latest" else when
                    assert isinstance(day, date)
                    rates = hand_layer_rates(layer, day, self.sectors, self.hand)
                    self.notes.append(f"layer {layer}: hand-entered, with a source for every "
                                      f"entry, in {self.hand.path.name} (tradewar.data)")
            except TradewarError as exc:
                raise self.fail(loc, str(exc)) from None
            self._layer_cache[key] = rates
        return self._layer_cache[key], layer


class _Group:
    """Applies one group of actions (top level or one step) to a tariff array."""

    def __init__(self, compiler: _Compiler, tariffs: np.ndarray, applied: dict[str, np.ndarray]):
        self.c = compiler
        self.tau = tariffs
        self.applied = applied
        self.touched: set[tuple[int, int]] = set()

    def _layer_applied(self, layer: str) -> np.ndarray:
        if layer not in self.applied:
            self.applied[layer] = np.zeros_like(self.tau)
        return self.applied[layer]

    def _check(self, m: int, e: int, idx: np.ndarray, loc: tuple[str | int, ...]) -> None:
        bad = ~np.isfinite(self.tau[m, e, idx]) | (self.tau[m, e, idx] <= -1.0)
        if bad.any():
            s = int(idx[np.argmax(bad)])
            raise self.c.fail(
                loc, f"the tariff of {self.c.countries[m]} on {self.c.countries[e]} in sector "
                f"{self.c.sectors[s]} would be {self.tau[m, e, s]:.4g} "
                f"({100 * self.tau[m, e, s]:.4g} %); allowed: > -1 (-100 %)")

    def change(self, m: int, e: int, idx: np.ndarray, mode: str, value: float | str,
               loc: tuple[str | int, ...], key: str | None = None) -> None:
        here = loc + (key or mode,)
        rates, layer = self.c.rate(value, e, here)
        r = rates[idx]
        if mode == "set":
            self.tau[m, e, idx] = r
            if layer is not None:
                self._layer_applied(layer)[m, e, idx] = r
        else:
            if layer is not None:
                done = self._layer_applied(layer)
                self.tau[m, e, idx] += r - done[m, e, idx]
                done[m, e, idx] = r
            else:
                self.tau[m, e, idx] += r
        self._check(m, e, idx, here)
        self.touched.add((m, e))

    def tariff(self, action: TariffAction, loc: tuple[str | int, ...]) -> None:
        importers = self.c.expand(action.importer, loc + ("importer",))
        exporters = self.c.expand(action.exporter, loc + ("exporter",))
        idx = self.c.sector_index(action.sectors, loc + ("sectors",))
        mode = "set" if action.set is not None else "add"
        value = action.set if action.set is not None else action.add
        assert value is not None
        for m in importers:
            for e in exporters:
                if m != e:
                    self.change(m, e, idx, mode, value, loc)

    def agreement(self, agreement: Agreement, loc: tuple[str | int, ...]) -> None:
        members = self.c.expand(agreement.members, loc + ("members",))
        if len(members) < 2:
            raise self.c.fail(loc + ("members",), "an agreement needs at least two economies of "
                              "this baseline; allowed: " + self.c._allowed_countries())
        for m in members:
            for e in members:
                if m != e:
                    self.tau[m, e, :] = 0.0

    def coalition(self, coalition: Coalition, loc: tuple[str | int, ...]) -> None:
        members = self.c.expand(coalition.members, loc + ("members",))
        targets = self.c.expand(coalition.target, loc + ("target",))
        idx = self.c.sector_index(coalition.sectors, loc + ("sectors",))
        for t in targets:
            for m in members:
                if m != t:
                    self.change(m, t, idx, "add", coalition.tariff, loc, key="tariff")

    def run(self, tariffs: list[TariffAction], agreements: list[Agreement],
            coalitions: list[Coalition], prefix: tuple[str | int, ...], label: str) -> None:
        for k, agreement in enumerate(agreements):
            self.agreement(agreement, prefix + ("agreement", k))
        before = self.tau.copy()
        for k, action in enumerate(tariffs):
            self.tariff(action, prefix + ("tariff", k))
        for k, coalition in enumerate(coalitions):
            self.coalition(coalition, prefix + ("coalition", k))
        self.retaliate(before, prefix, label)

    def retaliate(self, before: np.ndarray, prefix: tuple[str | int, ...], label: str) -> None:
        rule = self.c.scenario.retaliation
        if rule == "none" or not self.touched:
            return
        if rule == "mirror":
            delta = self.tau - before
            goods = np.nonzero(self.c.goods)[0]
            for m, e in sorted(self.touched):
                if (e, m) in self.touched:
                    continue
                self.tau[e, m, goods] += delta[m, e, goods]
                self._check(e, m, goods, ("retaliation",))
            return
        fn = RETALIATION_RULES.get(rule) or _plugin_rule(rule)
        if fn is None:
            raise self.c.fail(("retaliation",), f"retaliation {rule!r} arrives with the strategy "
                              "module (tradewar.analysis), which registers it with "
                              "register_retaliation_rule; allowed now: "
                              + ", ".join(r for r in allowed_retaliation()
                                          if r == "none" or r == "mirror" or r in RETALIATION_RULES))
        context = RetaliationContext(
            economy=self.c.economy, before=before.copy(), after=self.tau.copy(),
            touched=frozenset(self.touched), goods=self.c.goods.copy(), scenario=self.c.scenario,
            label=label)
        new = np.asarray(fn(context), dtype=float)
        if new.shape != self.tau.shape or not np.isfinite(new).all() or (new <= -1).any():
            raise self.c.fail(("retaliation",), f"rule {rule!r} returned an invalid tariff array; "
                              f"allowed: finite (N, N, J) = {self.tau.shape} values > -1")
        self.tau = new


def recalibrated_economy(economy: Economy, tariffs: np.ndarray, note: str) -> Economy:
    """The same flows seen as generated by ``tariffs``: an exact equilibrium with recomputed
    final-demand shares (``alpha' I' = alpha I + dX``, with ``dX`` the change in tariff-inclusive
    spending at unchanged flows)."""
    tariffs = np.asarray(tariffs, dtype=float)
    d_spend = ((tariffs - economy.tariffs) * economy.flows).sum(axis=1)
    final = economy.final_share * economy.income[:, None] + d_spend
    if (final < -1e-9 * np.abs(final).max()).any():
        n, j = (int(v) for v in np.argwhere(final < 0)[0])
        raise ScenarioError(
            f"cannot recalibrate at the starting tariffs: final demand of {economy.countries[n]} "
            f"on {economy.sectors[j]} would be negative; use start = 'baseline'")
    final = np.maximum(final, 0.0)
    alpha = final / final.sum(axis=1, keepdims=True)
    return Economy(
        countries=economy.countries, sectors=economy.sectors, flows=economy.flows,
        tariffs=tariffs, theta=economy.theta, va_share=economy.va_share,
        input_share=economy.input_share, final_share=alpha, deficit=economy.deficit,
        value_added=economy.value_added, notes=tuple(economy.notes) + (note,),
    )


def _start(compiler: _Compiler) -> tuple[Economy, str, str, list[str]]:
    economy = compiler.economy
    baseline = compiler.baseline
    dataset = str(getattr(baseline, "dataset", "") or "dataset")
    label = "ICIO" if dataset == "icio" else dataset.upper()
    year = getattr(baseline, "year", None)
    if compiler.scenario.start == "baseline":
        text = f"baseline ({label}{' ' + str(year) if year else ''} MFN/preferential tariffs)"
        return economy, "data", text, [f"starting point: the {text}"]
    try:
        inforce = tariffs_in_force_2025(economy, compiler.schedule, members=compiler.members,
                                        hand=compiler.hand)
    except TradewarError as exc:
        raise compiler.fail(("start",), f"cannot build the tariffs in force on 2025-01-01: {exc}") from None
    text = f"in force on 2025-01-01 ({label} MFN + 2018-19 war layer)"
    notes = list(inforce.notes)
    if year is None or int(year) >= RECALIBRATE_FROM_YEAR:
        start = recalibrated_economy(economy, inforce.tariffs, f"recalibrated at the tariffs {text}")
        method = "recalibrated"
        notes.append(f"starting point: tariffs {text}; the {year or 'data'} flows are taken as "
                     "generated by them (final-demand shares recalibrated); results are changes "
                     "from that point")
    else:
        eq = solve(economy, inforce.tariffs, deficits="fixed")
        start = economy_after(eq)
        method = "counterfactual"
        notes.append(f"starting point: tariffs {text}, reached from the {year} data by a "
                     "counterfactual solve (deficits fixed); results are changes from that point")
    return start, method, text, notes


def _deficits(compiler: _Compiler, economy: Economy) -> np.ndarray | None:
    changes = compiler.scenario.deficit
    if not changes:
        return None
    current = np.asarray(economy.deficit, dtype=float)
    new = current.copy()
    named: set[int] = set()
    for k, change in enumerate(changes):
        loc: tuple[str | int, ...] = ("deficit", k, "country")
        idx = compiler.expand(change.country, loc)
        if change.set is not None and len(idx) != 1:
            raise compiler.fail(loc, f"{change.country!r} stands for {len(idx)} economies; "
                                "allowed with `set`: one economy (use `scale` for a bloc)")
        for i in idx:
            if i in named:
                raise compiler.fail(loc, f"{compiler.countries[i]} is given two deficit changes; "
                                    "allowed: one per economy")
            named.add(i)
            new[i] = change.set if change.set is not None else change.scale * current[i]  # type: ignore[operator]
    others = np.array([i not in named for i in range(len(new))])
    if not others.any():
        raise compiler.fail(("deficit",), "every economy is given a deficit: nobody can absorb "
                            "the change; allowed: leave at least one economy out")
    va = np.asarray(economy.value_added, dtype=float) * others
    gap = new.sum()
    new -= gap * va / va.sum()
    compiler.notes.append(
        "deficits: " + ", ".join(f"{compiler.countries[i]} {current[i]:,.0f} -> {new[i]:,.0f}"
                                 for i in sorted(named))
        + " million USD; every other economy absorbs the difference in proportion to its value "
        "added (closure 'given')")
    return new


def _main_countries(compiler: _Compiler, economy: Economy) -> tuple[str, ...]:
    named = list(dict.fromkeys(compiler.mentioned))
    if len(named) > MAX_MAIN_COUNTRIES:
        # keep the first two named (usually the protagonists), then the largest by value added
        size = dict(zip(economy.countries, np.asarray(economy.value_added), strict=True))
        rest = sorted(named[2:], key=lambda c: -size[c])
        named = list(dict.fromkeys(named[:2] + rest))[:MAX_MAIN_COUNTRIES]
    elif compiler.used_all:
        # 'ALL' names every economy: complete the list with the largest by value added
        for k in np.argsort(-np.asarray(economy.value_added)):
            if len(named) >= MAX_MAIN_COUNTRIES:
                break
            if economy.countries[k] not in named:
                named.append(economy.countries[k])
    return tuple(named)


def compile_tariffs(scenario: Scenario, baseline: Any, *,
                    data_dir: str | os.PathLike[str] | None = None) -> CompiledScenario:
    """Compile ``scenario`` on ``baseline`` (anything with ``.economy``; ``.dataset``,
    ``.year`` and ``.region_members`` are used when present).

    Returns a :class:`CompiledScenario`: the starting economy, one (N, N, J) tariff array per
    step, the new deficits. Raises :class:`ScenarioError` (file, line, key path, allowed values)
    for unknown countries or sectors, tariffs at or below -100 %, and rules not yet available.
    Nothing is written.
    """
    if not isinstance(scenario, Scenario):
        raise ScenarioError(f"expected a Scenario, got {type(scenario).__name__}; load one with "
                            "load_scenario(path) or builtin_scenario(name)")
    compiler = _Compiler(scenario, baseline, data_dir)
    start_economy, method, starting_text, start_notes = _start(compiler)
    compiler.notes[:0] = start_notes
    applied: dict[str, np.ndarray] = {}
    tau = np.array(start_economy.tariffs, dtype=float, copy=True)
    top = _Group(compiler, tau, applied)
    top.run(scenario.tariff, scenario.agreement, scenario.coalition, (), scenario.name)
    tau = top.tau
    steps: list[CompiledStep] = []
    if not scenario.step:
        dates = [a.date for a in scenario.tariff if a.date] + [a.date for a in scenario.agreement if a.date]
        steps.append(CompiledStep(label=scenario.name, date=max(dates) if dates else None,
                                  tariffs=tau.copy()))
    for k, step in enumerate(scenario.step):
        group = _Group(compiler, tau.copy(), applied)
        group.run(step.tariff, step.agreement, step.coalition, ("step", k), step.label)
        tau = group.tau
        steps.append(CompiledStep(label=step.label, date=step.date, tariffs=tau.copy()))
    deficits_new = _deficits(compiler, start_economy)
    closure = "given" if deficits_new is not None else scenario.closure
    return CompiledScenario(
        scenario=scenario, start_economy=start_economy, start=scenario.start,
        start_method=method, starting_tariffs=starting_text, steps=tuple(steps),
        deficits_new=deficits_new, closure=closure,
        main_countries=_main_countries(compiler, start_economy),
        notes=tuple(dict.fromkeys(compiler.notes)),
    )

