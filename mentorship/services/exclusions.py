"""A mentee names people who must not be their mentor, or removes one."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.permissions import is_mentee

from ..models import Exclusion, MentorRequest
from .errors import InvalidTransition, NotAllowed
from .locking import atomic_with_retry, lock_request
from .requests import close_request


@atomic_with_retry
def add_exclusion(mentee: User, *, name: str, email: str, reason: str) -> Exclusion:
    """The person is never shown, suggested, proposed or asked again; any open request
    between them closes (the other person is told only that it was withdrawn)."""
    if not is_mentee(mentee):
        raise NotAllowed("Only mentees can name people they must not be matched with.")
    email = email.strip().lower()
    if email == mentee.email.lower():
        raise InvalidTransition("Enter someone else's email address.")
    if reason not in Exclusion.Reason.values:
        raise InvalidTransition("Choose a reason from the list.")
    try:
        with transaction.atomic():
            exclusion = Exclusion.objects.create(
                mentee=mentee, name=name.strip(), email=email, reason=reason
            )
    except IntegrityError as exc:
        raise InvalidTransition("You have already named this person.") from exc
    person = User.objects.filter(email__iexact=email).first()
    if person is not None:
        for pk in (
            MentorRequest.objects.open()
            .filter(mentee=mentee, mentor=person)
            .order_by("pk")
            .values_list("pk", flat=True)
        ):
            mentor_request = lock_request(MentorRequest.objects.get(pk=pk)).mentor_request
            if mentor_request.is_open:
                close_request(mentor_request, by=mentee)
    return exclusion


@transaction.atomic
def remove_exclusion(exclusion: Exclusion, *, by: User) -> None:
    """Only the mentee who named the person can remove them from the list."""
    if exclusion.mentee_id != by.pk:
        raise NotAllowed("Only the mentee who named this person can remove them.")
    exclusion.delete()
