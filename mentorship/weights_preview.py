"""The preview a manager sees before new matching weights are saved. It reads only.

It ranks mentors with the directory's own ranking (matching.services.rank_mentors) and runs
the cohort through a match run's own load and assign steps (matching.runs), once with today's
weights and once with the new ones, so that what it shows is what the directory and a real
run would do. The saving is `services.programme_settings.change_programme_settings`.
"""

from __future__ import annotations

import time
from copy import copy
from dataclasses import dataclass, field
from typing import Any

from .models import (
    MenteeMembership,
    MenteeProfile,
    Programme,
)
from .models.programmes import WEIGHT_FIELDS

# How much of a big programme the preview looks at, so that it answers in a few seconds: up
# to five mentees' rankings, and a cohort run over at most COHORT_LIMIT mentees and about
# PAIR_BUDGET mentee-mentor pairs (the engine's optimal assignment takes about a second per
# million pairs, and the preview runs it twice). Smaller programmes are run in full.
SAMPLE_MENTEES = 5
COHORT_LIMIT = 300
MIN_COHORT = 20
PAIR_BUDGET = 1_000_000
PREVIEW_METHOD = "optimal"


@dataclass(frozen=True)
class Placed:
    """A mentor in a mentee's top five: their name, score and place in the list."""

    mentor_id: int
    name: str
    score: float
    place: int
    was: int | None = None  # their place with today's weights, if they were in the top five


@dataclass
class MenteePreview:
    name: str
    waiting: bool  # waiting for a mentor (otherwise: already matched or asked)
    before: list[Placed]
    after: list[Placed]

    @property
    def rows(self) -> list[tuple[int, Placed | None, Placed | None]]:
        """Place by place: (place, today's mentor, the mentor with the new weights)."""
        size = max(len(self.before), len(self.after))
        get = lambda items, i: items[i] if i < len(items) else None  # noqa: E731
        return [(i + 1, get(self.before, i), get(self.after, i)) for i in range(size)]

    @property
    def unchanged(self) -> bool:
        return [p.mentor_id for p in self.before] == [p.mentor_id for p in self.after]


@dataclass
class CohortPreview:
    """A cohort match run's outcome, today and with the new weights."""

    waiting: int  # every mentee waiting for a mentor
    considered: int  # how many of them the preview ran (all, unless sampled)
    method: str
    matched_before: int = 0
    matched_after: int = 0
    total_before: float = 0.0
    total_after: float = 0.0

    @property
    def sampled(self) -> bool:
        return self.considered < self.waiting

    @property
    def matched_change(self) -> int:
        return self.matched_after - self.matched_before

    @property
    def total_change(self) -> float:
        return self.total_after - self.total_before


@dataclass
class WeightPreview:
    mentees: list[MenteePreview] = field(default_factory=list)
    cohort: CohortPreview | None = None
    seconds: float = 0.0


def with_weights(programme: Programme, values: dict[str, Any]) -> Programme:
    """An unsaved copy of the programme with the new weights, for the engine to score with."""
    candidate = copy(programme)
    for name in WEIGHT_FIELDS:
        if name in values:
            setattr(candidate, name, float(values[name]))
    return candidate


def _sample_mentees(programme: Programme) -> list[tuple[MenteeProfile, bool]]:
    """Up to five mentees with a profile: those waiting longest for a mentor first, then
    other accepted mentees. Each with whether they are waiting."""
    with_profile = {"user__mentee_profile__isnull": False}
    waiting = list(
        MenteeMembership.objects.waiting_for_a_mentor(programme)
        .filter(**with_profile)
        .order_by("created_at", "pk")
        .values_list("user_id", flat=True)[:SAMPLE_MENTEES]
    )
    others = []
    if len(waiting) < SAMPLE_MENTEES:
        others = list(
            MenteeMembership.objects.accepted()
            .filter(programme=programme, user__is_active=True, **with_profile)
            .exclude(user_id__in=waiting)
            .order_by("created_at", "pk")
            .values_list("user_id", flat=True)[: SAMPLE_MENTEES - len(waiting)]
        )
    profiles = (
        MenteeProfile.objects.filter(user_id__in=waiting + others)
        .select_related("user", "target_specialty", "current_specialty", "region")
        .prefetch_related("mentee_goals__goal", "languages")
        .in_bulk(field_name="user_id")
    )
    return [(profiles[pk], pk in waiting) for pk in waiting + others if pk in profiles]


def _top_five(ranking) -> list[tuple[int, float]]:
    return [
        (int(mentor_id), float(score))
        for mentor_id, score in zip(ranking.ids[:5], ranking.scores[:5], strict=True)
        if score > float("-inf")
    ]


def _mentee_previews(programme: Programme, candidate: Programme) -> list[MenteePreview]:
    from matching.services import rank_mentors  # matching builds on this app

    from .models import MentorProfile

    found = []
    for profile, waiting in _sample_mentees(programme):
        before = _top_five(rank_mentors(profile, programme))
        after = _top_five(rank_mentors(profile, candidate))
        found.append((profile, waiting, before, after))
    ids = {mentor_id for *_, before, after in found for mentor_id, _ in before + after}
    names = dict(
        MentorProfile.objects.filter(user_id__in=ids).values_list("user_id", "user__full_name")
    )
    previews = []
    for profile, waiting, before, after in found:
        places = {mentor_id: i + 1 for i, (mentor_id, _) in enumerate(before)}
        previews.append(
            MenteePreview(
                name=profile.user.full_name,
                waiting=waiting,
                before=[
                    Placed(m, names.get(m, ""), score, i + 1, i + 1)
                    for i, (m, score) in enumerate(before)
                ],
                after=[
                    Placed(m, names.get(m, ""), score, i + 1, places.get(m))
                    for i, (m, score) in enumerate(after)
                ],
            )
        )
    return previews


def cohort_limit(programme: Programme) -> int:
    """How many waiting mentees the preview's cohort run may take in this programme."""
    from matching.services import mentor_pool  # cached: no load of every mentor here

    free_mentors = int((mentor_pool(programme).capacities > 0).sum())
    return max(MIN_COHORT, min(COHORT_LIMIT, PAIR_BUDGET // max(free_mentors, 1)))


def _cohort_preview(programme: Programme, candidate: Programme, limit: int) -> CohortPreview:
    from matching.runs.assign import assign_mentors
    from matching.runs.load import load_cohort, waiting_mentees

    waiting = waiting_mentees(programme).count()
    cohort = load_cohort(programme, limit if waiting > limit else None)
    result = CohortPreview(waiting=waiting, considered=len(cohort.users), method=PREVIEW_METHOD)
    for when, source in (("before", programme), ("after", candidate)):
        assignment = assign_mentors(cohort, source.matching_weights(), PREVIEW_METHOD)
        setattr(result, f"matched_{when}", len(assignment.matches))
        setattr(result, f"total_{when}", float(sum(m.score for m in assignment.matches)))
    return result


def preview_weights(
    programme: Programme, values: dict[str, Any], *, limit: int | None = None
) -> WeightPreview:
    """What new weights would change, before anything is saved: up to five mentees' top
    five mentors today and with the new weights, and a cohort run's number matched and
    total score both ways (on the first `limit` waiting mentees in a big programme, see
    cohort_limit). Reads only."""
    clock = time.perf_counter()
    candidate = with_weights(programme, values)
    preview = WeightPreview(
        mentees=_mentee_previews(programme, candidate),
        cohort=_cohort_preview(programme, candidate, limit or cohort_limit(programme)),
    )
    preview.seconds = time.perf_counter() - clock
    return preview
