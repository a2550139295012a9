"""Mentorships after they start: the state machine's ways out of `active`.

- Completing takes two people: one proposes (`propose_completion`), the other confirms
  (`confirm_completion`); a programme manager may complete it directly. Never before
  `completion_problem` allows it (a confirmed meeting, or four weeks since the start).
- Ending early (`end_early`): either person or a manager, with a category and a reason.
- "Not a good fit" is an early end without blame: the mentor's place returns (places count
  active mentorships), the mentor is never offered to that mentee again in the programme
  (`Mentorship.objects.not_a_good_fit_in`), and the mentee is offered other mentors.

Each locks the mentorship row first, so two people acting at once change it once.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from journey.access import is_programme_team

from .. import emails
from ..models import Action, Mentorship
from .errors import InvalidTransition, NotAllowed
from .locking import lock_mentorship

# Completing is refused on day one: one confirmed meeting, or this long since the start.
COMPLETION_MIN_WEEKS = 4
REASON_MAX_LENGTH = 2000

EndedBecause = Mentorship.EndedBecause


def _require_active(mentorship: Mentorship) -> None:
    if not mentorship.is_active:
        raise InvalidTransition(
            f"This mentorship is already {mentorship.get_status_display().lower()}."
        )


def completion_problem(mentorship: Mentorship, today: datetime.date | None = None) -> str | None:
    """Why the mentorship cannot be marked complete yet, or None. Not on day one: it needs
    at least one confirmed meeting, or COMPLETION_MIN_WEEKS since it started."""
    from journey.models import Meeting

    today = today or timezone.localdate()
    earliest = mentorship.started_on + datetime.timedelta(weeks=COMPLETION_MIN_WEEKS)
    if today >= earliest or Meeting.objects.confirmed().filter(mentorship=mentorship).exists():
        return None
    return (
        "It is too early to mark this mentorship as complete. You can once a meeting has been "
        f"logged and confirmed, or from {earliest:%-d %B %Y} ({COMPLETION_MIN_WEEKS} weeks "
        "after it started). If it needs to stop sooner, end it early instead."
    )


def propose_completion_refusal(mentorship: Mentorship, by: Any) -> InvalidTransition | None:
    """Why `by` cannot ask the other person to confirm completion now, or None."""
    if not mentorship.is_active:
        return InvalidTransition(
            f"This mentorship is already {mentorship.get_status_display().lower()}."
        )
    proposer = mentorship.completion_proposed_by_id
    if proposer == by.pk:
        other = mentorship.other_party(by).full_name
        return InvalidTransition(
            f"You have already asked {other} to confirm the mentorship is complete."
        )
    if proposer is not None:
        return InvalidTransition(
            f"{mentorship.other_party(by).full_name} has already asked to mark the mentorship "
            "as complete. Confirm it instead."
        )
    if problem := completion_problem(mentorship):
        return InvalidTransition(problem)
    return None


def confirm_completion_refusal(mentorship: Mentorship, by: Any) -> InvalidTransition | None:
    """Why `by` cannot complete the mentorship now, or None. The person who proposed it
    waits for the other; a manager may complete it with or without a proposal."""
    if not mentorship.is_active:
        return InvalidTransition(
            f"This mentorship is already {mentorship.get_status_display().lower()}."
        )
    if mentorship.is_party(by):
        proposer = mentorship.completion_proposed_by_id
        other = mentorship.other_party(by).full_name
        if proposer is None:
            return InvalidTransition(
                f"Nobody has asked to mark the mentorship as complete yet. Ask {other} to "
                "confirm it first."
            )
        if proposer == by.pk:
            return InvalidTransition(
                f"You asked to mark the mentorship as complete. {other} needs to confirm it."
            )
    if problem := completion_problem(mentorship):
        return InvalidTransition(problem)
    return None


@transaction.atomic
def propose_completion(mentorship: Mentorship, *, by: User) -> Mentorship:
    """Either person says the mentorship is complete; the other is asked to confirm."""
    mentorship = lock_mentorship(mentorship)
    if not mentorship.is_party(by):
        raise NotAllowed("Only the mentee or the mentor can ask to mark it as complete.")
    if refusal := propose_completion_refusal(mentorship, by):
        raise refusal
    mentorship.completion_proposed_by = by
    mentorship.completion_proposed_at = timezone.now()
    mentorship.save(
        update_fields=["completion_proposed_by", "completion_proposed_at", "updated_at"]
    )
    mentorship.log_action(Action.COMPLETION_PROPOSED, by=by, from_status=mentorship.status)
    emails.completion_proposed(mentorship)
    return mentorship


@transaction.atomic
def withdraw_completion_proposal(mentorship: Mentorship, *, by: User) -> Mentorship:
    """The person who asked to mark it complete changes their mind; it carries on."""
    mentorship = lock_mentorship(mentorship)
    if not mentorship.is_party(by):
        raise NotAllowed("Only the mentee or the mentor can do this.")
    _require_active(mentorship)
    if mentorship.completion_proposed_by_id != by.pk:
        raise InvalidTransition("You have not asked to mark the mentorship as complete.")
    mentorship.completion_proposed_by = None
    mentorship.completion_proposed_at = None
    mentorship.save(
        update_fields=["completion_proposed_by", "completion_proposed_at", "updated_at"]
    )
    mentorship.log_action(Action.COMPLETION_WITHDRAWN, by=by, from_status=mentorship.status)
    return mentorship


@transaction.atomic
def confirm_completion(mentorship: Mentorship, *, by: User) -> Mentorship:
    """The other person confirms the proposal, or a programme manager completes it
    directly: the mentorship is completed, the mentor's place is free, and both are
    thanked and asked for feedback."""
    mentorship = lock_mentorship(mentorship)
    if not (mentorship.is_party(by) or is_programme_team(by, mentorship)):
        raise NotAllowed("Only the mentee, the mentor or a programme manager can do this.")
    if refusal := confirm_completion_refusal(mentorship, by):
        raise refusal
    _close(mentorship, by=by, status=Mentorship.Status.COMPLETED)
    mentorship.log_action(Action.COMPLETED, by=by, from_status=Mentorship.Status.ACTIVE)
    emails.mentorship_completed(mentorship, by=by)
    return mentorship


@transaction.atomic
def end_early(mentorship: Mentorship, *, by: User, because: str, reason: str) -> Mentorship:
    """Either person or a programme manager ends it before completion, with a category and
    a reason that both people and the programme team see. "Not a good fit" carries no
    blame: the mentee is offered other mentors, never this one again in the programme."""
    mentorship = lock_mentorship(mentorship)
    if not (mentorship.is_party(by) or is_programme_team(by, mentorship)):
        raise NotAllowed("Only the mentee, the mentor or a programme manager can do this.")
    _require_active(mentorship)
    if because not in EndedBecause.values:
        raise InvalidTransition("Choose why the mentorship is ending early.")
    reason = reason.strip()
    if not reason:
        raise InvalidTransition("Say why the mentorship is ending early.")
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidTransition(f"Keep the reason to {REASON_MAX_LENGTH} characters or fewer.")
    _close(mentorship, by=by, status=Mentorship.Status.ENDED_EARLY, because=because, reason=reason)
    not_a_good_fit = because == EndedBecause.NOT_A_GOOD_FIT
    mentorship.log_action(
        Action.NOT_A_GOOD_FIT if not_a_good_fit else Action.ENDED_EARLY,
        by=by,
        from_status=Mentorship.Status.ACTIVE,
        note=reason,
    )
    if not_a_good_fit:
        emails.not_a_good_fit(mentorship, by=by)
    else:
        emails.mentorship_ended(mentorship, by=by)
    return mentorship


def end_as_not_a_good_fit(mentorship: Mentorship, *, by: User, reason: str) -> Mentorship:
    """Re-pairing: end it early as "not a good fit" (usually the manager after a check-in
    alert, but either person may)."""
    return end_early(mentorship, by=by, because=EndedBecause.NOT_A_GOOD_FIT, reason=reason)


def end_as_account_closed(mentorship: Mentorship, *, by: Any, reason: str) -> Mentorship:
    """Erasure (privacy/erasure.py): one person closed their account, so the mentorship ends
    early. The caller holds the mentorship's lock and emails the others without naming who."""
    _close(
        mentorship,
        by=by,
        status=Mentorship.Status.ENDED_EARLY,
        because=EndedBecause.CIRCUMSTANCES,
        reason=reason,
    )
    mentorship.log_action(
        Action.ENDED_EARLY, by=by, from_status=Mentorship.Status.ACTIVE, note=reason
    )
    return mentorship


def _close(
    mentorship: Mentorship, *, by: User, status: str, because: str = "", reason: str = ""
) -> None:
    """Save the ending. Free places count active mentorships only, so the mentor's place
    returns with the status (and matching's cached pools are forgotten on save)."""
    mentorship.status = status
    mentorship.ended_on = timezone.localdate()
    mentorship.ended_by = by
    mentorship.ended_because = because
    mentorship.end_reason = reason
    mentorship.save(
        update_fields=[
            "status",
            "ended_on",
            "ended_by",
            "ended_because",
            "end_reason",
            "updated_at",
        ]
    )


@transaction.atomic
def end_mentorship(
    mentorship: Mentorship, *, by: User, completed: bool, reason: str = ""
) -> Mentorship:
    """A shortcut for the Django admin, the demo data and tests only (no page calls it):
    closes an active mentorship at once, completed or ended early ("another reason"),
    skipping the two-step completion and its minimum. People use the functions above."""
    mentorship = lock_mentorship(mentorship)
    if not (mentorship.is_party(by) or is_programme_team(by, mentorship)):
        raise NotAllowed("Only the mentee, the mentor or a programme manager can do this.")
    _require_active(mentorship)
    if not completed:
        return end_early(mentorship, by=by, because=EndedBecause.OTHER, reason=reason)
    _close(mentorship, by=by, status=Mentorship.Status.COMPLETED)
    mentorship.log_action(Action.COMPLETED, by=by, from_status=Mentorship.Status.ACTIVE)
    emails.mentorship_completed(mentorship, by=by)
    return mentorship
