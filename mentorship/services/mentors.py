"""A mentor's own switches: pausing and restarting new requests."""

from __future__ import annotations

from accounts.models import User

from ..models import MentorProfile
from .errors import NotAllowed
from .locking import atomic_with_retry


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
