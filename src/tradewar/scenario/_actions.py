"""One group of actions (the top level, or one step of a ladder) applied to a tariff array:
agreements, then tariff actions in file order, then coalitions, then retaliation.

Every array change is made by the tariff algebra (:mod:`._algebra`); this module adds what the
scenario language means on top of it: file/line errors, layer references quoted step after
step, the pairs an action touched, and the retaliation rule named by the scenario.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._algebra import add_points, agree, first_invalid, mirror, set_rates
from ._retaliation import RetaliationContext, registered_rule
from ._schema import Agreement, Coalition, TariffAction

if TYPE_CHECKING:
    from ._compile import _Compiler as Compiler

__all__ = ["Group"]


class Group:
    """Applies one group of actions (top level or one step) to a tariff array."""

    def __init__(self, compiler: Compiler, tariffs: np.ndarray, applied: dict[str, np.ndarray]):
        self.c = compiler
        self.tau = tariffs
        self.applied = applied
        self.touched: set[tuple[int, int]] = set()

    def _check(self, importers: list[int], exporters: list[int], mask: np.ndarray,
               loc: tuple[str | int, ...]) -> None:
        bad = first_invalid(self.tau, importers, exporters, mask)
        if bad is not None:
            m, e, s = bad
            raise self.c.fail(
                loc, f"the tariff of {self.c.countries[m]} on {self.c.countries[e]} in sector "
                f"{self.c.sectors[s]} would be {self.tau[m, e, s]:.4g} "
                f"({100 * self.tau[m, e, s]:.4g} %); allowed: > -1 (-100 %)")

    def change(self, importers: list[int], exporters: list[int], mask: np.ndarray, mode: str,
               value: float | str, loc: tuple[str | int, ...], key: str | None = None) -> None:
        """``set`` or ``add`` ``value`` on importers × exporters × ``mask`` (a country never
        tariffs itself). A layer quoted with ``add`` adds only its change since the last quote
        of the same layer on the same cell."""
        here = loc + (key or mode,)
        pairs = [(m, e) for m in importers for e in exporters if m != e]
        if not pairs:
            return
        layer: str | None = None
        by_exporter: dict[int, np.ndarray] = {}
        for _, e in pairs:  # in the order of the pairs, so layer notes keep their order
            if e not in by_exporter:
                by_exporter[e], layer = self.c.rate(value, e, here)
        rates = np.stack([by_exporter.get(e, np.zeros(len(self.c.sectors))) for e in exporters])
        rates = rates[None, :, :]  # (1, E, J): one row per exporter
        if mode == "set":
            self.tau = set_rates(self.tau, importers, exporters, mask, rates)
        elif layer is not None:
            done = self.applied.setdefault(layer, np.zeros_like(self.tau))
            quoted = done[np.ix_(np.asarray(importers), np.asarray(exporters), np.arange(done.shape[2]))]
            self.tau = add_points(self.tau, importers, exporters, mask, rates - quoted)
        else:
            self.tau = add_points(self.tau, importers, exporters, mask, rates)
        if layer is not None:
            done = self.applied.setdefault(layer, np.zeros_like(self.tau))
            self.applied[layer] = set_rates(done, importers, exporters, mask, rates)
        self._check(importers, exporters, mask, here)
        self.touched.update(pairs)

    def _refuse_own(self, importers: list[int], exporters: list[int], loc: tuple[str | int, ...],
                    other: str) -> None:
        """An action whose every importer is its exporter changes nothing: refuse it."""
        if all(m == e for m in importers for e in exporters):
            same = ", ".join(self.c.countries[i] for i in dict.fromkeys(importers))
            raise self.c.fail(loc, f"the same economy as the {other} ({same}): a tariff on its "
                              "own goods has no effect; allowed: a different economy")

    def tariff(self, action: TariffAction, loc: tuple[str | int, ...]) -> None:
        importers = self.c.expand(action.importer, loc + ("importer",))
        exporters = self.c.expand(action.exporter, loc + ("exporter",))
        mask = self.c.sector_mask(action.sectors, loc + ("sectors",))
        self._refuse_own(importers, exporters, loc + ("exporter",), "importer")  # HOSTILE, issue 14
        mode = "set" if action.set is not None else "add"
        value = action.set if action.set is not None else action.add
        assert value is not None
        self.change(importers, exporters, mask, mode, value, loc)

    def agreement(self, agreement: Agreement, loc: tuple[str | int, ...]) -> None:
        members = self.c.expand(agreement.members, loc + ("members",))
        if len(members) < 2:
            raise self.c.fail(loc + ("members",), "an agreement needs at least two economies of "
                              "this baseline; allowed: " + self.c._allowed_countries())
        self.tau = agree(self.tau, members)

    def coalition(self, coalition: Coalition, loc: tuple[str | int, ...]) -> None:
        members = self.c.expand(coalition.members, loc + ("members",))
        targets = self.c.expand(coalition.target, loc + ("target",))
        mask = self.c.sector_mask(coalition.sectors, loc + ("sectors",))
        self._refuse_own(members, targets, loc + ("target",), "members")  # HOSTILE, issue 14
        for t in targets:
            self.change(members, [t], mask, "add", coalition.tariff, loc, key="tariff")

    def run(self, tariffs: list[TariffAction], agreements: list[Agreement],
            coalitions: list[Coalition], prefix: tuple[str | int, ...], label: str) -> None:
        for k, agreement in enumerate(agreements):
            self.agreement(agreement, prefix + ("agreement", k))
        before = self.tau.copy()
        for k, action in enumerate(tariffs):
            self.tariff(action, prefix + ("tariff", k))
        for k, coalition in enumerate(coalitions):
            self.coalition(coalition, prefix + ("coalition", k))
        self.retaliate(before, label)

    def retaliate(self, before: np.ndarray, label: str) -> None:
        rule = self.c.scenario.retaliation
        if rule == "none" or not self.touched:
            return
        if rule == "mirror":
            answering = sorted((m, e) for m, e in self.touched if (e, m) not in self.touched)
            pairs = np.zeros(self.tau.shape[:2], dtype=bool)
            for m, e in answering:
                pairs[m, e] = True
            changes = np.where(pairs[:, :, None], self.tau - before, 0.0)
            self.tau = mirror(self.tau, changes, self.c.goods)
            for m, e in answering:
                self._check([e], [m], self.c.goods, ("retaliation",))
            return
        fn = self.c.rule or registered_rule(rule)
        if fn is None:
            raise self.c.fail(("retaliation",), f"retaliation {rule!r} is computed by the layer "
                              "above the scenario language (tradewar.analysis: a best response); "
                              "allowed: pass retaliation_rule= (e.g. "
                              "tradewar.analysis.optimal_retaliation_rule) to compile_tariffs or "
                              "run_scenario, or import tradewar.analysis, which registers it")
        context = RetaliationContext(
            economy=self.c.economy, before=before.copy(), after=self.tau.copy(),
            touched=frozenset(self.touched), goods=self.c.goods.copy(), scenario=self.c.scenario,
            label=label)
        new = np.asarray(fn(context), dtype=float)
        if new.shape != self.tau.shape or not np.isfinite(new).all() or (new <= -1).any():
            raise self.c.fail(("retaliation",), f"rule {rule!r} returned an invalid tariff array; "
                              f"allowed: finite (N, N, J) = {self.tau.shape} values > -1")
        self.tau = new
