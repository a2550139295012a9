"""Concerns raised with the programme team and acknowledged in time.

Either person raises a concern privately; the programme's managers are emailed at once and
must acknowledge it within the programme's working days (`concern_acknowledge_days`); a
concern still unacknowledged after that is flagged to them once by beat. The other person
is never told, and neither person in the mentorship handles a concern about it, even if
they also manage the programme."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from mentorship.models import Action, Mentorship
from mentorship.services.errors import InvalidTransition, NotAllowed

from ..access import is_party, is_programme_team, require_party
from ..emails import concerns as emails
from ..models import Concern

DETAILS_MAX_LENGTH = 5000
OUTCOME_MAX_LENGTH = 2000


def may_handle(user: Any, mentorship: Mentorship) -> bool:
    """The programme team, but never one of the two people (a mentor may also manage)."""
    return is_programme_team(user, mentorship) and not is_party(user, mentorship)


def require_handler(user: Any, mentorship: Mentorship) -> None:
    if not may_handle(user, mentorship):
        raise NotAllowed("Only the programme team can do this.")


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """`days` working days (Monday to Friday) after `start`, at the same UK clock time.
    Bank holidays are not counted out: the deadline errs on the early side."""
    local = timezone.localtime(start)
    day = local.date()
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return timezone.make_aware(datetime.datetime.combine(day, local.time().replace(fold=0)))


@transaction.atomic
def raise_concern(mentorship: Mentorship, *, by: Any, kind: str, details: str) -> Concern:
    """Either person raises a concern with the programme team (in any state of the
    mentorship: a concern may come after it ended). The managers are emailed at once; the
    other person is not told."""
    require_party(by, mentorship)
    details = details.strip()
    if kind not in Concern.Kind.values:
        raise InvalidTransition("Choose what the concern is about from the list.")
    if not details:
        raise InvalidTransition("Say what the concern is.")
    if len(details) > DETAILS_MAX_LENGTH:
        raise InvalidTransition(f"Keep the concern to {DETAILS_MAX_LENGTH} characters or fewer.")
    now = timezone.now()
    concern = Concern.objects.create(
        mentorship=mentorship,
        raised_by=by,
        kind=kind,
        details=details,
        acknowledge_by=add_working_days(now, mentorship.programme.concern_acknowledge_days),
    )
    mentorship.log_action(
        Action.CONCERN_RAISED,
        by=by,
        note=concern.get_kind_display(),
        programme_team_only=True,
    )
    emails.concern_raised(concern)
    emails.concern_received(concern)
    return concern


def _lock(concern: Concern) -> Concern:
    return Concern.objects.select_for_update().select_related("mentorship").get(pk=concern.pk)


@transaction.atomic
def acknowledge_concern(concern: Concern, *, by: Any) -> Concern:
    """The programme team acknowledges an open concern; the person who raised it is told."""
    concern = _lock(concern)
    require_handler(by, concern.mentorship)
    if concern.closed_at is not None:
        raise InvalidTransition("This concern is already closed.")
    if concern.acknowledged_at is not None:
        raise InvalidTransition("This concern is already acknowledged.")
    concern.acknowledged_by = by
    concern.acknowledged_at = timezone.now()
    concern.save(update_fields=["acknowledged_by", "acknowledged_at"])
    concern.mentorship.log_action(
        Action.CONCERN_ACKNOWLEDGED,
        by=by,
        note=concern.get_kind_display(),
        programme_team_only=True,
    )
    emails.concern_acknowledged(concern)
    return concern


@transaction.atomic
def close_concern(concern: Concern, *, by: Any, outcome: str) -> Concern:
    """The programme team closes a concern with its outcome, which the person who raised it
    is sent. Closing an unacknowledged concern acknowledges it too."""
    concern = _lock(concern)
    require_handler(by, concern.mentorship)
    outcome = outcome.strip()
    if concern.closed_at is not None:
        raise InvalidTransition("This concern is already closed.")
    if not outcome:
        raise InvalidTransition("Say what the outcome is.")
    if len(outcome) > OUTCOME_MAX_LENGTH:
        raise InvalidTransition(f"Keep the outcome to {OUTCOME_MAX_LENGTH} characters or fewer.")
    now = timezone.now()
    fields = ["closed_at", "outcome"]
    if concern.acknowledged_at is None:
        concern.acknowledged_by, concern.acknowledged_at = by, now
        fields += ["acknowledged_by", "acknowledged_at"]
    concern.closed_at = now
    concern.outcome = outcome
    concern.save(update_fields=fields)
    concern.mentorship.log_action(
        Action.CONCERN_CLOSED, by=by, note=outcome, programme_team_only=True
    )
    emails.concern_closed(concern)
    return concern


def alert_overdue_concerns(now: datetime.datetime | None = None) -> int:
    """Beat, hourly: tell the managers, once, about each open concern not acknowledged by
    its deadline. Returns how many concerns were flagged."""
    now = now or timezone.now()
    overdue = (
        Concern.objects.open()
        .unacknowledged()
        .filter(acknowledge_by__lt=now, overdue_alerted_at__isnull=True)
    )
    alerted = 0
    for pk in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            # Checked again under the lock: acknowledged or alerted meanwhile is left alone.
            concern = (
                Concern.objects.select_for_update()
                .filter(pk=pk, acknowledged_at__isnull=True, closed_at__isnull=True)
                .filter(overdue_alerted_at__isnull=True)
                .first()
            )
            if concern is None:
                continue
            concern.overdue_alerted_at = now
            concern.save(update_fields=["overdue_alerted_at"])
            emails.concern_overdue(concern)
            alerted += 1
    return alerted
