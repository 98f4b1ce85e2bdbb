"""The engine's input: a calibrated economy as plain, checked arrays.

Axis convention, used everywhere in tradewar (written once, here):

* bilateral arrays ``[n, i, j]`` = ``[importer, exporter, sector]``;
* input shares ``gamma[n, k, j]`` = ``[country, input sector, using sector]``;
* country-by-sector arrays ``[n, j]``.

Money is in millions of US dollars; tariffs and shares are fractions (0.25 = 25 %).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..errors import InvalidArrayError

#: Relative tolerance for "shares sum to one" checks on input arrays.
SHARE_TOL = 1e-6


def _first_bad_index(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(v) for v in np.argwhere(mask)[0])


def _label(index: tuple[int, ...], axes: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    parts = []
    for value, (axis_name, labels) in zip(index, axes, strict=False):
        name = labels[value] if value < len(labels) else str(value)
        parts.append(f"{axis_name}={name}")
    return "[" + ", ".join(parts) + "]"


def check_array(
    name: str,
    values: object,
    shape: tuple[int, ...],
    axes: tuple[tuple[str, tuple[str, ...]], ...],
    *,
    lower: float | None = None,
    lower_inclusive: bool = True,
    allowed: str = "",
) -> np.ndarray:
    """Return ``values`` as a float64 array after checking shape, finiteness and a lower bound.

    Raises :class:`InvalidArrayError` naming the array, the first offending index (with its
    country/sector labels) and what is allowed.
    """
    arr = np.asarray(values, dtype=np.float64)
    if arr.shape != shape:
        dims = " × ".join(f"{n} ({len(lbl)})" for n, lbl in axes)
        raise InvalidArrayError(f"{name}: shape {arr.shape} disagrees with {shape} = {dims}")
    bad = ~np.isfinite(arr)
    if bad.any():
        idx = _first_bad_index(bad)
        raise InvalidArrayError(
            f"{name}{_label(idx, axes)} is {arr[idx]}; allowed: finite numbers {allowed}".rstrip()
        )
    if lower is not None:
        bad = arr < lower if lower_inclusive else arr <= lower
        if bad.any():
            idx = _first_bad_index(bad)
            op = ">=" if lower_inclusive else ">"
            raise InvalidArrayError(
                f"{name}{_label(idx, axes)} is {arr[idx]:.6g}; allowed: {op} {lower:g} {allowed}".rstrip()
            )
    return arr


def check_tariffs(name: str, values: object, countries: tuple[str, ...], sectors: tuple[str, ...]) -> np.ndarray:
    """Check a ``[importer, exporter, sector]`` tariff array (fractions, each > -1)."""
    n, j = len(countries), len(sectors)
    axes = (("importer", countries), ("exporter", countries), ("sector", sectors))
    return check_array(
        name, values, (n, n, j), axes, lower=-1.0, lower_inclusive=False,
        allowed="(tariffs are fractions: 0.25 = 25 %, must exceed -1 = -100 %)",
    )


@dataclass(frozen=True, eq=False)
class Economy:
    """A calibrated world economy: the baseline every counterfactual is computed from.

    Parameters
    ----------
    countries : tuple of str, length N
        Economy codes (ISO3 or bloc names).
    sectors : tuple of str, length J
        Sector codes.
    flows : array (N, N, J)
        ``M[n, i, j]``: sales of exporter i to importer n in sector j, millions of USD at
        producer prices (tariffs excluded); domestic sales on the diagonal.
    tariffs : array (N, N, J)
        ``tau[n, i, j]``: ad-valorem tariff of importer n on exporter i (fraction, > -1).
    theta : array (J,)
        Trade elasticities (> 0): the elasticity of trade shares to trade costs is ``-theta``.
    va_share : array (N, J)
        ``beta[n, j]``: value-added share of gross output, in [0, 1].
    input_share : array (N, J, J)
        ``gamma[n, k, j]``: share of input k in the cost of sector j; ``gamma.sum(1) + beta = 1``.
    final_share : array (N, J)
        ``alpha[n, j]``: share of sector j in final demand; rows sum to one.
    deficit : array (N,), optional
        ``D[n]``: trade deficit, millions of USD. Defaults to imports minus exports in ``flows``.
    value_added : array (N,), optional
        ``wL[n]``: value added (GDP at factor cost), millions of USD. Defaults to
        ``sum_j beta[n, j] * Y[n, j]`` with ``Y[i, j] = sum_n M[n, i, j]``.

    Notes
    -----
    Construction validates every array and raises :class:`~tradewar.errors.InvalidArrayError`
    naming the array, the index and what is allowed. Nothing here mutates its inputs.
    """

    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    flows: np.ndarray
    tariffs: np.ndarray
    theta: np.ndarray
    va_share: np.ndarray
    input_share: np.ndarray
    final_share: np.ndarray
    deficit: np.ndarray | None = None
    value_added: np.ndarray | None = None
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        countries = tuple(str(c) for c in self.countries)
        sectors = tuple(str(s) for s in self.sectors)
        if len(set(countries)) != len(countries):
            dup = sorted({c for c in countries if countries.count(c) > 1})
            raise InvalidArrayError(f"countries: duplicated codes {dup}; each code must appear once")
        if len(set(sectors)) != len(sectors):
            dup = sorted({s for s in sectors if sectors.count(s) > 1})
            raise InvalidArrayError(f"sectors: duplicated codes {dup}; each code must appear once")
        n, j = len(countries), len(sectors)
        if n < 2 or j < 1:
            raise InvalidArrayError(f"countries/sectors: need at least 2 countries and 1 sector, got {n} and {j}")
        c_ax, s_ax = ("country", countries), ("sector", sectors)
        flows = check_array(
            "flows", self.flows, (n, n, j), (("importer", countries), ("exporter", countries), s_ax),
            lower=0.0, allowed="(millions of USD)",
        )
        tariffs = check_tariffs("tariffs", self.tariffs, countries, sectors)
        theta = check_array("theta", self.theta, (j,), (s_ax,), lower=0.0, lower_inclusive=False,
                            allowed="(trade elasticities must be positive)")
        beta = check_array("va_share", self.va_share, (n, j), (c_ax, s_ax), lower=0.0,
                           allowed="(fractions in [0, 1])")
        gamma = check_array("input_share", self.input_share, (n, j, j),
                            (c_ax, ("input", sectors), ("sector", sectors)), lower=0.0,
                            allowed="(fractions in [0, 1])")
        alpha = check_array("final_share", self.final_share, (n, j), (c_ax, s_ax), lower=0.0,
                            allowed="(fractions in [0, 1])")
        cost_total = gamma.sum(axis=1) + beta
        bad = np.abs(cost_total - 1.0) > SHARE_TOL
        if bad.any():
            idx = _first_bad_index(bad)
            raise InvalidArrayError(
                f"va_share + input_share summed over inputs{_label(idx, (c_ax, s_ax))} is "
                f"{cost_total[idx]:.8g}; allowed: 1 (cost shares of each sector must sum to one)"
            )
        alpha_total = alpha.sum(axis=1)
        bad = np.abs(alpha_total - 1.0) > SHARE_TOL
        if bad.any():
            idx = _first_bad_index(bad)
            raise InvalidArrayError(
                f"final_share summed over sectors{_label(idx, (c_ax,))} is {alpha_total[idx]:.8g}; "
                "allowed: 1 (final-demand shares must sum to one)"
            )
        expenditure = ((1.0 + tariffs) * flows).sum(axis=1)
        if (expenditure.sum(axis=1) <= 0).any():
            idx = _first_bad_index(expenditure.sum(axis=1) <= 0)
            raise InvalidArrayError(f"flows{_label(idx, (('importer', countries),))}: the country buys nothing; allowed: positive total expenditure")
        if self.deficit is None:
            deficit = flows.sum(axis=(1, 2)) - flows.sum(axis=(0, 2))
        else:
            deficit = check_array("deficit", self.deficit, (n,), (c_ax,), allowed="(millions of USD)")
        output = flows.sum(axis=0)
        if self.value_added is None:
            value_added = (beta * output).sum(axis=1)
        else:
            value_added = check_array("value_added", self.value_added, (n,), (c_ax,), lower=0.0,
                                      lower_inclusive=False, allowed="(millions of USD)")
        if (value_added <= 0).any():
            idx = _first_bad_index(value_added <= 0)
            raise InvalidArrayError(f"value_added{_label(idx, (c_ax,))} is {value_added[idx]:.6g}; allowed: > 0")
        world_deficit = deficit.sum()
        if abs(world_deficit) > 1e-6 * value_added.sum():
            raise InvalidArrayError(
                f"deficit: world deficits sum to {world_deficit:.6g} million USD; allowed: 0 "
                "(one country's deficit is another's surplus)"
            )
        for name, value in (
            ("countries", countries), ("sectors", sectors), ("flows", flows), ("tariffs", tariffs),
            ("theta", theta), ("va_share", beta), ("input_share", gamma), ("final_share", alpha),
            ("deficit", deficit), ("value_added", value_added), ("notes", tuple(self.notes)),
        ):
            if isinstance(value, np.ndarray):
                value = value.copy()
                value.flags.writeable = False
            object.__setattr__(self, name, value)

    # ----- derived quantities (all in millions of USD unless stated) -----
    @property
    def n_countries(self) -> int:
        return len(self.countries)

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)

    @cached_property
    def expenditure(self) -> np.ndarray:
        """``X[n, j]``: spending of n on sector j including tariffs, (N, J)."""
        return ((1.0 + self.tariffs) * self.flows).sum(axis=1)

    @cached_property
    def trade_shares(self) -> np.ndarray:
        """``pi[n, i, j]``: share of exporter i in n's tariff-inclusive spending on j, (N, N, J).

        Where n buys nothing of j, n's own share is set to 1 (the price index is then n's own
        cost, and the sector carries no weight)."""
        spend = (1.0 + self.tariffs) * self.flows
        total = spend.sum(axis=1, keepdims=True)
        shares = np.divide(spend, total, out=np.zeros_like(spend), where=total > 0)
        empty = total[:, 0, :] <= 0
        if empty.any():
            n_idx, j_idx = np.nonzero(empty)
            shares[n_idx, n_idx, j_idx] = 1.0
        return shares

    @cached_property
    def output(self) -> np.ndarray:
        """``Y[i, j]``: gross output at producer prices, (N, J)."""
        return self.flows.sum(axis=0)

    @cached_property
    def tariff_revenue(self) -> np.ndarray:
        """``R[n]``: tariff revenue, (N,)."""
        return (self.tariffs * self.flows).sum(axis=(1, 2))

    @cached_property
    def income(self) -> np.ndarray:
        """``I[n] = wL[n] + R[n] + D[n]``: final spending, (N,)."""
        assert self.value_added is not None and self.deficit is not None
        return self.value_added + self.tariff_revenue + self.deficit

    @cached_property
    def exports(self) -> np.ndarray:
        """Exports at producer prices, excluding domestic sales, (N,)."""
        off = self.flows.copy()
        idx = np.arange(self.n_countries)
        off[idx, idx, :] = 0.0
        return off.sum(axis=(0, 2))

    @cached_property
    def imports(self) -> np.ndarray:
        """Imports at producer prices (tariffs excluded), excluding domestic purchases, (N,)."""
        off = self.flows.copy()
        idx = np.arange(self.n_countries)
        off[idx, idx, :] = 0.0
        return off.sum(axis=(1, 2))

    def index_of(self, country: str) -> int:
        from ..errors import UnknownCountryError

        try:
            return self.countries.index(country)
        except ValueError:
            raise UnknownCountryError(country, self.countries) from None

    def sector_index(self, sector: str) -> int:
        from ..errors import UnknownSectorError

        try:
            return self.sectors.index(sector)
        except ValueError:
            raise UnknownSectorError(sector, self.sectors) from None


def economy_from_io(
    countries: tuple[str, ...] | list[str],
    sectors: tuple[str, ...] | list[str],
    flows: np.ndarray,
    tariffs: np.ndarray,
    theta: np.ndarray,
    va_share: np.ndarray,
    input_share: np.ndarray,
    notes: tuple[str, ...] = (),
) -> Economy:
    """Build an :class:`Economy` whose final-demand shares make it an exact equilibrium.

    Final demand is the residual of absorption after intermediate use,
    ``F[n, j] = X[n, j] - sum_k gamma[n, j, k] Y[n, k]``, and ``alpha = F / sum_j F``; with
    ``D`` = imports − exports and ``wL = sum_j beta Y`` this satisfies every equilibrium
    condition at the baseline (``sum_j F[n, j] = I[n]`` is an identity). Raises
    :class:`InvalidArrayError` where final demand would be negative: reconcile the input
    shares first (see :mod:`tradewar.data`).
    """
    flows = np.asarray(flows, dtype=np.float64)
    tariffs = np.asarray(tariffs, dtype=np.float64)
    gamma = np.asarray(input_share, dtype=np.float64)
    expenditure = ((1.0 + tariffs) * flows).sum(axis=1)
    output = flows.sum(axis=0)
    final = expenditure - np.einsum("njk,nk->nj", gamma, output)
    scale = np.maximum(expenditure, 1e-300)
    tiny = np.abs(final) <= 1e-10 * np.maximum(scale, 1.0)
    final = np.where(tiny, 0.0, final)
    if (final < 0).any():
        n_idx, j_idx = _first_bad_index(final < 0)
        raise InvalidArrayError(
            f"final demand of {list(countries)[n_idx]} on sector {list(sectors)[j_idx]} would be "
            f"{final[n_idx, j_idx]:.6g} million USD (absorption {expenditure[n_idx, j_idx]:.6g} < "
            "intermediate use); allowed: >= 0 — reconcile input_share with flows first"
        )
    total = final.sum(axis=1, keepdims=True)
    alpha = np.divide(final, total, out=np.zeros_like(final), where=total > 0)
    return Economy(
        countries=tuple(countries), sectors=tuple(sectors), flows=flows, tariffs=tariffs,
        theta=theta, va_share=va_share, input_share=gamma, final_share=alpha, notes=notes,
    )
