"""Helpers for building the chunks of a batch: seeds, chunks, chunk sizes."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TypeVar

import numpy as np

from ..errors import UserInputError

__all__ = ["chunk", "spawn_seeds", "suggest_chunk_size"]

T = TypeVar("T")


def spawn_seeds(seed: int, n: int) -> list[int]:
    """``n`` independent seeds from one, via ``numpy.random.SeedSequence(seed).spawn(n)``.

    Give item ``k`` of a sweep ``seeds[k]`` (``numpy.random.default_rng(seeds[k])``) and its
    draws do not depend on chunking or scheduling. Seeds are non-negative and fit in int64,
    so they can be stored in result tables.
    """
    children = np.random.SeedSequence(seed).spawn(n)
    return [int(child.generate_state(1, np.uint64)[0] >> np.uint64(1)) for child in children]


def chunk(items: Iterable[T], size: int) -> list[list[T]]:
    """Consecutive chunks of ``size`` items (the last may be shorter)."""
    if not isinstance(size, int) or size < 1:
        raise UserInputError(f"chunk size must be a positive integer, got {size!r}")
    items = list(items)
    return [items[k:k + size] for k in range(0, len(items), size)]


def suggest_chunk_size(seconds_per_item: float, target_seconds: float = 1.0, *,
                       n_items: int | None = None, workers: int | None = None) -> int:
    """Items per chunk so that a chunk takes about ``target_seconds`` (never under 100 ms).

    With ``n_items`` and ``workers``, chunks shrink (not below 100 ms) to give each worker at
    least four, so that the work balances.
    """
    if not (seconds_per_item > 0 and math.isfinite(seconds_per_item)):
        raise UserInputError(f"seconds_per_item must be positive, got {seconds_per_item!r}")
    floor = math.ceil(0.1 / seconds_per_item)
    size = max(floor, math.ceil(max(target_seconds, 0.1) / seconds_per_item))
    if n_items is not None and workers is not None:
        size = max(floor, min(size, math.ceil(n_items / (4 * workers))))
    if n_items is not None:
        size = min(size, max(n_items, 1))
    return max(size, 1)
