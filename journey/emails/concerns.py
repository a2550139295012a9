"""Emails about concerns. The managers' emails say that a concern was raised and link to it,
without its details: those are read on the page, after signing in with MFA. The other
person in the mentorship is never emailed about a concern."""

from __future__ import annotations

from django.urls import reverse

from mentorship.outbox import queue_email

from ..invitations import when
from ..models import Concern
from .common import about, absolute, context


def _about(concern: Concern) -> str:
    return about(concern.mentorship, f"concern:{concern.pk}")


def _managers(concern: Concern):
    """The programme's managers, never one of the two people (a mentor may also manage)."""
    mentorship = concern.mentorship
    return mentorship.programme.managers.filter(is_active=True).exclude(
        pk__in=[mentorship.mentee_id, mentorship.mentor_id]
    )


def _context(concern: Concern) -> dict:
    mentorship = concern.mentorship
    return context(
        mentorship,
        concern=concern,
        acknowledge_by=when(concern.acknowledge_by),
        concern_url=absolute(reverse("journey:concern_detail", args=[mentorship.pk, concern.pk])),
    )


def _send(kind: str, concern: Concern, recipients):
    return queue_email(
        kind, about=_about(concern), recipients=recipients, context=_context(concern)
    )


def _raiser(concern: Concern) -> list:
    return [concern.raised_by] if concern.raised_by and concern.raised_by.is_active else []


def concern_raised(concern: Concern):
    """The managers are asked to acknowledge it by its deadline."""
    return _send("concern_raised", concern, _managers(concern))


def concern_received(concern: Concern):
    """The person who raised it is told who has it and by when it will be acknowledged."""
    return _send("concern_received", concern, _raiser(concern))


def concern_acknowledged(concern: Concern):
    return _send("concern_acknowledged", concern, _raiser(concern))


def concern_closed(concern: Concern):
    return _send("concern_closed", concern, _raiser(concern))


def concern_overdue(concern: Concern):
    """The managers, once, when the deadline passed without an acknowledgement."""
    return _send("concern_overdue", concern, _managers(concern))
