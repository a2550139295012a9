"""Mentor requests, from asking to a mentorship: one function per transition.

Each checks the acting person and the current state first (raising a domain error with a
plain message and changing nothing), then changes and saves, logs the action, and queues its
emails in the outbox. Rows are locked in the order locking.py documents, and a mentor's
places are always counted by MentorProfileQuerySet.with_free_places, so a mentor is never
over capacity and an approval never fails for a place the mentor was holding.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import may_manage_programme

from .. import emails

if TYPE_CHECKING:
    from matching.engine import Reason
from ..models import (
    Action,
    AskCheck,
    Exclusion,
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    MentorProfile,
    MentorRequest,
    Mentorship,
    Programme,
)
from .errors import InvalidTransition, NoFreePlace, NotAllowed
from .locking import Locked, atomic_with_retry, lock_people, lock_request

Status = MentorRequest.Status


def _already(mentor_request: MentorRequest) -> InvalidTransition:
    return InvalidTransition(
        f"This request is {mentor_request.get_status_display().lower()}, so that cannot be "
        "done now."
    )


def _no_place(mentor: MentorProfile, *, you: bool) -> NoFreePlace:
    return NoFreePlace(mentor.no_place_message(you=you))


def _not_your_own(mentee_id: int, mentor_id: int, by: User) -> None:
    if by.pk in (mentee_id, mentor_id):
        raise NotAllowed(
            "You are part of this match, so you cannot decide on it. Another manager of the "
            "programme must decide."
        )


def _check_both_belong(mentor_request: MentorRequest, locked: Locked) -> None:
    """Every transition re-checks that both people are still in the programme."""
    if locked.membership is None or locked.membership.status != MenteeMembership.Status.ACCEPTED:
        raise InvalidTransition(
            f"{mentor_request.mentee.full_name} is no longer a mentee in this programme."
        )
    if (
        not MentorMembership.objects.approved()
        .filter(programme_id=mentor_request.programme_id, user_id=mentor_request.mentor_id)
        .exists()
    ):
        raise InvalidTransition(
            f"{mentor_request.mentor.full_name} is no longer a mentor in this programme."
        )


# --- Asking ------------------------------------------------------------------------------


@atomic_with_retry
def request_mentor(
    mentee: User, mentor: User, programme: Programme, *, message: str = ""
) -> MentorRequest:
    """A mentee accepted into the programme asks one of its mentors who has a free place,
    within the programme's limit of open requests."""
    if mentee.pk == mentor.pk:
        raise InvalidTransition("You cannot ask yourself to be your mentor.")
    lock_people(programme.pk, mentee.pk, mentor.pk)  # then the facts cannot change under us
    if not MentorMembership.objects.approved().filter(programme=programme, user=mentor).exists():
        raise NotAllowed("This mentor is not part of this programme.")
    profile = MentorProfile.objects.with_free_places().select_related("user").get(user=mentor)
    refused = AskCheck.load(mentee, programme).refusal(profile)
    if refused is not None:
        code, message = refused
        error = {"not_accepted": NotAllowed, "full": NoFreePlace}.get(code, InvalidTransition)
        if code == "paused":
            message += " Try another mentor."
        raise error(message)

    from matching.services import explain_match

    mentee_profile = MenteeProfile.objects.get(user=mentee)
    explanation = explain_match(mentee_profile, profile, programme)
    try:
        with transaction.atomic():
            mentor_request = MentorRequest.objects.create(
                programme=programme,
                mentee=mentee,
                mentor=mentor,
                message=message,
                score=explanation.total if explanation.allowed else None,
                reasons=explanation.reasons,  # data, worded for each reader when shown
                expires_at=timezone.now() + timedelta(days=programme.request_expiry_days),
            )
    except IntegrityError as exc:  # a double submit: the other request created it first
        raise InvalidTransition(f"You have already asked {mentor.full_name}.") from exc
    mentor_request.log_action(Action.REQUESTED, by=mentee, note=message)
    emails.new_request(mentor_request)
    return mentor_request


@atomic_with_retry
def propose_match(
    programme: Programme,
    mentee: User,
    mentor: User,
    *,
    by: User,
    score: float | None,
    reasons: list[Reason | str],  # as the run stored them; worded for each reader when shown
) -> MentorRequest:
    """A manager approves a match-run proposal: a request already approved by the manager,
    holding one of the mentor's places until the mentor answers."""
    if not may_manage_programme(by, programme):
        raise NotAllowed("Only this programme's managers can approve proposals.")
    _not_your_own(mentee.pk, mentor.pk, by)
    membership, profile = lock_people(programme.pk, mentee.pk, mentor.pk)
    if membership is None or membership.status != MenteeMembership.Status.ACCEPTED:
        raise InvalidTransition(f"{mentee.full_name} is no longer a mentee in this programme.")
    if not MentorMembership.objects.approved().filter(programme=programme, user=mentor).exists():
        raise InvalidTransition(f"{mentor.full_name} is no longer a mentor in this programme.")
    if not profile.is_accepting_requests:
        raise InvalidTransition(f"{mentor.full_name} is not taking new requests at the moment.")
    if profile.free_place_count <= 0:
        raise _no_place(profile, you=False)
    if Mentorship.objects.active().filter(programme=programme, mentee=mentee).exists():
        raise InvalidTransition(f"{mentee.full_name} already has a mentor in this programme.")
    if MentorRequest.objects.open().proposals().filter(programme=programme, mentee=mentee).exists():
        raise InvalidTransition(
            f"{mentee.full_name} already has an approved proposal waiting for a mentor to accept."
        )
    if MentorRequest.objects.declined_in(programme).filter(mentee=mentee, mentor=mentor).exists():
        raise InvalidTransition(f"{mentor.full_name} has declined {mentee.full_name} before.")
    if Exclusion.objects.excludes(mentee, mentor):
        raise InvalidTransition(
            f"{mentee.full_name} has asked not to be matched with {mentor.full_name}."
        )
    if (
        Mentorship.objects.not_a_good_fit_in(programme)
        .filter(mentee=mentee, mentor=mentor)
        .exists()
    ):
        raise InvalidTransition(
            f"{mentee.full_name} and {mentor.full_name} were matched before in this programme "
            "and it was not a good fit."
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            mentor_request = MentorRequest.objects.create(
                programme=programme,
                mentee=mentee,
                mentor=mentor,
                score=score,
                reasons=reasons,
                manager_approved_at=now,
                manager_approved_by=by,
                expires_at=now + timedelta(days=programme.request_expiry_days),
            )
    except IntegrityError as exc:
        raise InvalidTransition(
            f"{mentee.full_name} already has an open request to {mentor.full_name}."
        ) from exc
    mentor_request.log_action(Action.PROPOSED, by=by)
    emails.new_request(mentor_request)
    return mentor_request


# --- The mentor answers -----------------------------------------------------------------


@atomic_with_retry
def accept_request(mentor_request: MentorRequest, *, by: User) -> MentorRequest:
    """The mentor accepts, if they have a place for it: the request then holds that place
    while the managers approve, unless the programme needs no approval or a manager approved
    it already (a match-run proposal), when the mentorship starts at once."""
    locked = lock_request(mentor_request)
    mentor_request = locked.mentor_request
    if mentor_request.mentor_id != by.pk:
        raise NotAllowed("Only the mentor who was asked can accept this request.")
    if mentor_request.status != Status.PENDING:
        raise _already(mentor_request)
    _check_both_belong(mentor_request, locked)
    if not locked.mentor.has_place_for(mentor_request):
        raise _no_place(locked.mentor, you=True)
    previous = mentor_request.status
    programme = mentor_request.programme
    if programme.requires_approval and not mentor_request.is_proposal:
        mentor_request.status = Status.ACCEPTED
        mentor_request.save(update_fields=["status", "updated_at"])
        mentor_request.log_action(Action.ACCEPTED, by=by, from_status=previous)
        emails.awaiting_approval(mentor_request)
        emails.request_accepted(mentor_request)
        return mentor_request
    return _start_mentorship(locked, by=by)


@atomic_with_retry
def decline_request(
    mentor_request: MentorRequest, *, by: User, reason: str, note: str = ""
) -> MentorRequest:
    """The mentor declines, giving a reason (and an optional kind note for the mentee)."""
    mentor_request = lock_request(mentor_request).mentor_request
    if mentor_request.mentor_id != by.pk:
        raise NotAllowed("Only the mentor who was asked can decline this request.")
    if mentor_request.status not in MentorRequest.WAITING_FOR_MENTOR:
        raise _already(mentor_request)
    if reason not in MentorRequest.DeclineReason.values:
        raise InvalidTransition("Choose a reason from the list.")
    if reason == MentorRequest.DeclineReason.OTHER and not note.strip():
        raise InvalidTransition("Write a note to say why: the mentee reads it.")
    previous = mentor_request.status
    mentor_request.status = Status.DECLINED
    mentor_request.decline_reason, mentor_request.decline_note = reason, note
    mentor_request.decided_at = timezone.now()
    mentor_request.save(
        update_fields=["status", "decline_reason", "decline_note", "decided_at", "updated_at"]
    )
    mentor_request.log_action(
        Action.DECLINED, by=by, from_status=previous, note=mentor_request.decline_reason_text
    )
    emails.request_declined(mentor_request)
    return mentor_request


@atomic_with_retry
def ask_for_more_info(mentor_request: MentorRequest, *, by: User, question: str) -> MentorRequest:
    """The mentor asks the mentee a question before deciding."""
    mentor_request = lock_request(mentor_request).mentor_request
    if mentor_request.mentor_id != by.pk:
        raise NotAllowed("Only the mentor who was asked can ask a question.")
    if mentor_request.status != Status.PENDING:
        raise _already(mentor_request)
    if not question.strip():
        raise InvalidTransition("Write your question.")
    mentor_request.status = Status.MORE_INFO
    mentor_request.question, mentor_request.answer = question.strip(), ""
    mentor_request.save(update_fields=["status", "question", "answer", "updated_at"])
    mentor_request.log_action(
        Action.ASKED, by=by, from_status=Status.PENDING, note=mentor_request.question
    )
    emails.more_info_requested(mentor_request)
    return mentor_request


@atomic_with_retry
def answer_question(mentor_request: MentorRequest, *, by: User, answer: str) -> MentorRequest:
    """The mentee answers; the request waits for the mentor again."""
    mentor_request = lock_request(mentor_request).mentor_request
    if mentor_request.mentee_id != by.pk:
        raise NotAllowed("Only the mentee who asked can answer.")
    if mentor_request.status != Status.MORE_INFO:
        raise _already(mentor_request)
    if not answer.strip():
        raise InvalidTransition("Write your answer.")
    mentor_request.status = Status.PENDING
    mentor_request.answer = answer.strip()
    mentor_request.save(update_fields=["status", "answer", "updated_at"])
    mentor_request.log_action(
        Action.ANSWERED, by=by, from_status=Status.MORE_INFO, note=mentor_request.answer
    )
    emails.question_answered(mentor_request)
    return mentor_request


@atomic_with_retry
def withdraw_request(mentor_request: MentorRequest, *, by: User) -> MentorRequest:
    """The mentee withdraws an open request; the mentor is told."""
    mentor_request = lock_request(mentor_request).mentor_request
    if mentor_request.mentee_id != by.pk:
        raise NotAllowed("Only the mentee who asked can withdraw this request.")
    if not mentor_request.is_open:
        raise _already(mentor_request)
    close_request(mentor_request, by=by)
    return mentor_request


def close_request(
    mentor_request: MentorRequest,
    *,
    by: User | None,
    note: str = "",
    because_matched: bool = False,
    tell: str = "mentor",
) -> None:
    """Withdraw an open request the caller has locked: by the mentee, or by the system with a
    note saying why. The mentor is told, or the mentee when it was the mentor who left."""
    previous = mentor_request.status
    mentor_request.status = Status.WITHDRAWN
    mentor_request.decided_at = timezone.now()
    mentor_request.save(update_fields=["status", "decided_at", "updated_at"])
    mentor_request.log_action(Action.WITHDRAWN, by=by, from_status=previous, note=note)
    if tell == "mentee":
        emails.request_closed(mentor_request)
    else:
        emails.request_withdrawn(mentor_request, because_matched=because_matched)


# --- The manager decides ----------------------------------------------------------------


@atomic_with_retry
def approve_request(mentor_request: MentorRequest, *, by: User) -> MentorRequest:
    """A programme manager approves an accepted request: the mentorship starts in the place
    the request was holding."""
    locked = lock_request(mentor_request)
    mentor_request = locked.mentor_request
    if not may_manage_programme(by, mentor_request.programme):
        raise NotAllowed("Only this programme's managers can approve matches.")
    _not_your_own(mentor_request.mentee_id, mentor_request.mentor_id, by)
    if mentor_request.status != Status.ACCEPTED:
        raise _already(mentor_request)
    _check_both_belong(mentor_request, locked)
    mentor_request.manager_approved_at = timezone.now()
    mentor_request.manager_approved_by = by
    return _start_mentorship(locked, by=by)


@atomic_with_retry
def reject_request(mentor_request: MentorRequest, *, by: User, reason: str) -> MentorRequest:
    """A programme manager does not approve an accepted request, and says why."""
    mentor_request = lock_request(mentor_request).mentor_request
    if not may_manage_programme(by, mentor_request.programme):
        raise NotAllowed("Only this programme's managers can reject matches.")
    _not_your_own(mentor_request.mentee_id, mentor_request.mentor_id, by)
    if mentor_request.status != Status.ACCEPTED:
        raise _already(mentor_request)
    if not reason.strip():
        raise InvalidTransition("Say why the match is not approved.")
    mentor_request.status = Status.REJECTED
    mentor_request.rejection_reason = reason.strip()
    mentor_request.decided_at = timezone.now()
    mentor_request.save(update_fields=["status", "rejection_reason", "decided_at", "updated_at"])
    mentor_request.log_action(
        Action.REJECTED, by=by, from_status=Status.ACCEPTED, note=mentor_request.rejection_reason
    )
    emails.request_rejected(mentor_request)
    return mentor_request


def _start_mentorship(locked: Locked, *, by: User) -> MentorRequest:
    """Start the mentorship of a locked request. A request that held a place uses it; any
    other needs a place left. The mentee's other open requests in the programme close."""
    mentor_request, mentor = locked.mentor_request, locked.mentor
    programme = mentor_request.programme
    if not mentor.has_place_for(mentor_request):  # held places survive unless capacity was
        raise _no_place(mentor, you=False)  # lowered behind the services' back
    if (
        Mentorship.objects.active()
        .filter(programme=programme, mentee_id=mentor_request.mentee_id)
        .exists()
    ):
        raise InvalidTransition(
            f"{mentor_request.mentee.full_name} already has a mentor in this programme."
        )
    today = timezone.localdate()
    mentorship = Mentorship.objects.create(
        programme=programme,
        mentor_id=mentor_request.mentor_id,
        mentee_id=mentor_request.mentee_id,
        request=mentor_request,
        started_on=today,
        planned_end_on=today + timedelta(weeks=programme.duration_weeks),
    )
    previous = mentor_request.status
    mentor_request.status = Status.APPROVED
    mentor_request.decided_at = timezone.now()
    mentor_request.save(
        update_fields=[
            "status",
            "decided_at",
            "manager_approved_at",
            "manager_approved_by",
            "updated_at",
        ]
    )
    mentor_request.log_action(Action.APPROVED, by=by, from_status=previous)
    mentorship.log_action(Action.STARTED, by=by)

    others = (
        MentorRequest.objects.open()
        .select_for_update(of=("self",))
        .filter(programme=programme, mentee_id=mentor_request.mentee_id)
        .exclude(pk=mentor_request.pk)
        .order_by("pk")
    )
    for other in others:
        close_request(
            other,
            by=None,
            note="The mentee has been matched with another mentor.",
            because_matched=True,
        )
    emails.introduction(mentorship)
    return mentor_request
