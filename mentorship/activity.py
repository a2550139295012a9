"""The programme-wide activity log: every Event of a programme, newest first, grouped into
kinds and filtered by person. Pure reads for the managers' page and its download.

What a manager sees here is what they already see on each timeline: event notes are written
for the programme team (the journey's services keep the two people's own words, such as
meeting notes and topics, agreement wording and goal reflections, out of them), and events
for the programme team only (check-ins, concerns, feedback) are the managers' to see.

An event about something this page does not know (a new kind of target, for example a
programme's settings) is shown as about the programme, in the "settings and other" kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from .models import Action, Event, Programme


class Kind(models.TextChoices):
    REQUESTS = "requests", "Requests"
    MEMBERSHIPS = "memberships", "Memberships"
    MENTORSHIPS = "mentorships", "Mentorships"
    JOURNEY = "journey", "Meetings, check-ins and the rest of the journey"
    SETTINGS = "settings", "Programme settings and other"


# A mentorship's own start and end; every other event about a mentorship is its journey.
MENTORSHIP_ACTIONS = (
    Action.STARTED,
    Action.COMPLETED,
    Action.ENDED_EARLY,
    Action.NOT_A_GOOD_FIT,
)
_KNOWN_TARGETS = ("request", "mentorship", "mentee_membership", "mentor_membership")

KIND_FILTERS: dict[str, Q] = {
    Kind.REQUESTS: Q(request__isnull=False),
    Kind.MEMBERSHIPS: Q(mentee_membership__isnull=False) | Q(mentor_membership__isnull=False),
    Kind.MENTORSHIPS: Q(mentorship__isnull=False, action__in=MENTORSHIP_ACTIONS),
    Kind.JOURNEY: Q(mentorship__isnull=False) & ~Q(action__in=MENTORSHIP_ACTIONS),
    Kind.SETTINGS: Q(**{f"{target}__isnull": True for target in _KNOWN_TARGETS}),
}

_PEOPLE = (
    "actor",
    "request__mentee",
    "request__mentor",
    "mentorship__mentee",
    "mentorship__mentor",
    "mentee_membership__user",
    "mentor_membership__user",
)


def events_in(
    programme: Programme,
    *,
    kind: str = "",
    person_id: int | None = None,
    search: str = "",
) -> QuerySet[Event]:
    """The programme's events, newest first, with everyone they name loaded in the same
    query. `person_id` and `search` (part of a name or email) match the person who acted or
    anyone the event is about."""
    events = Event.objects.in_programme(programme)
    if kind in KIND_FILTERS:
        events = events.filter(KIND_FILTERS[kind])
    if person_id is not None:
        events = events.filter(_any_person(lambda path: Q(**{f"{path}_id": person_id})))
    words = search.split()
    for word in words:
        events = events.filter(
            _any_person(
                lambda path, word=word: (
                    Q(**{f"{path}__full_name__icontains": word})
                    | Q(**{f"{path}__email__icontains": word})
                )
            )
        )
    return events.select_related(*_PEOPLE).order_by("-created_at", "-pk")


def _any_person(condition) -> Q:
    found = Q()
    for path in _PEOPLE:
        found |= condition(path)
    return found


def kind_of(event: Event) -> Kind:
    if event.request_id:
        return Kind.REQUESTS
    if event.mentee_membership_id or event.mentor_membership_id:
        return Kind.MEMBERSHIPS
    if event.mentorship_id:
        return Kind.MENTORSHIPS if event.action in MENTORSHIP_ACTIONS else Kind.JOURNEY
    return Kind.SETTINGS


def about(event: Event) -> list:
    """The people the event is about (User objects), or [] when it is about the programme."""
    if event.request_id:
        return [event.request.mentee, event.request.mentor]
    if event.mentorship_id:
        return [event.mentorship.mentee, event.mentorship.mentor]
    if event.mentee_membership_id:
        return [event.mentee_membership.user]
    if event.mentor_membership_id:
        return [event.mentor_membership.user]
    return []


def about_text(event: Event) -> str:
    people = about(event)
    if event.request_id:
        return f"{people[0].full_name}'s request to {people[1].full_name}"
    if event.mentorship_id:
        return f"{people[0].full_name} and {people[1].full_name}"
    if people:
        role = "mentee" if event.mentee_membership_id else "mentor"
        return f"{people[0].full_name} ({role})"
    return "The programme"


def link(event: Event, programme: Programme) -> str:
    """Where the manager sees the thing the event is about, or "" if there is no page."""
    if event.mentorship_id:
        return reverse("mentorship:mentorship_detail", args=[event.mentorship_id])
    if event.mentee_membership_id:
        return reverse("manage:applicant", args=[programme.slug, event.mentee_membership_id])
    if event.mentor_membership_id:
        return reverse("manage:mentor", args=[programme.slug, event.mentor_membership_id])
    if event.request_id and event.request.status == event.request.Status.ACCEPTED:
        return reverse("manage:approvals", args=[programme.slug])
    return ""


HEADERS = ("When", "Kind", "What happened", "By", "About", "Note", "Programme team only")


def export_rows(events: Iterable[Event]) -> Iterator[list[object]]:
    for event in events:
        yield [
            timezone.localtime(event.created_at),
            kind_of(event).label,
            event.get_action_display(),
            event.actor.full_name if event.actor else "The system",
            about_text(event),
            event.note,
            event.programme_team_only,
        ]
