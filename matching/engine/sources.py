"""Where assignment reads scores from: a dense matrix, or features scored block by block."""

from __future__ import annotations

from typing import Protocol

import numpy as np

CHUNK_PAIRS = 1 << 18


class ScoreSource(Protocol):
    """Rows are mentees, columns mentors; -inf marks a pair that is not allowed."""

    shape: tuple[int, int]

    def block(self, rows: slice | np.ndarray, out: np.ndarray | None = None) -> np.ndarray: ...


class DenseScores:
    """A score matrix already in memory. Blocks are read-only views or copies."""

    def __init__(self, scores: np.ndarray) -> None:
        self.scores = np.asarray(scores, dtype=np.float64)
        if self.scores.ndim != 2:
            raise ValueError(
                "Scores must be a 2-D array: one row per mentee, one column per mentor."
            )
        if np.isnan(self.scores).any() or (self.scores == np.inf).any():
            raise ValueError("Scores must be finite numbers or -inf.")
        self.shape = self.scores.shape

    def block(self, rows: slice | np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        view = self.scores[rows]
        if out is not None:
            out[...] = view
            return out
        return view


def row_blocks(shape: tuple[int, int]):
    """Slices of rows covering the matrix, each about CHUNK_PAIRS pairs."""
    n, m = shape
    step = max(1, CHUNK_PAIRS // max(m, 1))
    for lo in range(0, n, step):
        yield slice(lo, min(n, lo + step))


def check_capacities(capacities, m: int) -> np.ndarray:
    caps = np.asarray(capacities, dtype=np.int64).reshape(-1)
    if len(caps) != m:
        raise ValueError(f"Expected {m} capacities, one per mentor, got {len(caps)}.")
    return np.maximum(caps, 0)
