"""Exposure of each economy to each partner: gross exports and value added absorbed.

Three measures, for every ordered pair (exporter i, partner n), i ≠ n:

1. ``gross_exports_pct_gdp`` = 100 · Σ_j M[n, i, j] / GDP[i]: gross exports of i to n at
   producer prices (tariffs excluded).
2. ``value_added_absorbed_pct_gdp`` = 100 · VA[i → n] / GDP[i]: the value added of i embodied
   in n's final demand (Johnson–Noguera "value-added exports"; OECD TiVA's "domestic value added
   in foreign final demand"), from the Leontief inverse of a global input-output matrix.
3. ``partner_share_of_exports_pct`` = 100 · gross exports of i to n / gross exports of i to the
   world (excluding its domestic sales).

The global input-output matrix
------------------------------
The baselines ``icio`` and ``wiod`` carry bilateral flows ``M[n, i, k]`` (importer n, exporter i,
sector k) with intermediate and final use summed, plus each country's input shares
``gamma[n, k, j]`` and value-added shares ``beta[n, j]``. The flows are split into intermediate
and final use by the **proportionality assumption**: *the importer n uses imports of sector k
from every source i in the same proportions as its total absorption of k*. With
``Y[n, j]`` gross output and ``X[n, k]`` n's absorption of k (tariff-inclusive, as
:attr:`~tradewar.model.Economy.expenditure`), the intermediate share of n's absorption of k is

    s[n, k] = Σ_j gamma[n, k, j] Y[n, j] / X[n, k]

and the blocks of the world input-output table, at producer prices, are

    Z[(i, k), (n, j)] = M[n, i, k] · gamma[n, k, j] Y[n, j] / X[n, k]     (intermediate)
    F[(i, k), n]      = M[n, i, k] · (1 − s[n, k])                         (final)

so that every row sums to output, Σ_(n,j) Z + Σ_n F = Y[i, k]. Technical coefficients
``A = Z / Y`` (column-wise) reduce to ``A[(i,k),(n,j)] = (M[n,i,k] / X[n,k]) · gamma[n,k,j]``,
``L = (I − A)⁻¹``, value-added coefficients ``v[i, k] = beta[i, k]``, and

    VA[i → n] = Σ_k v[i, k] · (L F[:, n])[(i, k)]     (millions of USD).

Summed over every absorbing country (including i itself) it gives back Σ_k beta Y = the value
added of i — an exact identity, tested.

Why ``X`` is tariff-inclusive: the cost shares ``gamma`` are at purchaser prices, so
``Σ_j gamma Y`` is intermediate spending *including* tariffs; dividing it by the
tariff-inclusive absorption gives a share of like over like (the tariff wedge on a flow is the
same for its intermediate and its final users). Dividing by the tariff-exclusive absorption
instead would mix prices and can push final use below zero in high-tariff sectors. As a
consequence the columns of ``A`` sum to ``1 − beta`` minus the tariffs paid on imported inputs
per unit of output: that tariff revenue is income of the importing government, not value added
of any producer, so it is (correctly) attributed to nobody.

For ``wiot2011`` the published table holds the TRUE split of every flow into intermediate use by
each using industry and final use; :func:`true_split_value_added_absorbed` computes the measure
both ways on that table, which shows how far the proportionality assumption moves it.

The GDP denominator
-------------------
The flows are in *current* USD, while the WDI GDP carried by a baseline (``Baseline.gdp_musd``)
is in *constant 2015* USD: dividing one by the other would mix price levels (China's
constant-2015 GDP of 2000 is 2.3 × its current-dollar GDP; the US's of 2022 is 0.8 ×). The
denominator is therefore the baseline's own value added ``Economy.value_added`` (= Σ_j beta Y,
current USD, the same basis as the flows and the identity above). It is GDP at basic prices in
the model's sense: it omits taxes on products and uses the input-output structure of WIOD 2011
(reconciled, see ``Baseline.adjustments``), so it differs from published current-USD GDP by up
to ~10 %. :func:`exposure_series` reports the WDI figures alongside as a cross-check
(``*_pct_wdi_gdp`` and both denominators). See ``docs/exposure.md``.

The package: ``leontief`` (the pure Leontief core), ``true_split`` (the WIOT 2011
cross-check), ``tables`` (:func:`exposure_table`, :func:`exposure_series`), ``results``
(:class:`ExposureResult`, :func:`exposure_map`: every economy's exposure to one partner
in one year, both directions).
"""

from .leontief import value_added_absorbed
from .results import ExposureResult, exposure, exposure_map
from .tables import EXPOSURE_COLUMNS, SERIES_EXTRA_COLUMNS, exposure_series, exposure_table
from .true_split import TrueSplitComparison, true_split_value_added_absorbed

__all__ = [
    "EXPOSURE_COLUMNS",
    "ExposureResult",
    "SERIES_EXTRA_COLUMNS",
    "exposure",
    "exposure_map",
    "TrueSplitComparison",
    "exposure_series",
    "exposure_table",
    "true_split_value_added_absorbed",
    "value_added_absorbed",
]
