"""Ceilings on work a user can ask for (docs/guarantees.md, "Bounds on work").

Every count a user can raise is checked against a documented ceiling *before* anything is
allocated or solved; the refusal says how long and how much memory the request would take
(a rough a-priori estimate from :mod:`tradewar.run.sizing`) and that ``--force`` runs it anyway.
The number of allies is bounded by the coalition analysis itself (``MAX_ALLIES``, with a
measured estimate); the number of draws of a sweep, the players of a Nash war or trade talks
and the tariffs chosen by ``optimal --by partner_sector`` are bounded here.
"""

from __future__ import annotations

from ..errors import UserInputError

#: Random draws of one sweep (``tradewar sweep --draws``).
MAX_DRAWS = 100_000
#: Players of a Nash tariff war or of trade talks (``--players``; 'all' counts every economy).
MAX_PLAYERS = 20
#: Tariffs chosen at once by ``tradewar optimal`` (partners × sectors for ``partner_sector``).
MAX_TARIFF_VARIABLES = 600
#: Memory one draw's result row takes (bytes; its values plus pandas overhead, measured order).
_BYTES_PER_DRAW_ROW = 2_000
#: Solves one best response of a Nash round costs (exact-gradient line search, rough order).
_SOLVES_PER_BEST_RESPONSE = 30
#: Best-response rounds of a Nash war (rough order, docs/strategy.md).
_NASH_ROUNDS = 10


class _Size:
    """The two numbers :func:`tradewar.run.sizing.seconds_per_solve` needs."""

    def __init__(self, n: int, j: int):
        self.n_countries, self.n_sectors = n, j


def _bytes_text(n_bytes: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= size:
            return f"{n_bytes / size:.1f} {unit}"
    return f"{n_bytes:.0f} bytes"


def _refuse(option: str, value: int, ceiling: int, what: str, seconds: float, n_bytes: float,
            memory_for: str = "the results") -> None:
    from ..run.sizing import available_cpus, duration_text

    cpus = available_cpus()
    raise UserInputError(
        f"{option} {value:,}: {what}; that would take about {duration_text(seconds / cpus)} "
        f"on {cpus} CPU(s) and about {_bytes_text(n_bytes)} of memory for {memory_for} (rough "
        f"estimate); allowed: at most {ceiling:,}, or pass --force to run it anyway")


def check_draws(draws: int, n_countries: int, n_sectors: int, solves_per_draw: float, *,
                force: bool) -> None:
    """Refuse more than :data:`MAX_DRAWS` draws unless ``force``."""
    if draws <= MAX_DRAWS or force:
        return
    from ..run.sizing import seconds_per_solve

    seconds = draws * solves_per_draw * seconds_per_solve(_Size(n_countries, n_sectors), batched=True)
    _refuse("--draws", draws, MAX_DRAWS, f"{draws:,} equilibria of {n_countries} economies × "
            f"{n_sectors} sectors", seconds, draws * _BYTES_PER_DRAW_ROW)


def check_players(players: int, n_countries: int, n_sectors: int, *, force: bool) -> None:
    """Refuse more than :data:`MAX_PLAYERS` players unless ``force``."""
    if players <= MAX_PLAYERS or force:
        return
    from ..run.sizing import seconds_per_solve

    solves = players * _NASH_ROUNDS * _SOLVES_PER_BEST_RESPONSE
    seconds = solves * 3 * seconds_per_solve(_Size(n_countries, n_sectors), batched=False)
    _refuse("--players", players, MAX_PLAYERS, f"a Nash war of {players} players on "
            f"{n_countries} economies × {n_sectors} sectors (about {solves:,} solves with "
            "gradients)", seconds, players * 20 * 8.0 * n_countries ** 2 * n_sectors,
            memory_for="the gradients")


def check_tariff_variables(variables: int, n_countries: int, n_sectors: int, *, force: bool) -> None:
    """Refuse optimising more than :data:`MAX_TARIFF_VARIABLES` tariffs at once unless ``force``."""
    if variables <= MAX_TARIFF_VARIABLES or force:
        return
    from ..run.sizing import seconds_per_solve

    iterations = 200 * variables ** 0.5  # quasi-Newton iterations grow slowly with dimension
    seconds = iterations * 3 * seconds_per_solve(_Size(n_countries, n_sectors), batched=False)
    _refuse("--by partner_sector", variables, MAX_TARIFF_VARIABLES,
            f"{variables:,} tariffs chosen at once (partners × sectors)", seconds,
            variables * 4 * 8.0 * n_countries ** 2 * n_sectors, memory_for="the gradients")
