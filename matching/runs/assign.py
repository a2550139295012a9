"""Step 2 of a run, assign: the engine pairs the cohort, and says why anyone has no mentor.

Pure computation on what the load step read: no database access, so it can take as long as
a national cohort needs without holding a transaction or a lock open.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import MenteeFeatures, MentorPool, Reason, Weights, assign_cohort, explain
from ..unmatched import UnmatchedReasons
from .load import Cohort


@dataclass(frozen=True)
class Match:
    """One mentee's proposed mentor (an index into the cohort's mentors) with the score."""

    mentee: MenteeFeatures
    mentor_index: int
    score: float
    reasons: tuple[Reason, ...]  # data: matching/reasons.py words them for each reader


@dataclass
class Assignment:
    """The engine's answer: who gets whom, and a reason for every mentee left without."""

    matches: list[Match]
    unmatched: dict[int, str]  # index into cohort.mentees -> why they have no mentor


def assign_mentors(cohort: Cohort, weights: Weights, method: str) -> Assignment:
    """Optimal or stable assignment of the cohort, with scores, reasons and why not."""
    mentees, mentors = cohort.mentees, cohort.mentors
    pool = MentorPool(mentors, cohort.families)
    assigned = assign_cohort(
        mentees,
        pool,
        weights,
        method=method,
        families=cohort.families,
        excluded=cohort.excluded,
    )
    matches = []
    for mentee, j in zip(mentees, assigned, strict=True):
        if j is None:
            continue
        said = explain(mentee, mentors[j], weights, families=cohort.families, labels=cohort.labels)
        matches.append(Match(mentee, j, said.total, tuple(said.reasons)))
    lowest = np.full(len(mentors), np.inf)  # each mentor's lowest score among their mentees
    for match in matches:
        lowest[match.mentor_index] = min(lowest[match.mentor_index], match.score)
    why = UnmatchedReasons(
        mentees, mentors, pool, weights, cohort.excluded, assigned, lowest, cohort.labels
    )
    return Assignment(matches=matches, unmatched=why.reasons())
