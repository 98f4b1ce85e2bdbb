"""Coalition worlds: their tariffs and their solves (the task the run layer runs in chunks).

A *world* is a coalition (bit mask over the allies; the leader is always in) with the
leader's relief kept or not. :func:`world_tariffs` builds its tariffs with the tariff algebra,
:func:`answer_tariffs` adds the target's ``optimal`` answer, :func:`solve_worlds` solves a chunk
of worlds in batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import TradewarError
from ...model import solve_batch
from ...scenario import add_points, mirror
from .spec import CoalitionGame

#: Worlds solved in one ``solve_batch`` call, and per chunk of work.
BATCH, CHUNK = 16, 32
_SCHEMA = "coalitions-1"


def world_tariffs(game: CoalitionGame, mask: int, relieved: bool) -> np.ndarray:
    """Tariffs (N, N, J) of coalition ``mask`` before an ``optimal`` answer (with ``mirror``,
    including it): members add ``tariff`` on the target; with ``relieved``, the leader's
    tariffs on the members return to the start; ``mirror``: the target adds the same points
    on each member's goods."""
    start = game.economy.tariffs
    members = np.array(game.member_economies(mask))
    t = np.array([game.target])
    tau = add_points(start, members, t, game.sectors, game.tariff)
    if game.retaliation == "mirror":  # the points added, exactly (not tau - start: rounding)
        added = add_points(np.zeros_like(start), members, t, game.sectors, game.tariff)
        tau = mirror(tau, added, game.sectors & game.goods)
    if relieved and game.ally_tariffs is not None:
        allies = members[1:]
        tau = add_points(tau, [game.leader], allies, np.ones(len(game.goods), dtype=bool),
                         -game.ally_tariffs[game.leader, allies, :][None])
    return tau


def world_blocked(game: CoalitionGame, mask: int) -> np.ndarray | None:
    """The export ban (N, N, J) of coalition ``mask``: members' exports of ``game.ban_sectors``
    to the target stop; ``None`` for a tariff-only game."""
    if game.ban_sectors is None:
        return None
    blocked = np.zeros(game.economy.tariffs.shape, dtype=bool)
    members = np.array(game.member_economies(mask), dtype=np.int64)
    blocked[np.ix_(np.array([game.target]), members, np.flatnonzero(game.ban_sectors))] = True
    return blocked


def answer_tariffs(game: CoalitionGame, tau: np.ndarray, mask: int) -> np.ndarray:
    """``tau`` (N, N, J) with the target's answer for ``optimal`` retaliation (its best
    response against the members of ``mask``); ``tau`` itself for ``none`` and ``mirror``."""
    if game.retaliation != "optimal":
        return tau
    from ..optimal import optimal_retaliation

    countries = game.countries
    return optimal_retaliation(game.economy, tau, countries[game.target],
                               [countries[e] for e in game.member_economies(mask)],
                               sectors=game.sectors & game.goods, deficits=game.deficits)


@dataclass(frozen=True, eq=False)
class WorldsJob:
    """What every chunk of worlds needs (sent once to each worker)."""

    game: CoalitionGame
    backend: str = "numpy"
    tol: float | None = None
    max_iter: int | None = None
    schema: str = _SCHEMA


def solve_kwargs(job: Any) -> dict[str, Any]:
    """Solver options of a job (``backend``, and ``tol``/``max_iter`` when given)."""
    out: dict[str, Any] = {"backend": job.backend}
    if job.tol is not None:
        out["tol"] = job.tol
    if job.max_iter is not None:
        out["max_iter"] = job.max_iter
    return out


def solve_worlds(job: WorldsJob, items: Sequence[tuple[int, int]]) -> list[dict[str, Any]]:
    """Task: one row per (world, economy) with ``real_income_hat``; failures as rows."""
    game = job.game
    tariffs: list[np.ndarray] = []
    errors: dict[int, str] = {}
    for k, (mask, relief) in enumerate(items):
        try:
            tariffs.append(answer_tariffs(game, world_tariffs(game, int(mask), bool(relief)), int(mask)))
        except TradewarError as exc:
            errors[k] = f"{type(exc).__name__}: {exc}"
            tariffs.append(game.economy.tariffs)
    bans = [world_blocked(game, int(mask)) for mask, _ in items]
    eqs = []
    for s in range(0, len(tariffs), BATCH):
        extra: dict[str, Any] = {}
        if game.ban_sectors is not None:
            extra["blocked"] = np.stack([b for b in bans[s:s + BATCH] if b is not None])
        eqs.extend(solve_batch(game.economy, np.stack(tariffs[s:s + BATCH]), deficits=game.deficits,
                               **solve_kwargs(job), **extra))
    rows = []
    for k, ((mask, relief), eq) in enumerate(zip(items, eqs, strict=True)):
        diag = eq.diagnostics
        error = errors.get(k, "" if diag.converged else (
            f"not converged after {diag.iterations} iterations (largest residual "
            f"{diag.max_residual:.2e}) {diag.message}".strip()))
        rhat = eq.real_income_hat if not error else np.full(game.economy.n_countries, np.nan)
        for e in range(game.economy.n_countries):
            rows.append({"mask": int(mask), "relief": int(relief), "economy": e,
                         "real_income_hat": float(rhat[e]), "iterations": int(diag.iterations),
                         "error": error})
    return rows


def worlds(game: CoalitionGame) -> list[tuple[int, int]]:
    """Every (coalition mask, relief) pair to solve: 2^n coalitions, each twice when the leader
    tariffs the allies (relief kept / not kept; the leader alone has no members to relieve)."""
    out = []
    for mask in range(2 ** game.n):
        out.append((mask, 0))
        if game.ally_tariffs is not None and mask:
            out.append((mask, 1))
    return out
