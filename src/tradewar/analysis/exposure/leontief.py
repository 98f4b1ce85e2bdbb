"""The Leontief core of the exposure measures: value added absorbed by each partner's final
demand (pure array functions; the method is in the package docstring)."""

from __future__ import annotations

import numpy as np
import scipy.linalg

from ...model import Economy


def absorbed_from_coefficients(
    a: np.ndarray, final: np.ndarray, va_coef: np.ndarray
) -> np.ndarray:
    """``VA[i, n] = Σ_k v[i, k] (L F[:, n])[(i, k)]`` with ``L = (I − A)⁻¹``.

    ``a`` (NJ, NJ) technical coefficients, ``final`` (NJ, N) final demand by destination,
    ``va_coef`` (N, J) value added per unit of output. One dense LU solve with N right-hand
    sides (≈ 0.2 s for 81 × 28).
    """
    n, j = va_coef.shape
    lhs = np.eye(n * j) - a
    gross = scipy.linalg.solve(lhs, final, overwrite_a=True, check_finite=False)  # (NJ, N)
    return np.einsum("ik,ikn->in", va_coef, gross.reshape(n, j, n))


def proportional_coefficients(
    flows: np.ndarray, absorption: np.ndarray, input_use: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Technical coefficients and final demand under the proportionality assumption.

    ``flows`` (N, N, J) = M[n, i, k] at producer prices; ``absorption`` (N, J) = X[n, k] in the
    prices of ``input_use``; ``input_use`` (N, J, J) = intermediate use of input k by sector j of
    n, ``U[n, k, j]``, in the same prices. Returns ``A`` (NJ, NJ) with
    ``A[(i,k),(n,j)] = M[n,i,k] U[n,k,j] / (X[n,k] Y[n,j])`` and ``F`` (NJ, N) with
    ``F[(i,k), n] = M[n,i,k] (1 − Σ_j U[n,k,j] / X[n,k])``.
    """
    n, _, j = flows.shape
    output = flows.sum(axis=0)  # Y[i, k]
    with np.errstate(divide="ignore", invalid="ignore"):
        source_share = np.where(absorption[:, None, :] > 0, flows / absorption[:, None, :], 0.0)
        use_per_output = np.where(output[:, None, :] > 0, input_use / output[:, None, :], 0.0)
        inter_share = np.where(absorption > 0, input_use.sum(axis=2) / absorption, 0.0)
    # A[i, k, n, j] = (M[n,i,k] / X[n,k]) · U[n,k,j] / Y[n,j]
    a = (source_share.transpose(1, 2, 0)[:, :, :, None]
         * use_per_output.transpose(1, 0, 2)[None]).reshape(n * j, n * j)
    final = (flows * (1.0 - inter_share)[:, None, :]).transpose(1, 2, 0).reshape(n * j, n)
    return a, final


def value_added_absorbed(economy: Economy) -> np.ndarray:
    """Value added of each country absorbed by each country's final demand, millions of USD.

    Returns an (N, N) array: entry ``[i, n]`` is the value added of ``economy.countries[i]``
    embodied in the final demand of ``economy.countries[n]``; the diagonal is value added
    absorbed at home. Each row sums to ``Σ_j beta[i, j] Y[i, j]``, the country's value added
    (``economy.value_added`` unless that was set explicitly to something else).

    The flows are split into intermediate and final use by the *proportionality assumption*
    (the importer uses imports of a sector from every source in the same proportions as its
    total absorption of that sector); see the module docstring for the formulas.
    """
    flows = np.asarray(economy.flows)
    output = economy.output
    gamma = np.asarray(economy.input_share)
    # intermediate spending (tariff-inclusive) on input k by sector j of n: gamma[n,k,j] Y[n,j]
    input_use = gamma * output[:, None, :]
    a, final = proportional_coefficients(flows, economy.expenditure, input_use)
    return absorbed_from_coefficients(a, final, np.asarray(economy.va_share))



def pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Exporter and partner indices of every ordered pair without self-pairs, exporter-major."""
    ex, pa = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    keep = ex != pa
    return ex[keep], pa[keep]
