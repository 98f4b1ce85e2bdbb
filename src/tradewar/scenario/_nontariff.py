"""Beyond tariffs in the scenario language: trade-cost actions, export taxes and controls, and
the non-tariff part of deep agreements (issue 12).

Schema (TOML tables, validated like tariff actions, unknown keys refused):

* ``[[trade_cost]]`` importer, exporter, sectors (default ``"goods"``) and exactly one of
  ``ave`` — the change of the ad-valorem equivalent of non-tariff costs in points of the
  delivered price (fraction, > -1: ``-0.05`` = 5 points cheaper, i.e. iceberg factor 0.95) —
  or ``factor`` — the iceberg factor itself (> 0; 1 = no change). Resources are lost, no
  revenue (docs/model.md).
* ``[[export_tax]]`` exporter, destination (default ``"ALL"``), sectors (default
  ``"goods"``) and exactly one of ``rate`` (the tax equivalent of the restriction as a fraction
  of the producer price, > -1; it SETS the rate on its cells), ``prohibitive = true`` (an
  export ban: the flows stop) or ``lift = true`` (a ban on these cells ends; rates unchanged).
  ``rents`` says who gets the rent of a non-prohibitive restriction: ``"exporter"`` (default:
  an export tax, revenue to the exporting country) or ``"lost"`` (an iceberg cost 1 + rate:
  licensing delays, nobody collects the rent). A ban has no rents (nothing is sold).
* ``[[agreement]] depth = "deep"`` also lowers non-tariff trade costs among the members by a
  gravity estimate β of an agreement's effect on trade: iceberg factor ``exp(-β/θ_j)`` in every
  sector, so trade among members rises by e^β at given prices. Default β =
  :data:`DEEP_AGREEMENT_EFFECT` (our PPML estimate on gegravity's sample; the test
  tests/analysis/test_gravity.py checks it equals :mod:`tradewar.analysis.gravity`'s estimate);
  ``effect`` passes a published estimate instead, with ``effect_source`` citing it. Pairs
  already in an agreement of their own when the data were recorded (``existing``, each with
  the year it entered into force and its source) get no second non-tariff cut when it was in
  force before the data year began (``since`` < data year). A deep agreement SETS the cut (the
  same agreement in a later step does not cut twice).
* ``[[coalition]] ban_sectors``: every member also stops exporting those sectors to the target.

Steps of a ladder apply on top of each other, as tariff actions do. Pure array functions (no I/O, inputs never mutated) build the (N, N, J) arrays the engine takes
(``trade_cost_hat``, ``export_tax``, ``blocked``), on top of the tariff algebra (:mod:`._algebra`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..options import AGREEMENT_DEPTHS, EXPORT_TAX_RENTS, AgreementDepth, ExportTaxRents
from ._algebra import add_points, expand_name, set_rates

if TYPE_CHECKING:
    from ..data import Baseline
    from ..model import Economy

#: Gravity estimate of a preferential trade agreement's effect on trade (log points, trade ×
#: e^β at given prices): the PTA coefficient of PPML with exporter and importer fixed effects on
#: gegravity's 30-country 2006 sample (domestic flows, controls lndist, contiguity,
#: common_language, international) — our estimate, tradewar.analysis.gravity
#: .deep_agreement_effect(), which reproduces gegravity's published example (0.4711383).
DEEP_AGREEMENT_EFFECT = 0.4711383
DEEP_AGREEMENT_SOURCE = ("tradewar PPML estimate (exporter and importer fixed effects) on gegravity's "
                         "sample: 0.4711 (= gegravity's published example, USITC, 2021)")

Depth = AgreementDepth  # the option Literals live in tradewar.options
DEPTHS: tuple[str, ...] = AGREEMENT_DEPTHS
Rents = ExportTaxRents
RENTS: tuple[str, ...] = EXPORT_TAX_RENTS

#: Allowed values of the new keys, for error messages (merged into _schema.ALLOWED).
ALLOWED_NONTARIFF: dict[str, str] = {
    "ave": "a number: change of the ad-valorem equivalent in points of the delivered price, as a "
           "fraction > -1 (-0.05 = 5 points lower)",
    "factor": "a number > 0: the iceberg trade-cost factor (1 = no change, 0.95 = 5 % cheaper)",
    "destination": "a country or bloc code, or a list of them ('ALL' = every other economy)",
    "rate": "a number: export tax as a fraction of the producer price, > -1 (0.25 = 25 %)",
    "prohibitive": "true (an export ban: the flows stop) or false",
    "lift": "true (an export ban on these cells ends; rates unchanged) or false",
    "rents": "'exporter' (an export tax: revenue to the exporting country) or 'lost' (an iceberg "
             "cost: the rents are dissipated)",
    "depth": "'tariffs' (tariffs among members to zero) or 'deep' (also lower non-tariff trade "
             "costs by a gravity estimate)",
    "effect": "a number > 0: gravity estimate of the agreement's effect on trade (log points; "
              "trade x e^effect), with effect_source citing it",
    "effect_source": "a string citing the published estimate passed as `effect`",
    "existing": "a list of {pair = [A, B], since = YEAR, source = '...'}: member pairs already in "
                "an agreement of their own (no second non-tariff cut from the data year on)",
    "pair": "two country or bloc codes",
    "ban_sectors": "'all', 'goods' or a list of sector codes: every member also stops exporting "
                   "them to the target (export controls)",
    "since": "a year (the agreement's entry into force)",
    "source": "a string (where the date comes from)",
}


def check_positive_number(value: Any, key: str, *, lower: float, inclusive: bool = False) -> Any:
    """A finite number above ``lower`` (booleans refused), else ValueError with the allowed text."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number; allowed: {ALLOWED_NONTARIFF[key]}")
    if not math.isfinite(float(value)):
        raise ValueError(f"{value!r} is not a finite number; allowed: {ALLOWED_NONTARIFF[key]}")
    if float(value) < lower or (not inclusive and float(value) == lower):
        raise ValueError(f"{value!r} is out of range; allowed: {ALLOWED_NONTARIFF[key]}")
    return float(value)


# ---------------------------------------------------------------------------------------------
# pure array functions
# ---------------------------------------------------------------------------------------------
def scale_trade_costs(trade_cost_hat: np.ndarray, importers: Sequence[int] | np.ndarray,
                      exporters: Sequence[int] | np.ndarray, sectors: np.ndarray,
                      factor: float | np.ndarray) -> np.ndarray:
    """``d_hat' = d_hat * factor`` on importer × exporter (importer ≠ exporter) × selected
    sector: iceberg changes compose multiplicatively (they add in logs). ``factor``: a number
    or (J,) per sector, > 0. A new (N, N, J) array."""
    log_d = np.log(np.asarray(trade_cost_hat, dtype=np.float64))
    return np.exp(add_points(log_d, importers, exporters, sectors, np.log(factor)))


def set_export_tax(export_tax: np.ndarray, destinations: Sequence[int] | np.ndarray,
                   exporters: Sequence[int] | np.ndarray, sectors: np.ndarray,
                   rate: float | np.ndarray) -> np.ndarray:
    """Export taxes ``t'[n, i, j] = rate`` for destinations n × exporters i × selected sectors
    (n ≠ i), layout [importer, exporter, sector] like tariffs. A new array."""
    return set_rates(export_tax, destinations, exporters, sectors, rate)


def ban_exports(blocked: np.ndarray, destinations: Sequence[int] | np.ndarray,
                exporters: Sequence[int] | np.ndarray, sectors: np.ndarray) -> np.ndarray:
    """``blocked`` (bool (N, N, J)) with the flows exporters → destinations in ``sectors``
    prohibited (domestic sales never). A new array."""
    marks = set_rates(np.zeros(np.shape(blocked)), destinations, exporters, sectors, 1.0)
    return np.asarray(blocked, dtype=bool) | (marks > 0)


def deep_agreement_factor(theta: np.ndarray, effect: float = DEEP_AGREEMENT_EFFECT) -> np.ndarray:
    """Iceberg factor (J,) of a deep agreement: ``exp(-effect / theta_j)``, so that trade among
    members at given prices rises by ``d_hat^(-theta_j) = e^effect`` in every sector."""
    return np.exp(-float(effect) / np.asarray(theta, dtype=np.float64))


def set_deep_trade_costs(deep_hat: np.ndarray, members: Sequence[int], theta: np.ndarray,
                         effect: float = DEEP_AGREEMENT_EFFECT,
                         excluded: Sequence[tuple[int, int]] = ()) -> np.ndarray:
    """``deep_hat`` with the member pairs (both directions, every sector, ``excluded`` pairs
    left as they are) SET to :func:`deep_agreement_factor` — the same agreement twice cuts
    once. A new (N, N, J) array."""
    return _among_members(deep_hat, members, theta, effect, excluded, set_rates)


def deep_trade_costs(trade_cost_hat: np.ndarray, members: Sequence[int], theta: np.ndarray,
                     effect: float = DEEP_AGREEMENT_EFFECT,
                     excluded: Sequence[tuple[int, int]] = ()) -> np.ndarray:
    """Lower non-tariff costs among ``members`` (both directions, every sector) by
    :func:`deep_agreement_factor`, except on the ``excluded`` pairs (either order: pairs with
    an agreement of their own). A new (N, N, J) array."""
    return _among_members(trade_cost_hat, members, theta, effect, excluded, scale_trade_costs)


def _among_members(array: np.ndarray, members: Sequence[int], theta: np.ndarray, effect: float,
                   excluded: Sequence[tuple[int, int]], apply: Any) -> np.ndarray:
    """``apply(array, [m], partners, every sector, factor)`` for each member m and its fellow
    members (``excluded`` pairs, either order, skipped): the one loop of both deep-agreement
    operations (set, or scale)."""
    factor = deep_agreement_factor(theta, effect)
    out = np.array(array, dtype=np.float64, copy=True)
    skip = {(a, b) for a, b in excluded} | {(b, a) for a, b in excluded}
    every = np.ones(out.shape[2], dtype=bool)
    for m in members:
        partners = [e for e in members if e != m and (m, e) not in skip]
        if partners:
            out = apply(out, [m], partners, every, factor)
    return out


@dataclass(frozen=True, eq=False)
class NonTariffArrays:
    """The non-tariff instruments of one step.

    ``trade_cost_hat`` (N, N, J) iceberg factors from ``[[trade_cost]]`` and deep agreements
    (1 = unchanged); ``deep_hat`` (N, N, J) the iceberg cut of deep agreements among their
    members, or None (SET by each deep agreement, so repeating one in a later step does not cut
    twice, and a deeper one replaces it); ``lost_rate`` (N, N, J) tax equivalents of export
    restrictions whose rents
    are lost, or None; ``export_tax`` (N, N, J) fractions (revenue to the exporter) or None;
    ``blocked`` (N, N, J) bool (export bans) or None. The engine takes :attr:`iceberg`
    (``trade_cost_hat * deep_hat * (1 + lost_rate)``), ``export_tax`` and ``blocked``.
    """

    trade_cost_hat: np.ndarray
    export_tax: np.ndarray | None = None
    blocked: np.ndarray | None = None
    lost_rate: np.ndarray | None = None
    deep_hat: np.ndarray | None = None

    @classmethod
    def none(cls, shape: tuple[int, int, int]) -> NonTariffArrays:
        return cls(np.ones(shape))

    @property
    def iceberg(self) -> np.ndarray:
        """Iceberg factors the engine takes, (N, N, J)."""
        out = self.trade_cost_hat
        if self.deep_hat is not None:
            out = out * self.deep_hat
        if self.lost_rate is not None:
            out = out * (1.0 + self.lost_rate)
        return out

    @property
    def active(self) -> bool:
        return bool(self.solve_kwargs())

    def solve_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :func:`tradewar.model.solve` (empty when nothing is set, so
        tariff-only scenarios call the engine exactly as before)."""
        out: dict[str, Any] = {}
        if (self.iceberg != 1.0).any():
            out["trade_cost_hat"] = self.iceberg
        if self.export_tax is not None and (self.export_tax != 0.0).any():
            out["export_tax"] = self.export_tax
        if self.blocked is not None and self.blocked.any():
            out["blocked"] = self.blocked
        return out


def stack_kwargs(steps: Sequence[NonTariffArrays]) -> dict[str, Any]:
    """Batched keyword arguments of :func:`tradewar.model.solve_batch` for several steps (an
    instrument absent from every step is left out, so tariff-only scenarios are unchanged)."""
    per_step = [s.solve_kwargs() for s in steps]
    if not any(per_step):
        return {}
    shape = steps[0].trade_cost_hat.shape
    defaults = {"trade_cost_hat": np.ones(shape), "export_tax": np.zeros(shape),
                "blocked": np.zeros(shape, dtype=bool)}
    out: dict[str, Any] = {}
    for key, default in defaults.items():
        if any(key in kw for kw in per_step):
            out[key] = np.stack([kw.get(key, default) for kw in per_step])
    return out


class _Resolver(Protocol):
    """What the compiler offers to resolve names (its ``expand``, ``sector_mask``, ``fail``)."""

    economy: Economy
    baseline: Baseline
    notes: list[str]

    def expand(self, names: str | list[str], loc: tuple[str | int, ...]) -> list[int]: ...

    def sector_mask(self, sectors: str | list[str], loc: tuple[str | int, ...]) -> np.ndarray: ...

    def fail(self, loc: tuple[str | int, ...], message: str) -> Exception: ...


def _excluded_pairs(c: _Resolver, agreement: Any, members: list[int],
                    loc: tuple[str | int, ...]) -> list[tuple[int, int]]:
    """Member pairs already in an agreement in force before the data year (names may be blocs:
    ``["EU27", "EU27"]`` is every pair of EU members); codes absent from the baseline are
    skipped (e.g. inside ROW)."""
    year = getattr(c.baseline, "year", None)
    countries = tuple(c.economy.countries)
    out: list[tuple[int, int]] = []
    for k, existing in enumerate(getattr(agreement, "existing", ()) or ()):
        if year is not None and int(existing.since) >= int(year):
            continue  # not yet in force for the whole data year: the data do not reflect it
        sides = [expand_name(countries, name) for name in existing.pair]
        if sides[0] is None or sides[1] is None:
            continue
        for a in sides[0].indices:
            for b in sides[1].indices:
                if a == b:
                    continue
                if a not in members or b not in members:
                    raise c.fail(loc + ("existing", k, "pair"),
                                 f"{countries[a]}-{countries[b]} is not a pair of members of the "
                                 "agreement; allowed: two of its members (or blocs of members)")
                out.append((a, b))
    return out


def apply_group(state: NonTariffArrays, c: _Resolver, trade_costs: Sequence[Any],
                export_taxes: Sequence[Any], agreements: Sequence[Any],
                prefix: tuple[str | int, ...], coalitions: Sequence[Any] = ()) -> NonTariffArrays:
    """Apply one group of actions (top level or one step) to the non-tariff arrays: deep
    agreements first (as agreements come first for tariffs), then ``[[trade_cost]]``, then
    ``[[export_tax]]``, then the export bans of ``[[coalition]]`` (``ban_sectors``: every member
    stops exporting those sectors to the target), each in file order. Returns new arrays."""
    d_hat = state.trade_cost_hat
    tax = state.export_tax
    blocked = state.blocked
    lost = state.lost_rate
    deep = state.deep_hat
    shape = d_hat.shape
    theta = np.asarray(c.economy.theta, dtype=np.float64)
    for k, agreement in enumerate(agreements):
        if getattr(agreement, "depth", "tariffs") != "deep":
            continue
        loc = prefix + ("agreement", k)
        members = c.expand(agreement.members, loc + ("members",))
        effect = DEEP_AGREEMENT_EFFECT if agreement.effect is None else float(agreement.effect)
        source = DEEP_AGREEMENT_SOURCE if agreement.effect is None else str(agreement.effect_source)
        excluded = _excluded_pairs(c, agreement, members, loc)
        deep = set_deep_trade_costs(np.ones(shape) if deep is None else deep, members, theta, effect,
                                    excluded)
        factor = deep_agreement_factor(theta, effect)
        name = agreement.name or "agreement"
        pairs = sorted({tuple(sorted((c.economy.countries[a], c.economy.countries[b]))) for a, b in excluded})
        skipped = ", ".join(f"{a}-{b}" for a, b in pairs[:8]) + (f" and {len(pairs) - 8} more pairs"
                                                                 if len(pairs) > 8 else "")
        c.notes.append(
            f"deep {name}: non-tariff trade costs among members x exp(-{effect:.4g}/theta_j) "
            f"(iceberg factor {factor.min():.3f}-{factor.max():.3f} across sectors; trade at given "
            f"prices x {math.exp(effect):.3f}); estimate: {source}"
            + (f"; no second cut for pairs already in an agreement in the data year: {skipped}"
               if skipped else ""))
    for k, action in enumerate(trade_costs):
        loc = prefix + ("trade_cost", k)
        importers = c.expand(action.importer, loc + ("importer",))
        exporters = c.expand(action.exporter, loc + ("exporter",))
        mask = c.sector_mask(action.sectors, loc + ("sectors",))
        d_hat = scale_trade_costs(d_hat, importers, exporters, mask, action.iceberg)
    for k, action in enumerate(export_taxes):
        loc = prefix + ("export_tax", k)
        exporters = c.expand(action.exporter, loc + ("exporter",))
        destinations = c.expand(action.destination, loc + ("destination",))
        mask = c.sector_mask(action.sectors, loc + ("sectors",))
        if not any(n != i for n in destinations for i in exporters):
            raise c.fail(loc + ("destination",), "no flow between two different economies is "
                         "selected; allowed: destinations other than the exporter")
        if action.prohibitive:
            blocked = ban_exports(np.zeros(shape, dtype=bool) if blocked is None else blocked,
                                  destinations, exporters, mask)
        elif action.lift:
            if blocked is not None:
                blocked = blocked & ~ban_exports(np.zeros(shape, dtype=bool), destinations, exporters, mask)
        elif action.rents == "exporter":
            tax = set_export_tax(np.zeros(shape) if tax is None else tax, destinations, exporters,
                                 mask, float(action.rate))
        else:
            lost = set_export_tax(np.zeros(shape) if lost is None else lost, destinations, exporters,
                                  mask, float(action.rate))
    for k, coalition in enumerate(coalitions):
        if getattr(coalition, "ban_sectors", None) is None:
            continue
        loc = prefix + ("coalition", k)
        members = c.expand(coalition.members, loc + ("members",))
        targets = c.expand(coalition.target, loc + ("target",))
        mask = c.sector_mask(coalition.ban_sectors, loc + ("ban_sectors",))
        blocked = ban_exports(np.zeros(shape, dtype=bool) if blocked is None else blocked,
                              targets, members, mask)
    return NonTariffArrays(trade_cost_hat=d_hat, export_tax=tax, blocked=blocked, lost_rate=lost,
                           deep_hat=deep)
