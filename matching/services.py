"""The Django side of matching: profiles in, engine features out, scores back.

The engine (matching/engine) never sees a model. This module builds its features from
profiles, keeps each programme's encoded mentors (a MentorPool) in the cache so that a
directory page does not load every mentor, and turns scores into what people read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
from django.core.cache import cache
from django_countries import countries

from mentorship.models import (
    Exclusion,
    Goal,
    Language,
    MenteeProfile,
    MentorProfile,
    MentorRequest,
    Mentorship,
    Programme,
    Region,
    Specialty,
)

from .engine import (
    Explanation,
    FeatureScores,
    MenteeFeatures,
    MentorFeatures,
    MentorPool,
    Weights,
    explain,
)

log = logging.getLogger(__name__)

POOL_TIMEOUT = 60 * 60 * 24  # invalidated on change; the timeout only bounds stale keys
_GLOBAL_VERSION = "matching:version"


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


def specialty_families() -> dict[str, str]:
    return dict(Specialty.objects.values_list("code", "family__code"))


def labels() -> dict[str, str]:
    """Display names for every code a reason can mention, as written ("English", not the code
    "english"): a reason keeps them, and matching/reasons.py shows them as they are."""
    names: dict[str, str] = dict(countries)
    for model in (Specialty, Goal, Region, Language):
        names.update(model.objects.values_list("code", "name"))
    return names


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


# --- The cached mentor pool -------------------------------------------------------------


def _version(key: str) -> int:
    value = cache.get(key)
    if value is None:
        cache.add(key, 1, timeout=None)
        value = cache.get(key, 1)
    return int(value)


def _pool_key(programme_id: int) -> str:
    programme_version = _version(f"matching:version:{programme_id}")
    return f"matching:pool:{programme_id}:{_version(_GLOBAL_VERSION)}:{programme_version}"


def forget_pools(programme_ids: list[int] | None = None) -> None:
    """Mentor data changed: the next request rebuilds the affected programmes' pools.
    None means every programme (reference data such as specialty families changed)."""
    keys = (
        [_GLOBAL_VERSION]
        if programme_ids is None
        else [f"matching:version:{pk}" for pk in programme_ids]
    )
    try:
        for key in keys:
            try:
                cache.incr(key)
            except ValueError:  # not there yet: nothing is cached under it
                cache.add(key, 1, timeout=None)
    except Exception:  # the cache is down: nothing can be served from it either
        log.warning("Could not forget cached mentor pools %s", programme_ids, exc_info=True)


def programme_mentor_features(programme: Programme) -> list[MentorFeatures]:
    """mentor_features() for every vetted mentor of a programme, in six flat queries (no
    model instances: a programme may have tens of thousands of mentors). Ordered by user id."""
    profiles = MentorProfile.objects.in_programme(programme)
    rows = (
        profiles.with_free_places()
        .order_by("user_id")
        .values_list(
            "id",
            "user_id",
            "primary_specialty__code",
            "region__code",
            "in_person",
            "virtual",
            "shadowing",
            "is_img",
            "qualification_country",
            "free_places",
        )
    )
    ids = profiles.values("id")

    def related(field: str, code: str) -> dict[int, list[str]]:
        through = getattr(MentorProfile, field).through
        found: dict[int, list[str]] = {}
        pairs = through.objects.filter(mentorprofile__in=ids).values_list(
            "mentorprofile_id", f"{code}__code"
        )
        for profile_id, value in pairs.order_by(f"{code}__name"):
            found.setdefault(profile_id, []).append(value)
        return found

    goals = related("goals", "goal")
    others = related("other_specialties", "specialty")
    languages = related("languages", "language")
    features = []
    for (
        pk,
        user_id,
        primary,
        region,
        in_person,
        virtual,
        shadowing,
        is_img,
        country,
        free,
    ) in rows:
        formats = frozenset(
            code
            for code, on in (
                ("in_person", in_person),
                ("virtual", virtual),
                ("shadowing", shadowing),
            )
            if on
        )
        specialties = [primary] + [s for s in others.get(pk, []) if s != primary]
        features.append(
            MentorFeatures(
                id=user_id,
                specialties=tuple(specialties),
                goals=frozenset(goals.get(pk, [])),
                region=region,
                formats=formats,
                is_img=is_img,
                country=country or None,
                languages=frozenset(languages.get(pk, [])),
                capacity=free,
            )
        )
    return features


def build_pool(programme: Programme) -> MentorPool:
    return MentorPool(programme_mentor_features(programme), specialty_families())


def mentor_pool(programme: Programme) -> MentorPool:
    """The programme's vetted mentors, encoded, from the cache when nothing changed. If the
    cache is unreachable the pool is built for this request alone: slower, never wrong."""
    try:
        key = _pool_key(programme.pk)
        pool = cache.get(key)
    except Exception:
        log.warning("Cache unavailable; building the mentor pool without it", exc_info=True)
        return build_pool(programme)
    if pool is None:
        pool = build_pool(programme)
        try:
            cache.set(key, pool, timeout=POOL_TIMEOUT)
        except Exception:
            log.warning("Could not cache the mentor pool", exc_info=True)
    return pool


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
        return labels()

    def explain(self, profile: MentorProfile) -> Explanation:
        return explain(
            self.mentee,
            mentor_features(profile),
            self.weights,
            families=self.families,
            labels=self.labels,
        )


def rank_mentors(mentee: MenteeProfile, programme: Programme) -> Ranking:
    """Every vetted mentor of the programme for this mentee: best score first, ties to the
    lower id; mentors who are full, paused or excluded follow, in id order."""
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
        excluded=excluded_pairs(mentee.user_id, programme),
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
        labels=labels(),
    )
    blocked = None
    if (mentee.user_id, mentor.user_id) in set(excluded_pairs(mentee.user_id, programme)):
        blocked = "You cannot ask this mentor again in this programme."
    elif not mentor.is_accepting_requests:
        blocked = "This mentor is not taking new requests at the moment."
    if blocked:
        return replace(result, total=float("-inf"), allowed=False, blocked_reason=blocked)
    return result
