"""A mentor's own switches: pausing and restarting new requests, and stopping mentoring."""

from __future__ import annotations

import logging

from accounts.models import User
from accounts.permissions import forget_roles

from ..models import MentorMembership, MentorProfile, MentorRequest, Mentorship
from .errors import InvalidTransition, NotAllowed
from .locking import atomic_with_retry, lock_request
from .memberships import remove_from_programme
from .requests import close_request

security_log = logging.getLogger("security")

STOPPED_MENTORING = "The mentor has stopped mentoring."


@atomic_with_retry
def set_accepting_requests(profile: MentorProfile, *, by: User, accepting: bool) -> MentorProfile:
    """The mentor (or staff) pauses or restarts new requests; current mentees, requests
    already received and places already held are not affected."""
    if by.pk != profile.user_id and not by.is_staff:
        raise NotAllowed("Only the mentor can pause or restart their requests.")
    profile = MentorProfile.objects.select_for_update(of=("self",)).get(pk=profile.pk)
    if profile.is_accepting_requests == accepting:
        return profile
    profile.is_accepting_requests = accepting
    # paused_automatically_at stays: only expiries after the last automatic pause count.
    profile.save(update_fields=["is_accepting_requests", "updated_at"])
    return profile


class StillMentoring(InvalidTransition):
    """The mentor has current mentees: stopping now would leave them without a mentor."""


def still_mentoring_message(count: int) -> str:
    mentees = "1 current mentee" if count == 1 else f"{count} current mentees"
    return (
        f"You have {mentees}. You can stop mentoring once your mentorships have ended, so "
        "nobody is left without a mentor. You can pause new requests now."
    )


@atomic_with_retry
def stop_mentoring(user: User, *, by: User) -> int:
    """A mentor stops mentoring: refused while they have a current mentee (their mentorships
    end through the usual completion or early-ending steps, with a reason). Otherwise they
    leave every programme's mentor list (each logged as LEFT), their open requests close
    with a note and each mentee is told (places held for them are freed), and the mentor
    profile is removed, so the role goes. Past mentorships and their records stay. Returns
    how many open requests were closed."""
    if by.pk != user.pk and not by.is_staff:
        raise NotAllowed("Only the mentor can stop mentoring.")
    if not MentorProfile.objects.filter(user=user).exists():
        raise InvalidTransition("You are not a mentor, so there is nothing to stop.")
    active = Mentorship.objects.active().filter(mentor=user).count()
    if active:
        raise StillMentoring(still_mentoring_message(active))
    closed = MentorRequest.objects.open().filter(mentor=user).count()
    memberships = MentorMembership.objects.filter(user=user).exclude(
        status=MentorMembership.Status.REMOVED
    )
    for membership in memberships.order_by("pk"):
        remove_from_programme(membership, by=by, note=STOPPED_MENTORING)
    # Requests in a programme they had already left (none are expected, but none may stay
    # open to a mentor who no longer exists).
    for pk in MentorRequest.objects.open().filter(mentor=user).values_list("pk", flat=True):
        mentor_request = lock_request(MentorRequest.objects.get(pk=pk)).mentor_request
        if mentor_request.is_open:
            close_request(mentor_request, by=None, note=STOPPED_MENTORING, tell="mentee")
    # Locked last, after the requests (the documented order), and checked again: a manager
    # may have approved one of their requests meanwhile.
    profile = MentorProfile.objects.select_for_update(of=("self",)).get(user=user)
    active = Mentorship.objects.active().filter(mentor=user).count()
    if active:
        raise StillMentoring(still_mentoring_message(active))
    profile.delete()
    forget_roles(user)
    security_log.info("mentor_role_stopped user=%s by=%s", user.pk, by.pk)
    return closed
