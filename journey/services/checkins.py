"""Check-ins at the programme's points, answered privately; alerts to the managers.

Each person answers their own check-in once. The answers, and the events about them, are the
programme team's only: the other person never sees them."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentorship.models import Action, Mentorship
from mentorship.services.errors import InvalidTransition, NotAllowed
from mentorship.services.locking import lock_mentorship

from ..access import require_active, require_team
from ..emails import checkins as emails
from ..models import CheckIn
from ..schedule import latest_due_point


def open_due_check_ins(today: datetime.date | None = None) -> int:
    """For beat: open each person's check-in when a point of the programme has come, in
    every active mentorship that is not paused, and invite them by email. Safe to run twice,
    or twice at once: returns how many check-ins this run opened."""
    today = today or timezone.localdate()
    running = (
        Mentorship.objects.active()
        .filter(Q(paused_until__isnull=True) | Q(paused_until__lt=today))
        .select_related("programme")
        .prefetch_related("check_ins")
    )
    opened = 0
    for mentorship in running.iterator(chunk_size=200):
        due = latest_due_point(mentorship, today)
        if due is None:
            continue
        asked = {(c.person_id, c.point) for c in mentorship.check_ins.all()}
        if {(mentorship.mentee_id, due[0]), (mentorship.mentor_id, due[0])} <= asked:
            continue
        opened += _open_check_ins(mentorship.pk, today)
    return opened


@transaction.atomic
def _open_check_ins(mentorship_pk: int, today: datetime.date) -> int:
    # The row lock serialises this with a second run of the job and with pausing or ending,
    # so the state read here is the state the check-ins are opened in.
    mentorship = lock_mentorship(mentorship_pk)
    if not mentorship.is_active or mentorship.is_paused(today):
        return 0
    due = latest_due_point(mentorship, today)
    if due is None:
        return 0
    point, day = due
    opened = 0
    for person in (mentorship.mentee, mentorship.mentor):
        # The unique constraint (mentorship, person, point) is the last word: get_or_create
        # re-reads the row if another transaction inserted it first.
        check_in, created = CheckIn.objects.get_or_create(
            mentorship=mentorship, person=person, point=point, defaults={"due_on": day}
        )
        if created:
            emails.check_in_due(check_in)
            opened += 1
    return opened


@transaction.atomic
def answer_check_in(
    check_in: CheckIn,
    *,
    by: Any,
    score: int,
    meeting_as_agreed: str,
    for_programme_team: str = "",
    not_a_good_fit: bool = False,
) -> CheckIn:
    """Only the person it was opened for answers it, once, while the mentorship is active. A
    score of LOW_SCORE or less, or "not a good fit", alerts the programme's managers at once."""
    check_in = (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("mentorship__programme", "mentorship__mentee", "mentorship__mentor")
        .get(pk=check_in.pk)
    )
    mentorship = check_in.mentorship
    if by.pk != check_in.person_id:
        raise NotAllowed("Only the person a check-in is for can answer it.")
    if check_in.answered_at is not None:
        raise InvalidTransition("You have already answered this check-in. Thank you.")
    require_active(mentorship)
    if not 1 <= int(score) <= 5:
        raise InvalidTransition("Choose a score from 1 to 5.")
    if meeting_as_agreed not in CheckIn.MeetingAsAgreed.values:
        raise InvalidTransition("Say whether you are meeting as agreed.")

    check_in.score = int(score)
    check_in.meeting_as_agreed = meeting_as_agreed
    check_in.for_programme_team = for_programme_team.strip()
    check_in.not_a_good_fit = bool(not_a_good_fit)
    check_in.answered_at = timezone.now()
    check_in.save(
        update_fields=[
            "score",
            "meeting_as_agreed",
            "for_programme_team",
            "not_a_good_fit",
            "answered_at",
        ]
    )
    mentorship.log_action(
        Action.CHECK_IN_ANSWERED,
        by=by,
        note=_summary(check_in),
        programme_team_only=True,
    )
    if check_in.is_alerting:
        _alert(check_in)
    return check_in


def _alert(check_in: CheckIn) -> None:
    """Tell the managers now, once (alerted_at records that it was done)."""
    if check_in.alerted_at is not None:
        return
    check_in.alerted_at = timezone.now()
    check_in.save(update_fields=["alerted_at"])
    check_in.mentorship.log_action(
        Action.CHECK_IN_ALERT,
        by=None,
        note=f"{check_in.person.full_name} {' and '.join(check_in.alert_reasons)}.",
        programme_team_only=True,
    )
    emails.check_in_alert(check_in)


@transaction.atomic
def mark_check_in_handled(check_in: CheckIn, *, by: Any, note: str = "") -> CheckIn:
    """The programme team marks an alerting check-in as dealt with (a call made, a plan
    agreed), once; it leaves "needs attention". What was done stays with the team."""
    mentorship = lock_mentorship(check_in.mentorship_id)
    require_team(by, mentorship)
    check_in = CheckIn.objects.select_for_update().select_related("person").get(pk=check_in.pk)
    if not check_in.is_alerting:
        raise InvalidTransition("Only a low score or a 'not a good fit' answer needs dealing with.")
    if check_in.handled_at is not None:
        raise InvalidTransition("This check-in has already been marked as dealt with.")
    note = note.strip()
    if len(note) > 1000:
        raise InvalidTransition("Say what was done in 1000 characters or fewer.")
    check_in.handled_at = timezone.now()
    check_in.handled_by = by
    check_in.handled_note = note
    check_in.save(update_fields=["handled_at", "handled_by", "handled_note"])
    mentorship.log_action(
        Action.CHECK_IN_HANDLED,
        by=by,
        note=f"{check_in.person.full_name}'s check-in due {check_in.due_on:%-d %B %Y}.",
        programme_team_only=True,
    )
    return check_in


def _summary(check_in: CheckIn) -> str:
    """The event's note, for the programme team's timeline."""
    parts = [
        f"How it is going: {check_in.score} out of 5",
        f"meeting as agreed: {check_in.get_meeting_as_agreed_display().lower()}",
    ]
    if check_in.not_a_good_fit:
        parts.append("not a good fit")
    return "; ".join(parts) + "."
