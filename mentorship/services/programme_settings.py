"""A programme's settings, changed by its own managers: one service that saves and logs the
change, and the preview of a change of matching weights that the manager sees first.

The preview reads only. It ranks mentors with the directory's own ranking
(matching.services.rank_mentors) and runs the cohort through a match run's own load and
assign steps (matching.runs), once with today's weights and once with the new ones, so that
what it shows is what the directory and a real run would do.
"""

from __future__ import annotations

import hashlib
import json
import time
from copy import copy
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.permissions import may_manage_programme

from ..models import (
    Action,
    Event,
    MeetingCadence,
    MenteeMembership,
    MenteeProfile,
    Programme,
)
from ..models.programmes import WEIGHT_FIELDS
from .errors import InvalidTransition, NotAllowed, ServiceError

# Every setting a manager may change, in the order the page shows them, with the words the
# page and the change history use for each.
SETTING_LABELS: dict[str, str] = {
    "description": "Description",
    "is_open": "Open to applications",
    "requires_approval": "A manager approves each match",
    "duration_weeks": "Length of a mentorship",
    "meeting_cadence": "How often pairs meet",
    "max_open_requests": "Open requests a mentee may have",
    "request_expiry_days": "A request expires after",
    "check_in_points": "Check-in points",
    "freedom_to_speak_up": "Freedom to Speak Up guardian",
    "safeguarding_lead": "Safeguarding lead",
    "concern_acknowledge_days": "Working days to acknowledge a concern",
    "weight_specialty": "Specialty weight",
    "weight_goals": "Goals weight",
    "weight_region": "Region weight",
    "weight_format": "Meeting format weight",
    "weight_img_experience": "Lived IMG experience weight",
    "weight_capacity": "Free places weight",
}
SETTINGS_FIELDS = tuple(SETTING_LABELS)
_LONG_TEXT = 120  # a description longer than this is cut short in the change history

# How much of a big programme the preview looks at, so that it answers in a few seconds: up
# to five mentees' rankings, and a cohort run over at most COHORT_LIMIT mentees and about
# PAIR_BUDGET mentee-mentor pairs (the engine's optimal assignment takes about a second per
# million pairs, and the preview runs it twice). Smaller programmes are run in full.
SAMPLE_MENTEES = 5
COHORT_LIMIT = 300
MIN_COHORT = 20
PAIR_BUDGET = 1_000_000
PREVIEW_METHOD = "optimal"


class SettingsChanged(InvalidTransition):
    """Someone saved the settings after this form was opened (shown as 409)."""


class InvalidSettings(ServiceError):
    """A value breaks a rule (shown as 400; the form normally catches it first)."""

    status_code = 400


# --- What changed ------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One setting's old and new value, in words."""

    field: str
    label: str
    old: str
    new: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "old": self.old, "new": self.new}


def shown(name: str, value: Any) -> str:
    """A setting's value as a manager reads it ("16 weeks", "Every 2 weeks", "Open")."""
    if name == "is_open":
        return "Open" if value else "Closed"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name == "duration_weeks":
        return f"{value} week{'s' if value != 1 else ''}"
    if name == "request_expiry_days":
        return f"{value} day{'s' if value != 1 else ''}"
    if name == "meeting_cadence":
        return MeetingCadence(value).label if value in MeetingCadence.values else str(value)
    if name == "check_in_points":
        return ", ".join(value) if value else "None"
    if name in WEIGHT_FIELDS:
        return f"{float(value):g}"
    text = " ".join(str(value).split())
    if not text:
        return "Not set"
    return text if len(text) <= _LONG_TEXT else text[: _LONG_TEXT - 1] + "…"


def current_settings(programme: Programme) -> dict[str, Any]:
    return {name: getattr(programme, name) for name in SETTINGS_FIELDS}


def settings_version(programme: Programme) -> str:
    """A fingerprint of the settings as they are. A form carries the one it was opened
    with; if the settings changed since (here or in the admin), saving it is refused."""
    values = current_settings(programme)
    for name in WEIGHT_FIELDS:  # 35 typed in and 35.0 read back are the same weight
        values[name] = float(values[name])
    data = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:20]


def describe_changes(programme: Programme, values: dict[str, Any]) -> list[Change]:
    """Each setting whose new value differs from the programme's, old and new in words."""
    changes = []
    for name in SETTINGS_FIELDS:
        if name not in values:
            continue
        old, new = getattr(programme, name), values[name]
        if name in WEIGHT_FIELDS:
            differs = float(old) != float(new)
        else:
            differs = old != new
        if differs:
            changes.append(Change(name, SETTING_LABELS[name], shown(name, old), shown(name, new)))
    return changes


def changes_weights(changes: list[Change]) -> bool:
    return any(change.field in WEIGHT_FIELDS for change in changes)


# --- Saving ------------------------------------------------------------------------------


def _stale_message(programme: Programme, by=None) -> str:
    said = (
        "These settings have changed since this page was opened, so nothing has been saved. "
        "Open the settings again to see them as they are now, then make your change."
    )
    last = Event.objects.in_programme(programme).about_programme().select_related("actor").last()
    if last is None or last.actor is None:
        return said
    when = date_format(timezone.localtime(last.created_at), "H:i \\o\\n j F Y")
    if by is not None and last.actor_id == by.pk:
        return f"{said} The latest change recorded here was yours, at {when}."
    name = last.actor.full_name or last.actor.email
    return f"{said} The latest change recorded here was by {name}, at {when}."


def check_not_stale(programme: Programme, version: str, *, by=None) -> None:
    """Refuse a form opened on settings that have changed since (before a preview, too)."""
    if settings_version(programme) != version:
        raise SettingsChanged(_stale_message(programme, by))


@transaction.atomic
def change_programme_settings(
    programme: Programme, values: dict[str, Any], *, by, version: str
) -> list[Change]:
    """Only the programme's own managers change its settings, from a form opened on the
    settings as they still are; every change is logged with who, when, and old and new."""
    if not may_manage_programme(by, programme):
        raise NotAllowed("Only this programme's managers can change its settings.")
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise InvalidSettings(f"These are not settings you can change: {', '.join(unknown)}.")
    # Locked, so that two managers saving at once are taken one after the other, and the
    # second sees that the first changed what its form was opened on.
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    check_not_stale(locked, version, by=by)
    before = copy(locked)
    changes = describe_changes(before, values)
    if not changes:
        return []
    for change in changes:
        setattr(locked, change.field, values[change.field])
    others = [f.name for f in Programme._meta.concrete_fields if f.name not in SETTINGS_FIELDS]
    try:
        locked.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise InvalidSettings(" ".join(error.messages)) from error
    # clean() may have tidied a value (check-in points): log what was saved.
    changes = describe_changes(before, current_settings(locked))
    if not changes:
        return []
    locked.save(update_fields=[change.field for change in changes])
    Event.log_programme_action(
        locked, Action.SETTINGS_CHANGED, by=by, changes=[c.as_dict() for c in changes]
    )
    for name in SETTINGS_FIELDS:
        setattr(programme, name, getattr(locked, name))
    return changes


# --- The preview of new weights -----------------------------------------------------------


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

    from ..models import MentorProfile

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
    if waiting <= limit:
        cohort = load_cohort(programme)
    else:
        cohort = _first_of_cohort(programme, limit)
    result = CohortPreview(waiting=waiting, considered=len(cohort.users), method=PREVIEW_METHOD)
    for when, source in (("before", programme), ("after", candidate)):
        assignment = assign_mentors(cohort, source.matching_weights(), PREVIEW_METHOD)
        setattr(result, f"matched_{when}", len(assignment.matches))
        setattr(result, f"total_{when}", float(sum(m.score for m in assignment.matches)))
    return result


def _first_of_cohort(programme: Programme, limit: int):
    """A big programme's cohort cut to its first `limit` waiting mentees (by when they
    signed up), loaded as matching/runs/load.py: load_cohort loads a whole cohort, with every
    mentor and their free places, the same specialty families, labels and excluded pairs."""
    from matching import services as matching
    from matching.runs.load import Cohort, available_mentors, waiting_mentees

    from ..models import Exclusion, MentorRequest, Mentorship

    users = list(waiting_mentees(programme).order_by("pk")[:limit])
    profiles = (
        MenteeProfile.objects.filter(user__in=[u.pk for u in users])
        .select_related("target_specialty", "current_specialty", "region")
        .prefetch_related("mentee_goals__goal", "languages")
        .in_bulk(field_name="user_id")
    )
    with_profile = [u for u in users if u.pk in profiles]
    return Cohort(
        users=users,
        mentees=[matching.mentee_features(profiles[u.pk]) for u in with_profile],
        targets={u.pk: profiles[u.pk].target_specialty.name for u in with_profile},
        mentors=available_mentors(programme),
        families=matching.specialty_families(),
        labels=matching.labels(),
        excluded=MentorRequest.objects.declined_in(programme).declined_pairs()
        + Mentorship.objects.not_a_good_fit_in(programme).pairs()
        + Exclusion.objects.pairs([u.pk for u in users]),
    )


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
