"""Domain exceptions of tradewar.

One flat module, as in pyfixest/optimistix: every user-facing failure is a subclass of
:class:`TradewarError`, and every message names the offending field and what is allowed.
The CLI maps :class:`UserInputError` to exit code 2 and the web API to HTTP 422;
:class:`NonConvergenceError` is exit code 1 / HTTP 500-free (reported, never presented as a
result).
"""

from __future__ import annotations

from collections.abc import Iterable


class TradewarError(Exception):
    """Base class of every tradewar exception."""


class UserInputError(TradewarError, ValueError):
    """Input given by a user (arrays, files, options, scenarios) is invalid."""


class InvalidArrayError(UserInputError):
    """An input array has the wrong shape, a NaN, a negative entry, or shares that do not sum
    to one. The message names the array, the first offending index and what is allowed."""


class UnknownNameError(UserInputError):
    """A name (country, sector, dataset, elasticity set, scenario…) is not one of the allowed
    values."""

    def __init__(self, kind: str, name: object, allowed: Iterable[object], where: str = ""):
        allowed_list = sorted({str(a) for a in allowed})
        shown = ", ".join(allowed_list[:100]) + (" …" if len(allowed_list) > 100 else "")
        place = f" in {where}" if where else ""
        super().__init__(f"unknown {kind} {name!r}{place}; allowed: {shown}")
        self.kind = kind
        self.name = name
        self.allowed = allowed_list


class UnknownCountryError(UnknownNameError):
    def __init__(self, name: object, allowed: Iterable[object], where: str = ""):
        super().__init__("country", name, allowed, where)


class UnknownSectorError(UnknownNameError):
    def __init__(self, name: object, allowed: Iterable[object], where: str = ""):
        super().__init__("sector", name, allowed, where)


class DataSourceError(UserInputError):
    """A source data file is missing, unreadable or not in the expected layout."""


class ScenarioError(UserInputError):
    """A scenario file or object is invalid (the message gives file, key and allowed values)."""


class NonConvergenceError(TradewarError, RuntimeError):
    """An equilibrium or best-response iteration did not converge; carries the diagnostics."""

    def __init__(self, message: str, diagnostics: object | None = None):
        super().__init__(message)
        self.diagnostics = diagnostics


def check_choice(field: str, value: object, allowed: Iterable[object]) -> None:
    """Raise :class:`UnknownNameError` unless ``value`` is one of ``allowed``."""
    allowed = list(allowed)
    if value not in allowed:
        raise UnknownNameError(field, value, allowed)


#: The advice when the solver gives none of its own.
DEFAULT_NONCONVERGENCE_HINT = "try a smaller shock or a larger max_iter"


def raise_if_failed(result: object, what: str, *, advice: str = DEFAULT_NONCONVERGENCE_HINT) -> None:
    """Raise :class:`NonConvergenceError` if ``result`` (anything with ``.diagnostics``: an
    :class:`tradewar.model.Equilibrium`, or the diagnostics themselves) did not converge.

    The message keeps the solver's own explanation and advice (``diagnostics.message``, e.g.
    "no equilibrium with this deficit closure ...; use 'proportional' or 'zero'"); only when it
    has none is the generic advice given. ``what`` says what was solved (e.g. "scenario
    'us-china-april-11', step 'peak'"). The one implementation every layer uses: single runs
    raise, batches record failures per lane instead of calling this. ``advice``: what to try
    when the solver gives no advice of its own.
    """
    diag = getattr(result, "diagnostics", result)
    if getattr(diag, "converged", True):
        return
    residuals: dict[str, float] = dict(getattr(diag, "residuals", {}) or {})
    worst = ", ".join(f"{k} {v:.2e}" for k, v in residuals.items())
    hint = getattr(diag, "message", "") or advice
    raise NonConvergenceError(
        f"equilibrium did not converge for {what} after {getattr(diag, 'iterations', '?')} "
        f"iterations (largest residuals: {worst}); {hint}",
        diagnostics=diag,
    )
