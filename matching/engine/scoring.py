"""Score every mentee-mentor pair at once, and rank mentors for one mentee."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .encoding import EncodedMentees, MentorPool, score_table
from .features import MenteeFeatures, MentorFeatures, Weights

CHUNK_PAIRS = 1 << 18  # pairs per block: small enough for the temporaries to stay in cache

Mentors = Sequence[MentorFeatures] | MentorPool


def mentor_pool(mentors: Mentors, families: Mapping[str, str] | None = None) -> MentorPool:
    """Encode mentors, or reuse an already encoded pool built with the same families."""
    if isinstance(mentors, MentorPool):
        if families is not None and dict(families) != dict(mentors.families):
            raise ValueError("This mentor pool was encoded with different specialty families.")
        return mentors
    return MentorPool(mentors, families)


class FeatureScores:
    """Scores computed on demand, a block of mentees at a time (never the whole matrix)."""

    def __init__(
        self,
        mentees: Sequence[MenteeFeatures],
        mentors: Mentors,
        weights: Weights = Weights(),
        *,
        families: Mapping[str, str] | None = None,
        excluded: Iterable[tuple[int, int]] = (),
    ) -> None:
        self.pool = mentor_pool(mentors, families)
        self.encoded = EncodedMentees(self.pool, mentees, excluded)
        self.table = score_table(weights, self.encoded.max_goals)
        self.shape = (len(self.encoded), len(self.pool))
        self.capacities = self.pool.capacities

    @property
    def block_rows(self) -> int:
        return max(1, CHUNK_PAIRS // max(self.shape[1], 1))

    def block(self, rows: slice | np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Scores of the given mentees (a slice or an index array) against every mentor."""
        return self.encoded.block(self.table, rows, out=out)

    # What the optimal mode's proof uses to skip mentors who cannot break their prices.

    @property
    def spec_classes(self) -> np.ndarray:
        """Each mentee's specialty class: mentees of one class share spec_rows()[class]."""
        return self.encoded.spec_cls

    def spec_rows(self) -> np.ndarray:
        """(classes, mentors) small codes; spec_bounds()[code] bounds the pair's score."""
        return self.encoded.spec_rows

    def spec_bounds(self) -> np.ndarray:
        return self.encoded.spec_bounds(self.table)

    def block_cols(self, rows: np.ndarray, cols: np.ndarray, out=None) -> np.ndarray:
        """Scores of mentees of one specialty class against the given mentors only."""
        return self.encoded.block_cols(self.table, rows, cols, out=out)


def score_matrix(
    mentees: Sequence[MenteeFeatures],
    mentors: Mentors,
    weights: Weights = Weights(),
    *,
    families: Mapping[str, str] | None = None,
    excluded: Iterable[tuple[int, int]] = (),
) -> np.ndarray:
    """Scores 0-100, float64 (mentees, mentors); -inf for a full mentor, self or excluded pair."""
    source = FeatureScores(mentees, mentors, weights, families=families, excluded=excluded)
    n, m = source.shape
    out = np.empty((n, m), dtype=np.float64)
    if n and m:
        step = source.block_rows
        for lo in range(0, n, step):
            hi = min(n, lo + step)
            source.block(slice(lo, hi), out=out[lo:hi])
    return out


def top_k(scores: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best finite scores, best first, ties broken by lower id."""
    allowed = np.flatnonzero(scores > -np.inf)
    if k <= 0 or not len(allowed):
        return allowed[:0]
    values = scores[allowed]
    if k < len(allowed):
        kth = -np.partition(-values, k - 1)[k - 1]
        keep = values >= kth  # keeps every tie at the cut-off, sorted out below
        allowed, values = allowed[keep], values[keep]
    order = np.lexsort((ids[allowed], -values))[:k]
    return allowed[order]


def recommend(
    mentee: MenteeFeatures,
    mentors: Mentors,
    weights: Weights = Weights(),
    *,
    k: int = 10,
    families: Mapping[str, str] | None = None,
    excluded: Iterable[tuple[int, int]] = (),
) -> list[tuple[int, float]]:
    """The k best allowed mentors as (mentor id, score), best first, ties by lower mentor id."""
    source = FeatureScores([mentee], mentors, weights, families=families, excluded=excluded)
    if not source.shape[1]:
        return []
    row = source.block(slice(0, 1))[0]
    best = top_k(row, source.pool.ids, k)
    return [(int(source.pool.ids[j]), float(row[j])) for j in best]
