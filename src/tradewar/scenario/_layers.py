"""Tariff layers quoted by name and date (``"us-2025:2025-04-09"``): their rates on a baseline.

A layer reference gives, for one exporter, the (J,) rates (fractions) a layer of
:data:`tradewar.data.LAYERS` sets on that day: ``us-2025`` (the US layer on the exporter, by
sector, read from ``tariffs2025/``) or a hand-entered layer (the same on every exporter). The
scenario compiler quotes layers through :class:`LayerQuotes`; analyses use :func:`layer_rates`
instead of building a scenario.
"""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from ..data import (
    HandEnteredTariffs,
    TariffSchedule,
    hand_entered,
    hand_layer_rates,
    parse_layer_reference,
    us_rates_on,
    us_tariff_schedule,
)

if TYPE_CHECKING:
    from ..data import Baseline

__all__ = ["LayerQuotes", "layer_rates"]


class LayerQuotes:
    """Rates of layer references on one baseline's countries and sectors, each read once.

    ``notes`` (a list, possibly shared with the caller) receives the data notes of each layer
    the first time it is quoted. The US schedule and the hand-entered layers are read lazily.
    """

    def __init__(self, countries: tuple[str, ...], sectors: tuple[str, ...],
                 members: dict[str, tuple[str, ...]] | None, data_dir: Any,
                 notes: list[str] | None = None) -> None:
        self.countries = countries
        self.sectors = sectors
        self.members = members
        self.data_dir = data_dir
        self.notes: list[str] = notes if notes is not None else []
        self._schedule: TariffSchedule | None = None
        self._hand: HandEnteredTariffs | None = None
        self._cache: dict[tuple[str, Any, int], np.ndarray] = {}

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

    def rates(self, reference: str, exporter: int) -> tuple[np.ndarray, str]:
        """(J,) rates (fractions) of ``reference`` on exporter index ``exporter``, and the
        layer's name. Raises :class:`tradewar.errors.TradewarError` subclasses for an unknown
        layer, a date outside it, or missing data."""
        layer, when = parse_layer_reference(reference)
        key = (layer, when, exporter if layer == "us-2025" else -1)
        if key not in self._cache:
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
            self._cache[key] = rates
        return self._cache[key], layer


def layer_rates(baseline: Baseline, reference: str, exporters: list[int] | np.ndarray, *,
                data_dir: str | os.PathLike[str] | None = None) -> tuple[np.ndarray, tuple[str, ...]]:
    """The rates (E, J), fractions, that the layer ``reference`` (``"<layer>:<YYYY-MM-DD>"`` or
    ``"<layer>:latest"``) sets on each exporter index of ``exporters``, and the data notes.

    Use with the tariff algebra, e.g. the points the US 2025 layer adds on allies' goods:
    ``add_points(tau, [us], allies, goods, layer_rates(b, "us-2025:2025-08-07", allies)[0][None])``.
    """
    economy = baseline.economy
    quotes = LayerQuotes(tuple(economy.countries), tuple(economy.sectors),
                         getattr(baseline, "region_members", None),
                         data_dir if data_dir is not None else getattr(baseline, "data_dir", None))
    rows = [quotes.rates(reference, int(e))[0] for e in np.atleast_1d(np.asarray(exporters))]
    return np.stack(rows), tuple(dict.fromkeys(quotes.notes))
