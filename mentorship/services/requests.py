"""Mentor requests, from asking to a mentorship: one function per transition.

Each checks the acting person and the current state first (raising a domain error with a
plain message and changing nothing), then changes and saves, records a RequestEvent, and
queues its emails in the outbox. Approval locks the mentor's profile row, so concurrent
approvals can never put a mentor over capacity.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from accounts.permissions import may_manage_programme

from ..emails import links, queue_email
from ..models import (
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    MentorProfile,
    MentorRequest,
    Mentorship,
    Programme,
    RequestEvent,
)
from .errors import InvalidTransition, NoFreePlace, NotAllowed

Status = MentorRequest.Status


def _record(
    mentor_request: MentorRequest, *, by: User | None, action: str, from_status: str, note: str = ""
) -> None:
    RequestEvent.objects.create(
        request=mentor_request,
        actor=by,
        action=action,
        from_status=from_status,
        to_status=mentor_request.status,
        note=note,
    )


def _locked(mentor_request: MentorRequest) -> MentorRequest:
    return (
        MentorRequest.objects.select_for_update()
        .select_related("programme")
        .get(pk=mentor_request.pk)
    )


def _context(mentor_request: MentorRequest, **extra: object) -> dict[str, object]:
    return {
        "request": mentor_request,
        "programme": mentor_request.programme,
        "mentee": mentor_request.mentee,
        "mentor": mentor_request.mentor,
        "links": links(mentor_request, extra.get("mentorship")),
        **extra,
    }


def _about(mentor_request: MentorRequest, suffix: str = "") -> str:
    return f"request:{mentor_request.pk}{suffix}"


def _already(mentor_request: MentorRequest) -> InvalidTransition:
    return InvalidTransition(
        f"This request is {mentor_request.get_status_display().lower()}, so that cannot be "
        "done now."
    )


def promised_places(mentor_ids) -> dict[int, int]:
    """Places promised but not yet taken: open requests a manager approved in advance (match
    run proposals), in any programme, as a mentor's places count across programmes."""
    rows = (
        MentorRequest.objects.open()
        .filter(manager_approved_at__isnull=False, mentor_id__in=list(mentor_ids))
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    return dict(rows)


def declined_pairs(programme: Programme, mentee_id: int | None = None) -> list[tuple[int, int]]:
    """(mentee, mentor) pairs where the mentor declined the mentee in this programme: the
    mentor is never suggested, proposed or asked again."""
    rows = MentorRequest.objects.filter(programme=programme, status=Status.DECLINED)
    if mentee_id is not None:
        rows = rows.filter(mentee_id=mentee_id)
    return list(rows.values_list("mentee_id", "mentor_id").distinct())


# --- Asking ------------------------------------------------------------------------------


@transaction.atomic
def request_mentor(
    mentee: User, mentor: User, programme: Programme, *, message: str = ""
) -> MentorRequest:
    """A mentee accepted into the programme asks one of its mentors who has a free place."""
    if mentee.pk == mentor.pk:
        raise InvalidTransition("You cannot ask yourself to be your mentor.")
    if not MenteeMembership.objects.accepted().filter(programme=programme, user=mentee).exists():
        raise NotAllowed("You can ask for a mentor once the programme team has accepted you.")
    if not MentorMembership.objects.approved().filter(programme=programme, user=mentor).exists():
        raise NotAllowed("This mentor is not part of this programme.")
    profile = MentorProfile.objects.select_for_update().get(user=mentor)
    if not profile.is_accepting_requests:
        raise InvalidTransition(
            f"{mentor.full_name} is not taking new requests at the moment. Try another mentor."
        )
    if profile.free_place_count <= 0:
        raise NoFreePlace(f"{mentor.full_name} has no free place at the moment.")
    if Mentorship.objects.active().filter(programme=programme, mentee=mentee).exists():
        raise InvalidTransition("You already have a mentor in this programme.")
    if (mentee.pk, mentor.pk) in declined_pairs(programme, mentee.pk):
        raise InvalidTransition(
            f"{mentor.full_name} has already answered a request from you in this programme. "
            "Try another mentor."
        )
    open_requests = MentorRequest.objects.open().filter(programme=programme, mentee=mentee)
    if open_requests.filter(mentor=mentor).exists():
        raise InvalidTransition(f"You have already asked {mentor.full_name}.")
    if open_requests.count() >= programme.max_open_requests:
        raise InvalidTransition(
            f"You can have {programme.max_open_requests} open requests at a time. Wait for an "
            "answer, or withdraw one, before you ask another mentor."
        )

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
                reasons=explanation.reasons,
                expires_at=timezone.now() + timedelta(days=programme.request_expiry_days),
            )
    except IntegrityError as exc:  # a double submit: the other request created it first
        raise InvalidTransition(f"You have already asked {mentor.full_name}.") from exc
    _record(mentor_request, by=mentee, action="requested", from_status="", note=message)
    queue_email(
        "new_request",
        about=_about(mentor_request),
        recipients=[mentor],
        context=_context(mentor_request),
    )
    return mentor_request


@transaction.atomic
def propose_match(
    programme: Programme,
    mentee: User,
    mentor: User,
    *,
    by: User,
    score: float | None,
    reasons: list[str],
) -> MentorRequest:
    """A manager approves a match-run proposal: a request already approved by the manager,
    waiting only for the mentor to accept."""
    if not may_manage_programme(by, programme):
        raise NotAllowed("Only this programme's managers can approve proposals.")
    if not MentorMembership.objects.approved().filter(programme=programme, user=mentor).exists():
        raise InvalidTransition(f"{mentor.full_name} is no longer a mentor in this programme.")
    # Lock the mentor, as approvals do, so two proposals cannot take the same last place.
    profile = MentorProfile.objects.select_for_update().get(user=mentor)
    if not profile.is_accepting_requests:
        raise InvalidTransition(f"{mentor.full_name} is not taking new requests at the moment.")
    active = Mentorship.objects.active().filter(mentor=mentor).count()
    if active + promised_places([mentor.pk]).get(mentor.pk, 0) >= profile.capacity:
        raise NoFreePlace(f"{mentor.full_name} has no free place now.")
    if Mentorship.objects.active().filter(programme=programme, mentee=mentee).exists():
        raise InvalidTransition(f"{mentee.full_name} already has a mentor in this programme.")
    waiting = MentorRequest.objects.open().filter(
        programme=programme, mentee=mentee, manager_approved_at__isnull=False
    )
    if waiting.exists():
        raise InvalidTransition(
            f"{mentee.full_name} already has an approved proposal waiting for a mentor to accept."
        )
    if (mentee.pk, mentor.pk) in declined_pairs(programme, mentee.pk):
        raise InvalidTransition(f"{mentor.full_name} has declined {mentee.full_name} before.")
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
    _record(mentor_request, by=by, action="proposed by matching", from_status="")
    queue_email(
        "new_request",
        about=_about(mentor_request),
        recipients=[mentor],
        context=_context(mentor_request),
    )
    return mentor_request


# --- The mentor answers -----------------------------------------------------------------


@transaction.atomic
def accept_request(mentor_request: MentorRequest, *, by: User) -> MentorRequest:
    """The mentor accepts; the managers are asked to approve, unless the programme needs no
    approval or a manager approved it already (a match-run proposal)."""
    mentor_request = _locked(mentor_request)
    if mentor_request.mentor_id != by.pk:
        raise NotAllowed("Only the mentor who was asked can accept this request.")
    if mentor_request.status != Status.PENDING:
        raise _already(mentor_request)
    previous = mentor_request.status
    mentor_request.status = Status.ACCEPTED
    mentor_request.save(update_fields=["status", "updated_at"])
    _record(mentor_request, by=by, action="accepted", from_status=previous)
    programme = mentor_request.programme
    if programme.requires_approval and mentor_request.manager_approved_at is None:
        queue_email(
            "awaiting_approval",
            about=_about(mentor_request),
            recipients=programme.managers.filter(is_active=True),
            context=_context(mentor_request),
        )
        return mentor_request
    return _start_mentorship(mentor_request, by=by)


@transaction.atomic
def decline_request(
    mentor_request: MentorRequest, *, by: User, reason: str, note: str = ""
) -> MentorRequest:
    """The mentor declines, giving a reason (and an optional kind note for the mentee)."""
    mentor_request = _locked(mentor_request)
    if mentor_request.mentor_id != by.pk:
        raise NotAllowed("Only the mentor who was asked can decline this request.")
    if mentor_request.status not in MentorRequest.WAITING_FOR_MENTOR:
        raise _already(mentor_request)
    if reason not in MentorRequest.DeclineReason.values:
        raise InvalidTransition("Choose a reason from the list.")
    previous = mentor_request.status
    mentor_request.status = Status.DECLINED
    mentor_request.decline_reason, mentor_request.decline_note = reason, note
    mentor_request.decided_at = timezone.now()
    mentor_request.save(
        update_fields=["status", "decline_reason", "decline_note", "decided_at", "updated_at"]
    )
    _record(
        mentor_request,
        by=by,
        action="declined",
        from_status=previous,
        note=mentor_request.get_decline_reason_display(),
    )
    queue_email(
        "request_declined",
        about=_about(mentor_request),
        recipients=[mentor_request.mentee],
        context=_context(mentor_request),
    )
    return mentor_request


@transaction.atomic
def ask_for_more_info(mentor_request: MentorRequest, *, by: User, question: str) -> MentorRequest:
    """The mentor asks the mentee a question before deciding."""
    mentor_request = _locked(mentor_request)
    if mentor_request.mentor_id != by.pk:
        raise NotAllowed("Only the mentor who was asked can ask a question.")
    if mentor_request.status != Status.PENDING:
        raise _already(mentor_request)
    if not question.strip():
        raise InvalidTransition("Write your question.")
    mentor_request.status = Status.MORE_INFO
    mentor_request.question, mentor_request.answer = question.strip(), ""
    mentor_request.save(update_fields=["status", "question", "answer", "updated_at"])
    _record(
        mentor_request,
        by=by,
        action="asked a question",
        from_status=Status.PENDING,
        note=mentor_request.question,
    )
    events = mentor_request.events.filter(action="asked a question").count()
    queue_email(
        "more_info_requested",
        about=_about(mentor_request, f":question:{events}"),
        recipients=[mentor_request.mentee],
        context=_context(mentor_request),
    )
    return mentor_request


@transaction.atomic
def answer_question(mentor_request: MentorRequest, *, by: User, answer: str) -> MentorRequest:
    """The mentee answers; the request waits for the mentor again."""
    mentor_request = _locked(mentor_request)
    if mentor_request.mentee_id != by.pk:
        raise NotAllowed("Only the mentee who asked can answer.")
    if mentor_request.status != Status.MORE_INFO:
        raise _already(mentor_request)
    if not answer.strip():
        raise InvalidTransition("Write your answer.")
    mentor_request.status = Status.PENDING
    mentor_request.answer = answer.strip()
    mentor_request.save(update_fields=["status", "answer", "updated_at"])
    _record(
        mentor_request,
        by=by,
        action="answered",
        from_status=Status.MORE_INFO,
        note=mentor_request.answer,
    )
    events = mentor_request.events.filter(action="answered").count()
    queue_email(
        "question_answered",
        about=_about(mentor_request, f":answer:{events}"),
        recipients=[mentor_request.mentor],
        context=_context(mentor_request),
    )
    return mentor_request


@transaction.atomic
def withdraw_request(mentor_request: MentorRequest, *, by: User) -> MentorRequest:
    """The mentee withdraws an open request; the mentor is told."""
    mentor_request = _locked(mentor_request)
    if mentor_request.mentee_id != by.pk:
        raise NotAllowed("Only the mentee who asked can withdraw this request.")
    if not mentor_request.is_open:
        raise _already(mentor_request)
    _withdraw(mentor_request, by=by, note="")
    return mentor_request


def _withdraw(mentor_request: MentorRequest, *, by: User | None, note: str) -> None:
    previous = mentor_request.status
    mentor_request.status = Status.WITHDRAWN
    mentor_request.decided_at = timezone.now()
    mentor_request.save(update_fields=["status", "decided_at", "updated_at"])
    _record(mentor_request, by=by, action="withdrawn", from_status=previous, note=note)
    queue_email(
        "request_withdrawn",
        about=_about(mentor_request),
        recipients=[mentor_request.mentor],
        context=_context(mentor_request, because_matched=bool(note)),
    )


# --- The manager decides ----------------------------------------------------------------


@transaction.atomic
def approve_request(mentor_request: MentorRequest, *, by: User) -> MentorRequest:
    """A programme manager approves an accepted request: the mentorship starts."""
    mentor_request = _locked(mentor_request)
    if not may_manage_programme(by, mentor_request.programme):
        raise NotAllowed("Only this programme's managers can approve matches.")
    if mentor_request.status != Status.ACCEPTED:
        raise _already(mentor_request)
    mentor_request.manager_approved_at = timezone.now()
    mentor_request.manager_approved_by = by
    return _start_mentorship(mentor_request, by=by)


@transaction.atomic
def reject_request(mentor_request: MentorRequest, *, by: User, reason: str) -> MentorRequest:
    """A programme manager does not approve an accepted request, and says why."""
    mentor_request = _locked(mentor_request)
    if not may_manage_programme(by, mentor_request.programme):
        raise NotAllowed("Only this programme's managers can reject matches.")
    if mentor_request.status != Status.ACCEPTED:
        raise _already(mentor_request)
    if not reason.strip():
        raise InvalidTransition("Say why the match is not approved.")
    mentor_request.status = Status.REJECTED
    mentor_request.rejection_reason = reason.strip()
    mentor_request.decided_at = timezone.now()
    mentor_request.save(update_fields=["status", "rejection_reason", "decided_at", "updated_at"])
    _record(
        mentor_request,
        by=by,
        action="rejected",
        from_status=Status.ACCEPTED,
        note=mentor_request.rejection_reason,
    )
    queue_email(
        "request_rejected",
        about=_about(mentor_request),
        recipients=[mentor_request.mentee, mentor_request.mentor],
        context=_context(mentor_request),
    )
    return mentor_request


def _start_mentorship(mentor_request: MentorRequest, *, by: User) -> MentorRequest:
    """Approve and start the mentorship, if the mentor still has a free place.

    The mentor's profile row is locked first, so two approvals for the same mentor run one
    after the other and the second sees the first's mentorship when it counts.
    """
    programme = mentor_request.programme
    profile = MentorProfile.objects.select_for_update().get(user_id=mentor_request.mentor_id)
    active = Mentorship.objects.active().filter(mentor_id=mentor_request.mentor_id).count()
    if active >= profile.capacity:
        raise NoFreePlace(
            f"{mentor_request.mentor.full_name} has no free place: all "
            f"{profile.capacity} are taken."
        )
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
    _record(mentor_request, by=by, action="approved", from_status=previous)

    others = (
        MentorRequest.objects.open()
        .select_for_update()
        .filter(programme=programme, mentee_id=mentor_request.mentee_id)
        .exclude(pk=mentor_request.pk)
    )
    for other in others:
        _withdraw(other, by=None, note="The mentee has been matched with another mentor.")

    context = _context(
        mentor_request,
        mentorship=mentorship,
        mentee_profile=MenteeProfile.objects.get(user_id=mentorship.mentee_id),
        mentor_profile=profile,
    )
    queue_email(
        "introduction",
        about=f"mentorship:{mentorship.pk}",
        recipients=[mentorship.mentee, mentorship.mentor],
        context=context,
    )
    return mentor_request
