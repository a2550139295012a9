"""Step 1 of a run, load: who takes part, as the engine's features.

Mentees: accepted into the programme, with no active mentorship there and no open request a
manager already approved. Mentors: the programme's vetted mentors with their free places
(none when paused; places held by accepted requests and approved proposals are taken off).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import User
from mentorship.models import (
    Exclusion,
    MenteeMembership,
    MenteeProfile,
    MentorRequest,
    Mentorship,
    Programme,
)

from .. import services
from ..engine import MenteeFeatures, MentorFeatures


def waiting_mentees(programme: Programme) -> QuerySet[User]:
    """Accepted, active mentees of the programme with no mentor yet. A queryset of users."""
    waiting = MenteeMembership.objects.waiting_for_a_mentor(programme).values("user_id")
    return User.objects.filter(pk__in=waiting)


def available_mentors(programme: Programme) -> list[MentorFeatures]:
    """Every vetted mentor of the programme; the engine's capacity is their free places."""
    return services.programme_mentor_features(programme)


@dataclass
class CohortSummary:
    """What the matching page says before a run: who waits, and how many places there are."""

    mentees: int
    mentors: int
    places: int


def cohort_summary(programme: Programme) -> CohortSummary:
    """How many mentees wait for a mentor, and how many mentors have how many free places."""
    mentors = [m for m in available_mentors(programme) if m.capacity > 0]
    return CohortSummary(
        mentees=waiting_mentees(programme).count(),
        mentors=len(mentors),
        places=sum(m.capacity for m in mentors),
    )


@dataclass
class Cohort:
    """Everything a run needs from the database, loaded in a fixed number of queries."""

    users: list[User]  # every waiting mentee, in user id order
    mentees: list[MenteeFeatures]  # those who filled in their profile, same order
    targets: dict[int, str]  # mentee user id -> target specialty name, as shown in the run
    mentors: list[MentorFeatures]  # every vetted mentor, capacity = free places
    families: dict[str, str]
    labels: dict[str, str]
    # (mentee, mentor): the mentor declined, their mentorship was not a good fit, or excluded
    excluded: list[tuple[int, int]]

    @property
    def without_profile(self) -> list[User]:
        """Waiting mentees with no mentee profile: there is nothing to match them on."""
        return [u for u in self.users if u.pk not in self.targets]

    @property
    def free_mentors(self) -> list[MentorFeatures]:
        return [m for m in self.mentors if m.capacity > 0]


def load_cohort(programme: Programme, limit: int | None = None) -> Cohort:
    """The programme's waiting mentees and its mentors, as the engine's features. With a
    `limit`, only the first that many waiting mentees (by when they signed up), with every
    mentor: the weights preview runs a big programme's cohort that way."""
    waiting = waiting_mentees(programme).order_by("pk")
    users = list(waiting if limit is None else waiting[:limit])
    profiles = {
        p.user_id: p
        for p in MenteeProfile.objects.filter(user__in=[u.pk for u in users])
        .select_related("target_specialty", "current_specialty", "region")
        .prefetch_related("mentee_goals__goal", "languages")
    }
    with_profile = [u for u in users if u.pk in profiles]
    return Cohort(
        users=users,
        mentees=[services.mentee_features(profiles[u.pk]) for u in with_profile],
        targets={u.pk: profiles[u.pk].target_specialty.name for u in with_profile},
        mentors=available_mentors(programme),
        families=services.specialty_families(),
        labels=services.labels(),
        excluded=MentorRequest.objects.declined_in(programme).declined_pairs()
        + Mentorship.objects.not_a_good_fit_in(programme).pairs()
        + Exclusion.objects.pairs([u.pk for u in users]),
    )
