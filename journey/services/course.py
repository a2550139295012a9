"""Changing course while a mentorship is active: extending the planned end (one person
proposes and the other agrees, or a manager decides), and pausing for leave.

Limits, so that a typing mistake cannot park a mentorship for years:
- an extension moves the planned end later, by at most MAX_EXTENSION (52 weeks) at a time;
- a pause lasts until a day after today and at most MAX_PAUSE (12 weeks) from today.
While paused, no check-ins open and no reminders to meet are sent (Mentorship.is_paused);
pausing does not move the planned end: extend it too if the time is needed."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from mentorship.models import Action, Mentorship
from mentorship.services.errors import InvalidTransition, NotAllowed
from mentorship.services.locking import lock_mentorship

from ..access import require_active, require_party, require_party_or_team, require_team
from ..emails import course as emails
from ..models import Extension
from ..wording import long_date

MAX_EXTENSION = datetime.timedelta(weeks=52)
MAX_PAUSE = datetime.timedelta(weeks=12)


def extension_problem(mentorship: Mentorship, new_end_on: datetime.date) -> str | None:
    """Why this new planned end cannot be, or None. Forms show it; services enforce it."""
    if new_end_on <= mentorship.planned_end_on:
        return f"The new end date must be after {long_date(mentorship.planned_end_on)}"
    if new_end_on > mentorship.planned_end_on + MAX_EXTENSION:
        return (
            f"The new end date must be no more than 52 weeks after the current planned end "
            f"({long_date(mentorship.planned_end_on + MAX_EXTENSION)} at the latest)"
        )
    return None


def pause_problem(until: datetime.date, today: datetime.date | None = None) -> str | None:
    today = today or timezone.localdate()
    if until <= today:
        return "The date the pause ends must be in the future"
    if until > today + MAX_PAUSE:
        return (
            f"A pause can last up to 12 weeks: choose {long_date(today + MAX_PAUSE)} or earlier. "
            "If you need longer, talk to the programme team"
        )
    return None


def pending_extension(mentorship: Mentorship) -> Extension | None:
    return mentorship.extensions.filter(decided_at__isnull=True).first()


# --- Extending the planned end -----------------------------------------------------------


@transaction.atomic
def propose_extension(
    mentorship: Mentorship, *, by: Any, new_end_on: datetime.date, reason: str = ""
) -> Extension:
    """Either person proposes a later planned end; the other is asked to agree. One proposal
    waits at a time."""
    mentorship = lock_mentorship(mentorship)
    require_party(by, mentorship)
    require_active(mentorship)
    waiting = pending_extension(mentorship)
    if waiting is not None:
        raise InvalidTransition(
            f"A proposal to extend the mentorship to {long_date(waiting.new_end_on)} is already "
            "waiting for an answer."
        )
    problem = extension_problem(mentorship, new_end_on)
    if problem:
        raise InvalidTransition(problem + ".")
    extension = Extension.objects.create(
        mentorship=mentorship, new_end_on=new_end_on, reason=reason.strip(), proposed_by=by
    )
    mentorship.log_action(
        Action.EXTENSION_PROPOSED, by=by, note=_note(new_end_on, extension.reason)
    )
    emails.extension_proposed(extension)
    return extension


@transaction.atomic
def agree_extension(extension: Extension, *, by: Any) -> Mentorship:
    """The other person agrees: the planned end moves."""
    mentorship, extension = _decide(extension, by=by)
    problem = extension_problem(mentorship, extension.new_end_on)
    if problem:
        raise InvalidTransition(problem + ". Ask for a new proposal.")
    extension.agreed = True
    extension.save(update_fields=["agreed", "decided_by", "decided_at"])
    _move_end(mentorship, extension, by=by)
    return mentorship


@transaction.atomic
def decline_extension(extension: Extension, *, by: Any) -> Extension:
    """The other person says no: the planned end stays."""
    mentorship, extension = _decide(extension, by=by)
    extension.agreed = False
    extension.save(update_fields=["agreed", "decided_by", "decided_at"])
    mentorship.log_action(
        Action.EXTENSION_DECLINED, by=by, note=f"Proposed end: {long_date(extension.new_end_on)}."
    )
    emails.extension_declined(extension)
    return extension


def _decide(extension: Extension, *, by: Any) -> tuple[Mentorship, Extension]:
    """Lock the mentorship then the proposal; only the person who did not propose decides."""
    mentorship = lock_mentorship(extension.mentorship)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    require_party(by, mentorship)
    if by.pk == extension.proposed_by_id:
        raise NotAllowed("The other person decides on your proposal.")
    if extension.decided_at is not None:
        raise InvalidTransition("This proposal has already been answered.")
    require_active(mentorship)
    extension.decided_by = by
    extension.decided_at = timezone.now()
    return mentorship, extension


@transaction.atomic
def extend_mentorship(
    mentorship: Mentorship, *, by: Any, new_end_on: datetime.date, reason: str = ""
) -> Extension:
    """A programme manager moves the planned end directly. A proposal still waiting is
    settled by this decision (recorded as decided, neither agreed nor declined)."""
    mentorship = lock_mentorship(mentorship)
    require_team(by, mentorship)
    require_active(mentorship)
    problem = extension_problem(mentorship, new_end_on)
    if problem:
        raise InvalidTransition(problem + ".")
    now = timezone.now()
    mentorship.extensions.filter(decided_at__isnull=True).update(decided_by=by, decided_at=now)
    extension = Extension.objects.create(
        mentorship=mentorship,
        new_end_on=new_end_on,
        reason=reason.strip(),
        proposed_by=by,
        decided_by=by,
        decided_at=now,
        agreed=True,
    )
    _move_end(mentorship, extension, by=by)
    return extension


def _move_end(mentorship: Mentorship, extension: Extension, *, by: Any) -> None:
    old_end = mentorship.planned_end_on
    mentorship.planned_end_on = extension.new_end_on
    mentorship.save(update_fields=["planned_end_on", "updated_at"])
    mentorship.log_action(
        Action.EXTENDED,
        by=by,
        note=f"From {long_date(old_end)} to {long_date(extension.new_end_on)}."
        + (f" {extension.reason}" if extension.reason else ""),
    )
    emails.mentorship_extended(extension, by=by)


def _note(new_end_on: datetime.date, reason: str) -> str:
    return f"To {long_date(new_end_on)}." + (f" {reason}" if reason else "")


# --- Pausing for leave -------------------------------------------------------------------


@transaction.atomic
def pause_mentorship(
    mentorship: Mentorship, *, by: Any, until: datetime.date, reason: str = ""
) -> Mentorship:
    """Either person or a manager pauses it until a date (inclusive): no check-ins open and
    no reminders to meet go out until then. Pausing again changes the date."""
    mentorship = lock_mentorship(mentorship)
    require_party_or_team(by, mentorship)
    require_active(mentorship)
    problem = pause_problem(until)
    if problem:
        raise InvalidTransition(problem + ".")
    mentorship.paused_until = until
    mentorship.pause_reason = reason.strip()
    mentorship.save(update_fields=["paused_until", "pause_reason", "updated_at"])
    event = mentorship.log_action(
        Action.PAUSED, by=by, note=f"Until {long_date(until)}." + _sentence(mentorship.pause_reason)
    )
    emails.mentorship_paused(mentorship, by=by, event=event)
    return mentorship


@transaction.atomic
def resume_mentorship(mentorship: Mentorship, *, by: Any) -> Mentorship:
    """Either person or a manager ends a pause early."""
    mentorship = lock_mentorship(mentorship)
    require_party_or_team(by, mentorship)
    require_active(mentorship)
    if not mentorship.is_paused():
        raise InvalidTransition("This mentorship is not paused.")
    mentorship.paused_until = None
    mentorship.pause_reason = ""
    mentorship.save(update_fields=["paused_until", "pause_reason", "updated_at"])
    event = mentorship.log_action(Action.RESUMED, by=by)
    emails.mentorship_resumed(mentorship, by=by, event=event)
    return mentorship


def _sentence(text: str) -> str:
    return f" {text}" if text else ""
