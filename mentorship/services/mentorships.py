"""Mentorships after they start: completed, or ended early with a reason."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import may_decide_for_programme

from .. import emails
from ..models import Action, Mentorship
from .errors import InvalidTransition, NotAllowed


@transaction.atomic
def end_mentorship(
    mentorship: Mentorship, *, by: User, completed: bool, reason: str = ""
) -> Mentorship:
    """Either person or a manager closes an active mentorship: completed, or ended early
    with a reason. The mentor's place is free again."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    allowed = by.pk in (mentorship.mentee_id, mentorship.mentor_id) or may_decide_for_programme(
        by, mentorship.programme
    )
    if not allowed:
        raise NotAllowed("Only the mentee, the mentor or a programme manager can do this.")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise InvalidTransition(
            f"This mentorship is already {mentorship.get_status_display().lower()}."
        )
    if not completed and not reason.strip():
        raise InvalidTransition("Say why the mentorship is ending early.")
    mentorship.status = Mentorship.Status.COMPLETED if completed else Mentorship.Status.ENDED_EARLY
    mentorship.ended_on = timezone.localdate()
    mentorship.ended_by = by
    mentorship.end_reason = reason.strip()
    mentorship.save(update_fields=["status", "ended_on", "ended_by", "end_reason", "updated_at"])
    mentorship.log_action(
        Action.COMPLETED if completed else Action.ENDED_EARLY,
        by=by,
        from_status=Mentorship.Status.ACTIVE,
        note=mentorship.end_reason,
    )
    emails.mentorship_ended(mentorship, by=by)
    return mentorship
