"""The Django side of matching: profiles in, engine features out, scores back.

The engine (matching/engine) never sees a model. This module builds its features from
profiles, ranks a programme's cached mentors (matching/pools.py keeps them) for a mentee,
and turns scores into what people read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from mentorship.models import (
    Exclusion,
    MenteeProfile,
    MentorProfile,
    MentorRequest,
    Mentorship,
    Programme,
)

from .engine import (
    Explanation,
    FeatureScores,
    MenteeFeatures,
    MentorFeatures,
    Weights,
    explain,
)

# The pool's functions moved to matching/pools.py; callers still import them from here.
from .pools import (
    _pool_key,
    build_pool,
    cached_labels,
    forget_pools,
    labels,
    mentor_pool,
    patched_pool,
    programme_mentor_features,
    reference_version,
    refresh_mentor_in_pools,
    specialty_families,
)

__all__ = [
    "Ranking",
    "_pool_key",
    "build_pool",
    "cached_labels",
    "excluded_pairs",
    "explain_match",
    "forget_pools",
    "labels",
    "mentee_features",
    "mentor_features",
    "mentor_pool",
    "patched_pool",
    "programme_mentor_features",
    "rank_mentors",
    "reference_version",
    "refresh_mentor_in_pools",
    "specialty_families",
]


# --- Features ---------------------------------------------------------------------------


def mentee_features(profile: MenteeProfile) -> MenteeFeatures:
    """What the engine scores for a mentee (use prefetched goals and languages if there)."""
    return MenteeFeatures(
        id=profile.user_id,
        target_specialty=profile.target_specialty.code,
        current_specialty=profile.current_specialty.code if profile.current_specialty else None,
        goals=tuple(g.code for g in profile.ranked_goals()),
        region=profile.region.code if profile.region else None,
        formats=profile.formats,
        country=str(profile.qualification_country) or None,
        languages=frozenset(lang.code for lang in profile.languages.all()),
    )


def mentor_features(profile: MentorProfile) -> MentorFeatures:
    """The engine's capacity is the mentor's free places (none when paused), so a mentor with
    no place to offer is never suggested."""
    return MentorFeatures(
        id=profile.user_id,
        specialties=tuple(s.code for s in profile.specialties()),
        goals=frozenset(g.code for g in profile.goals.all()),
        region=profile.region.code if profile.region else None,
        formats=profile.formats,
        is_img=profile.is_img,
        country=str(profile.qualification_country) or None,
        languages=frozenset(lang.code for lang in profile.languages.all()),
        capacity=profile.free_place_count,
    )


def excluded_pairs(mentee_user_id: int, programme: Programme) -> list[tuple[int, int]]:
    """Pairs the engine must never suggest for this mentee beyond the built-in rules (self,
    full, paused): mentors who declined them in this programme, mentors whose mentorship
    with them there ended as "not a good fit", and people they excluded."""
    declined = (
        MentorRequest.objects.declined_in(programme).filter(mentee_id=mentee_user_id)
    ).declined_pairs()
    not_a_good_fit = (
        Mentorship.objects.not_a_good_fit_in(programme).filter(mentee_id=mentee_user_id).pairs()
    )
    return declined + not_a_good_fit + Exclusion.objects.pairs([mentee_user_id])


# --- Ranking and explanations -----------------------------------------------------------


@dataclass
class Ranking:
    """One mentee's view of a programme's mentors: ids best first, with their scores."""

    mentee: MenteeFeatures
    programme: Programme
    ids: np.ndarray  # mentor user ids, best first; mentors who cannot be asked come last
    scores: np.ndarray  # the same order; -inf where not allowed
    weights: Weights
    families: dict[str, str]  # the pool's, so explanations add up to the ranked scores

    def score_of(self, mentor_id: int) -> float | None:
        where = np.flatnonzero(self.ids == mentor_id)
        if not len(where):
            return None
        value = float(self.scores[where[0]])
        return None if value == -np.inf else value

    @cached_property
    def labels(self) -> dict[str, str]:
        return cached_labels()

    def explain(self, profile: MentorProfile) -> Explanation:
        return explain(
            self.mentee,
            mentor_features(profile),
            self.weights,
            families=self.families,
            labels=self.labels,
        )


def rank_mentors(
    mentee: MenteeProfile,
    programme: Programme,
    excluded: list[tuple[int, int]] | None = None,
) -> Ranking:
    """Every vetted mentor of the programme for this mentee: best score first, ties to the
    lower id; mentors who are full, paused or excluded follow, in id order. `excluded` is
    excluded_pairs() when the caller has read it already."""
    features = mentee_features(mentee)
    pool = mentor_pool(programme)
    weights = programme.matching_weights()
    families = dict(pool.families)
    if not len(pool):
        empty = np.empty(0)
        return Ranking(features, programme, empty.astype(np.int64), empty, weights, families)
    source = FeatureScores(
        [features],
        pool,
        weights,
        families=pool.families,
        excluded=excluded_pairs(mentee.user_id, programme) if excluded is None else excluded,
    )
    row = source.block(slice(0, 1))[0]
    allowed = row > -np.inf
    order = np.lexsort((pool.ids, ~allowed, -np.where(allowed, row, 0.0)))
    return Ranking(features, programme, pool.ids[order], row[order], weights, families)


def explain_match(
    mentee: MenteeProfile, mentor: MentorProfile, programme: Programme
) -> Explanation:
    """One pair's score and reasons, for the mentor's page, with the plain reason when the
    mentee cannot ask this mentor."""
    result = explain(
        mentee_features(mentee),
        mentor_features(mentor),
        programme.matching_weights(),
        families=specialty_families(),
        labels=cached_labels(),
    )
    blocked = None
    if (mentee.user_id, mentor.user_id) in set(excluded_pairs(mentee.user_id, programme)):
        blocked = "You cannot ask this mentor again in this programme."
    elif not mentor.is_accepting_requests:
        blocked = "This mentor is not taking new requests at the moment."
    if blocked:
        return replace(result, total=float("-inf"), allowed=False, blocked_reason=blocked)
    return result
