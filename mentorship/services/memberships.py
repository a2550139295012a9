"""Programme membership: mentees apply and are decided on; mentors offer, are invited, are
vetted."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import (
    is_mentee,
    is_mentor,
    may_decide_for_programme,
    may_manage_programme,
)

from .. import emails
from ..models import Action, MenteeMembership, MentorMembership, MentorRequest, Programme
from .errors import InvalidTransition, NotAllowed
from .locking import lock_request
from .requests import close_request

NOT_YOUR_OWN = (
    "You cannot decide on your own application or vetting. Another manager of the programme, "
    "or site staff, must decide."
)

# --- Mentees ----------------------------------------------------------------------------


@transaction.atomic
def apply_to_programme(user: User, programme: Programme, *, note: str = "") -> MenteeMembership:
    """A mentee applies to an open programme, once; the managers then accept or decline."""
    if not is_mentee(user):
        raise NotAllowed("Create your mentee profile before you apply to a programme.")
    if not programme.is_open:
        raise InvalidTransition("This programme is not taking applications at the moment.")
    existing = (
        MenteeMembership.objects.select_for_update().filter(programme=programme, user=user).first()
    )
    if existing is not None:
        if existing.status != MenteeMembership.Status.WITHDRAWN:
            raise InvalidTransition(
                f"You have already applied to this programme. Status: "
                f"{existing.get_status_display().lower()}."
            )
        existing.status = MenteeMembership.Status.APPLIED
        existing.application_note = note
        existing.decided_by, existing.decided_at = None, None
        existing.save(
            update_fields=["status", "application_note", "decided_by", "decided_at", "updated_at"]
        )
        existing.log_action(
            Action.APPLIED, by=user, from_status=MenteeMembership.Status.WITHDRAWN, note=note
        )
        return existing
    try:
        with transaction.atomic():
            membership = MenteeMembership.objects.create(
                programme=programme, user=user, application_note=note
            )
    except IntegrityError as exc:  # a double click: the other request created it first
        raise InvalidTransition("You have already applied to this programme.") from exc
    membership.log_action(Action.APPLIED, by=user, note=note)
    return membership


@transaction.atomic
def decide_mentee_application(
    membership: MenteeMembership, *, by: User, accept: bool, notes: str = "", reason: str = ""
) -> MenteeMembership:
    """A manager of the programme (or staff) accepts or declines a waiting application; a
    decline says why. The applicant is told either way."""
    membership = MenteeMembership.objects.select_for_update().get(pk=membership.pk)
    if not may_decide_for_programme(by, membership.programme):
        raise NotAllowed("Only this programme's managers can decide applications.")
    if membership.user_id == by.pk:
        raise NotAllowed(NOT_YOUR_OWN)
    if membership.status != MenteeMembership.Status.APPLIED:
        raise InvalidTransition(
            f"This application has already been decided: {membership.get_status_display().lower()}."
        )
    reason = _reason_for(accept, reason)
    status = MenteeMembership.Status.ACCEPTED if accept else MenteeMembership.Status.DECLINED
    membership.record_decision(
        status, by=by, notes_field="intake_notes", notes=notes, reason=reason
    )
    action = Action.APPLICATION_ACCEPTED if accept else Action.APPLICATION_DECLINED
    membership.log_action(action, by=by, from_status=MenteeMembership.Status.APPLIED, note=reason)
    emails.application_decided(membership)
    return membership


def _reason_for(accept: bool, reason: str) -> str:
    """A decline always says why: the person reads it and needs to know what to do next."""
    reason = reason.strip()
    if not accept and not reason:
        raise InvalidTransition("Say why, so that they know what to do next.")
    return "" if accept else reason


@transaction.atomic
def save_intake_notes(membership: MenteeMembership, *, by: User, notes: str) -> MenteeMembership:
    """Managers keep private interview and intake notes on any application."""
    membership = MenteeMembership.objects.select_for_update().get(pk=membership.pk)
    if not may_manage_programme(by, membership.programme):
        raise NotAllowed("Only this programme's managers can see or change intake notes.")
    membership.intake_notes = notes
    membership.save(update_fields=["intake_notes", "updated_at"])
    return membership


# --- Mentors ----------------------------------------------------------------------------


@transaction.atomic
def apply_as_mentor(user: User, programme: Programme) -> MentorMembership:
    """A mentor offers to mentor in an open programme; managers vet them before mentees see
    them."""
    if not is_mentor(user):
        raise NotAllowed("Create your mentor profile before you offer to mentor.")
    if not programme.is_open:
        raise InvalidTransition("This programme is not taking new mentors at the moment.")
    existing = (
        MentorMembership.objects.select_for_update().filter(programme=programme, user=user).first()
    )
    if existing is not None:
        if existing.status == MentorMembership.Status.INVITED:
            return accept_mentor_invitation(existing, by=user)
        raise InvalidTransition(
            f"You are already on this programme's mentor list. Status: "
            f"{existing.get_status_display().lower()}."
        )
    try:
        with transaction.atomic():
            membership = MentorMembership.objects.create(programme=programme, user=user)
    except IntegrityError as exc:
        raise InvalidTransition("You have already offered to mentor in this programme.") from exc
    membership.log_action(Action.OFFERED_TO_MENTOR, by=user)
    return membership


@transaction.atomic
def invite_mentor(programme: Programme, *, email: str, by: User) -> MentorMembership:
    """A manager invites someone with a mentor profile; they join when they accept."""
    if not may_manage_programme(by, programme):
        raise NotAllowed("Only this programme's managers can invite mentors.")
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not is_mentor(user):
        raise InvalidTransition(
            "There is no mentor with that email address. Ask them to create an account and "
            "a mentor profile first, then invite them again."
        )
    membership, created = MentorMembership.objects.select_for_update().get_or_create(
        programme=programme,
        user=user,
        defaults={"status": MentorMembership.Status.INVITED, "decided_by": by},
    )
    if not created:
        raise InvalidTransition(
            f"{user.full_name} is already on the mentor list: "
            f"{membership.get_status_display().lower()}."
        )
    membership.log_action(Action.INVITED, by=by)
    emails.mentor_invited(membership)
    return membership


@transaction.atomic
def accept_mentor_invitation(membership: MentorMembership, *, by: User) -> MentorMembership:
    """The invited mentor accepts; a manager's invitation counts as vetting."""
    membership = MentorMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id != by.pk:
        raise NotAllowed("Only the person invited can accept this invitation.")
    if membership.status != MentorMembership.Status.INVITED:
        raise InvalidTransition("There is no invitation waiting for you in this programme.")
    membership.status = MentorMembership.Status.APPROVED
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_at", "updated_at"])
    membership.log_action(
        Action.INVITATION_ACCEPTED, by=by, from_status=MentorMembership.Status.INVITED
    )
    return membership


@transaction.atomic
def decide_mentor_application(
    membership: MentorMembership, *, by: User, approve: bool, notes: str = "", reason: str = ""
) -> MentorMembership:
    """A manager approves a mentor after vetting (GMC registration, role), or declines and
    says why. The mentor is told either way."""
    membership = MentorMembership.objects.select_for_update().get(pk=membership.pk)
    if not may_decide_for_programme(by, membership.programme):
        raise NotAllowed("Only this programme's managers can vet mentors.")
    if membership.user_id == by.pk:
        raise NotAllowed(NOT_YOUR_OWN)
    if membership.status != MentorMembership.Status.APPLIED:
        raise InvalidTransition(
            f"This mentor has already been decided: {membership.get_status_display().lower()}."
        )
    reason = _reason_for(approve, reason)
    status = MentorMembership.Status.APPROVED if approve else MentorMembership.Status.DECLINED
    membership.record_decision(
        status, by=by, notes_field="vetting_notes", notes=notes, reason=reason
    )
    action = Action.VETTED if approve else Action.NOT_VETTED
    membership.log_action(action, by=by, from_status=MentorMembership.Status.APPLIED, note=reason)
    emails.vetting_decided(membership)
    return membership


# --- Leaving ------------------------------------------------------------------------------


@transaction.atomic
def remove_from_programme(
    membership: MenteeMembership | MentorMembership, *, by: User, note: str = ""
) -> MenteeMembership | MentorMembership:
    """A mentee withdraws (or is withdrawn) from a programme, or a mentor is removed from
    it: their open requests there close, so the places they held are free, and the other
    person is told. Active mentorships are ended separately, with their own reason."""
    model = type(membership)
    membership = model.objects.select_for_update(of=("self",)).get(pk=membership.pk)
    as_mentee = isinstance(membership, MenteeMembership)
    if by.pk != membership.user_id and not may_decide_for_programme(by, membership.programme):
        raise NotAllowed("Only this programme's managers can remove people from it.")
    gone = MenteeMembership.Status.WITHDRAWN if as_mentee else MentorMembership.Status.REMOVED
    if membership.status == gone:
        raise InvalidTransition("They have already left this programme.")
    previous = membership.status
    membership.status = gone
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    membership.log_action(Action.LEFT, by=by, from_status=previous, note=note)
    side = {"mentee_id": membership.user_id} if as_mentee else {"mentor_id": membership.user_id}
    open_requests = MentorRequest.objects.open().filter(programme=membership.programme, **side)
    for pk in open_requests.order_by("pk").values_list("pk", flat=True):
        mentor_request = lock_request(MentorRequest.objects.get(pk=pk)).mentor_request
        if mentor_request.is_open:
            close_request(
                mentor_request,
                by=None,
                note="The mentee has left the programme."
                if as_mentee
                else "The mentor has left the programme.",
                tell="mentor" if as_mentee else "mentee",
            )
    return membership
