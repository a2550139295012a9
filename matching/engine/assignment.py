"""Assign a whole cohort: optimal (most matches, then highest total) or stable."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .features import MenteeFeatures, Weights
from .optimal import solve_optimal
from .scoring import FeatureScores, Mentors
from .sources import DenseScores, ScoreSource, check_capacities
from .stable import solve_stable

METHODS = ("optimal", "stable")


def assign(
    scores: np.ndarray,
    capacities: Sequence[int],
    method: str = "optimal",
    **options: int,
) -> list[int | None]:
    """For each mentee (row), the index of its mentor (column) or None.

    "optimal": the most mentees matched, and among those the highest total score.
    "stable": the mentee-optimal stable matching (mentee-proposing deferred acceptance).
    Never a -inf pair, never more mentees on a mentor than its capacity.
    """
    source = DenseScores(scores)
    return _run(source, check_capacities(capacities, source.shape[1]), method, options)


def assign_cohort(
    mentees: Sequence[MenteeFeatures],
    mentors: Mentors,
    weights: Weights = Weights(),
    *,
    method: str = "optimal",
    families: Mapping[str, str] | None = None,
    excluded: Iterable[tuple[int, int]] = (),
    **options: int,
) -> list[int | None]:
    """Like assign(), but scores blocks on demand so that national cohorts fit in memory."""
    source = FeatureScores(mentees, mentors, weights, families=families, excluded=excluded)
    return _run(source, source.capacities, method, options)


def _run(source: ScoreSource, caps: np.ndarray, method: str, options) -> list[int | None]:
    if method == "optimal":
        result = solve_optimal(source, caps, **options)
    elif method == "stable":
        result = solve_stable(source, caps, **options)
    else:
        raise ValueError(f"Unknown method {method!r}: use one of {', '.join(METHODS)}.")
    return [None if j < 0 else int(j) for j in result.tolist()]
