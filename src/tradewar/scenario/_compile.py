"""Compile a :class:`Scenario` on a baseline into arrays: the starting economy, one tariff array
(N, N, J) per step, and new deficits.

Semantics of the scenario language (the reference):

* **Start.** ``"baseline"`` or ``"in-force-2025"``: :func:`tradewar.scenario.starting_point`
  (:mod:`._start`). Results are changes from the starting point.
* **Order.** Top-level actions first, then each step in date order, cumulatively. Within a
  group of actions: agreements, then tariff actions in file order, then coalitions, then
  retaliation.
* **Arrays.** Every change is made by the tariff algebra (:mod:`._algebra`).
* **Names.** A code of the baseline (a country, or a region of an aggregated baseline); a bloc
  name (EU27, USMCA, TPP12, CPTPP11, ASEAN, G7, BRICS) expands to its members present;
  ``"ALL"`` = every economy (a country never tariffs itself).
* **Rates.** ``set`` replaces the rate, ``add`` adds points. A layer reference
  ``"<layer>:<date>"`` gives the layer's level that day (``us-2025`` on the action's exporter,
  by sector). With ``add``, a later reference to the same layer on the same cell adds only the
  change since the earlier one, so the steps of a ladder can quote a layer at each date.
* **Retaliation** ``"mirror"``: every exporter hit by a tariff action or a coalition raises its
  tariffs on the importer's goods by the same points, sector by sector (decreases are mirrored
  too), unless the scenario itself sets that reverse pair in the same group of actions
  (:func:`tradewar.scenario.mirror`). Any other rule (``"optimal"``: a best response computed
  by ``tradewar.analysis``) is supplied by the caller (``retaliation_rule=``) or registered
  (:func:`register_retaliation_rule`); the compiled scenario records which rule applied.
* **Deficits.** Named economies get their new deficit (``set``, millions USD, or ``scale`` ×
  current); every other economy absorbs the difference in proportion to its value added, so
  deficits sum to zero; the closure is ``given``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from ..data import (
    BLOCS,
    HandEnteredTariffs,
    TariffSchedule,
    goods_mask,
)
from ..errors import ScenarioError, TradewarError
from ..model import Economy
from ._actions import Group
from ._algebra import expand_name
from ._layers import LayerQuotes
from ._load import locate_line
from ._messages import loc_text
from ._nontariff import NonTariffArrays, stack_kwargs
from ._nontariff import apply_group as apply_nontariff
from ._retaliation import RetaliationRule
from ._schema import Scenario, Step
from ._start import RECALIBRATE_FROM_YEAR, StartingPoint, starting_point

if TYPE_CHECKING:
    from ..data import Baseline

__all__ = [
    "KNOWN_ECONOMIES",
    "MAX_MAIN_COUNTRIES",
    "RECALIBRATE_FROM_YEAR",
    "CompiledScenario",
    "CompiledStep",
    "compile_tariffs",
]

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
class CompiledStep:
    """One equilibrium to solve: its label, date and tariffs (N, N, J), fractions; ``nontariff``
    the non-tariff instruments (iceberg costs, export taxes, bans; :mod:`._nontariff`), None when
    the scenario has none."""

    label: str
    date: date | None
    tariffs: np.ndarray
    nontariff: NonTariffArrays | None = None


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
        retaliation: the retaliation rule that was applied (``none``, ``mirror``, or the name
            of a rule supplied by the layer above, e.g. ``optimal``).
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
    retaliation: str = "none"

    @property
    def tariffs(self) -> np.ndarray:
        """(S, N, N, J) stack of the steps' tariffs."""
        return np.stack([s.tariffs for s in self.steps])

    def solve_kwargs(self) -> dict[str, Any]:
        """The non-tariff keyword arguments of :func:`tradewar.model.solve_batch` for the steps
        (``trade_cost_hat``, ``export_tax``, ``blocked``, each (S, N, N, J)); empty for a
        tariff-only scenario, which is then solved exactly as before."""
        return stack_kwargs([s.nontariff for s in self.steps if s.nontariff is not None])


class _Compiler:
    def __init__(self, scenario: Scenario, baseline: Baseline, data_dir: Any,
                 rule: RetaliationRule | None) -> None:
        self.scenario = scenario
        self.baseline = baseline
        self.economy: Economy = baseline.economy
        self.countries: tuple[str, ...] = tuple(self.economy.countries)
        self.sectors: tuple[str, ...] = tuple(self.economy.sectors)
        self.goods = goods_mask(self.sectors)
        self.data_dir = data_dir if data_dir is not None else getattr(baseline, "data_dir", None)
        self.members: dict[str, tuple[str, ...]] | None = getattr(baseline, "region_members", None)
        self.rule = rule
        self.notes: list[str] = []
        self.layers = LayerQuotes(self.countries, self.sectors, self.members, self.data_dir,
                                  self.notes)
        self.mentioned: list[str] = []
        self.used_all = False

    # ---- helpers ----
    def where(self, loc: tuple[str | int, ...]) -> str:
        name = self.scenario.source or f"scenario {self.scenario.name!r}"
        line = locate_line(self.scenario._source_text, loc)
        where = f"{name}, line {line}" if line else name
        return f"{where}: {loc_text(loc)}"

    def fail(self, loc: tuple[str | int, ...], message: str) -> ScenarioError:
        return ScenarioError(f"{self.where(loc)}: {message}")

    @property
    def schedule(self) -> TariffSchedule:
        return self.layers.schedule

    @property
    def hand(self) -> HandEnteredTariffs:
        return self.layers.hand

    def expand(self, names: str | list[str], loc: tuple[str | int, ...]) -> list[int]:
        """Indices of the economies ``names`` stand for (:func:`expand_name`), with the
        compiler's notes and file/line errors."""
        items = [names] if isinstance(names, str) else list(names)
        out: list[int] = []
        for k, name in enumerate(items):
            here = loc if isinstance(names, str) else loc + (k,)
            selection = expand_name(self.countries, name, BLOCS)
            if selection is not None:
                if selection.kind == "all":
                    self.used_all = True
                else:
                    self.mentioned.extend(self.countries[i] for i in selection.indices)
                if selection.absent:
                    self.notes.append(f"bloc {name}: members {', '.join(selection.absent)} are "
                                      "not economies of this baseline and are left out")
                out.extend(selection.indices)
                continue
            if name in BLOCS:
                raise self.fail(here, f"bloc {name!r} has no member in this baseline "
                                f"(members {', '.join(BLOCS[name])}); allowed: "
                                + self._allowed_countries())
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

    def sector_mask(self, sectors: str | list[str], loc: tuple[str | int, ...]) -> np.ndarray:
        """Boolean (J,) mask of ``sectors`` ("all", "goods" or codes), file/line errors."""
        if sectors == "all":
            return np.ones(len(self.sectors), dtype=bool)
        if sectors == "goods":
            return self.goods.copy()
        mask = np.zeros(len(self.sectors), dtype=bool)
        for k, code in enumerate(sectors):
            if code not in self.sectors:
                raise self.fail(loc + (k,), f"unknown sector {code!r}; allowed: "
                                + ", ".join(self.sectors) + " (or sectors = 'all' | 'goods')")
            mask[self.sectors.index(code)] = True
        if not mask.any():  # HOSTILE, issue 14: an empty list would change nothing, silently
            raise self.fail(loc, "an empty list of sectors changes nothing; allowed: 'all', "
                            "'goods' or a non-empty list of sector codes")
        return mask

    def rate(self, value: float | str, exporter: int, loc: tuple[str | int, ...]) -> tuple[np.ndarray, str | None]:
        """(J,) rates of a number or a layer reference on ``exporter``, and the layer name."""
        if not isinstance(value, str):
            return np.full(len(self.sectors), float(value)), None
        try:
            return self.layers.rates(value, exporter)
        except TradewarError as exc:
            raise self.fail(loc, str(exc)) from None


def _start(compiler: _Compiler) -> StartingPoint:
    return starting_point(
        compiler.baseline, compiler.scenario.start, data_dir=compiler.data_dir,
        schedule=compiler.schedule if compiler.scenario.start != "baseline" else None,
        hand=compiler.hand if compiler.scenario.start != "baseline" else None,
        where=compiler.where(("start",)))


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


def _has_nontariff(scenario: Scenario) -> bool:
    """Whether any group holds a non-tariff action (trade cost, export tax or ban, deep
    agreement, coalition export ban)."""
    groups: list[Scenario | Step] = [scenario, *scenario.step]
    return any(g.trade_cost or g.export_tax or any(a.depth == "deep" for a in g.agreement)
               or any(c.ban_sectors is not None for c in g.coalition) for g in groups)


def compile_tariffs(scenario: Scenario, baseline: Baseline, *,
                    data_dir: str | os.PathLike[str] | None = None,
                    retaliation_rule: RetaliationRule | None = None) -> CompiledScenario:
    """Compile ``scenario`` on ``baseline`` (anything with ``.economy``; ``.dataset``,
    ``.year`` and ``.region_members`` are used when present).

    ``retaliation_rule``: the function applying a rule other than ``none``/``mirror`` (e.g.
    ``tradewar.analysis.optimal_retaliation_rule`` for ``"optimal"``; default: the rule
    registered under the scenario's name, see :func:`register_retaliation_rule`).

    Returns a :class:`CompiledScenario`: the starting economy, one (N, N, J) tariff array per
    step, the new deficits, the retaliation rule applied. Raises :class:`ScenarioError` (file,
    line, key path, allowed values) for unknown countries or sectors, tariffs at or below
    -100 %, and a rule nobody supplied. Nothing is written.
    """
    if not isinstance(scenario, Scenario):
        raise ScenarioError(f"expected a Scenario, got {type(scenario).__name__}; load one with "
                            "load_scenario(path) or builtin_scenario(name)")
    compiler = _Compiler(scenario, baseline, data_dir, retaliation_rule)
    start = _start(compiler)
    start_economy = start.economy
    compiler.notes[:0] = list(start.notes)
    applied: dict[str, np.ndarray] = {}
    tau = np.array(start_economy.tariffs, dtype=float, copy=True)
    top = Group(compiler, tau, applied)
    top.run(scenario.tariff, scenario.agreement, scenario.coalition, (), scenario.name)
    tau = top.tau
    nontariff = apply_nontariff(NonTariffArrays.none(tau.shape), compiler, scenario.trade_cost,
                                scenario.export_tax, scenario.agreement, (), scenario.coalition)
    has_nontariff = _has_nontariff(scenario)
    steps: list[CompiledStep] = []
    if not scenario.step:
        dates = [a.date for a in scenario.tariff if a.date] + [a.date for a in scenario.agreement if a.date]
        dates += [a.date for a in scenario.trade_cost if a.date]
        dates += [a.date for a in scenario.export_tax if a.date]
        steps.append(CompiledStep(label=scenario.name, date=max(dates) if dates else None,
                                  tariffs=tau.copy(), nontariff=nontariff if has_nontariff else None))
    for k, step in enumerate(scenario.step):
        group = Group(compiler, tau.copy(), applied)
        group.run(step.tariff, step.agreement, step.coalition, ("step", k), step.label)
        tau = group.tau
        nontariff = apply_nontariff(nontariff, compiler, step.trade_cost, step.export_tax,
                                    step.agreement, ("step", k), step.coalition)
        steps.append(CompiledStep(label=step.label, date=step.date, tariffs=tau.copy(),
                                  nontariff=nontariff if has_nontariff else None))
    deficits_new = _deficits(compiler, start_economy)
    closure = "given" if deficits_new is not None else scenario.closure
    return CompiledScenario(
        scenario=scenario, start_economy=start_economy, start=scenario.start,
        start_method=start.method, starting_tariffs=start.text, steps=tuple(steps),
        deficits_new=deficits_new, closure=closure,
        main_countries=_main_countries(compiler, start_economy),
        notes=tuple(dict.fromkeys(compiler.notes)), retaliation=scenario.retaliation,
    )
