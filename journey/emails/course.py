"""Changing-course emails: an extension proposed, agreed or declined; a pause and its end.
Each goes to the people who did not act."""

from __future__ import annotations

from typing import Any

from mentorship.models import Event, Mentorship
from mentorship.outbox import queue_email

from ..models import Extension
from .common import about, absolute, context


def _others(mentorship: Mentorship, by: Any) -> list[Any]:
    """The two people, less whoever acted (a manager's change goes to both)."""
    return [p for p in (mentorship.mentee, mentorship.mentor) if p.pk != by.pk]


def _course_url(mentorship: Mentorship) -> str:
    return absolute(mentorship.page_url("course"))


def extension_proposed(extension: Extension):
    """The other person is asked to agree or decline."""
    mentorship = extension.mentorship
    return queue_email(
        "extension_proposed",
        about=about(mentorship, f"extension:{extension.pk}:proposed"),
        recipients=_others(mentorship, extension.proposed_by),
        context=context(
            mentorship,
            extension=extension,
            proposed_by=extension.proposed_by,
            course_url=_course_url(mentorship),
        ),
    )


def extension_declined(extension: Extension):
    """The person who proposed it hears the answer."""
    mentorship = extension.mentorship
    return queue_email(
        "extension_declined",
        about=about(mentorship, f"extension:{extension.pk}:declined"),
        recipients=[extension.proposed_by] if extension.proposed_by else [],
        context=context(
            mentorship,
            extension=extension,
            decided_by=extension.decided_by,
            course_url=_course_url(mentorship),
        ),
    )


def mentorship_extended(extension: Extension, *, by: Any):
    """The planned end moved: whoever did not make the decision hears of it."""
    mentorship = extension.mentorship
    return queue_email(
        "mentorship_extended",
        about=about(mentorship, f"extension:{extension.pk}:extended"),
        recipients=_others(mentorship, by),
        context=context(
            mentorship, extension=extension, decided_by=by, course_url=_course_url(mentorship)
        ),
    )


def mentorship_paused(mentorship: Mentorship, *, by: Any, event: Event):
    """Once per pause (the event is the key: pausing again with a new date says so again)."""
    return queue_email(
        "mentorship_paused",
        about=about(mentorship, f"paused:{event.pk}"),
        recipients=_others(mentorship, by),
        context=context(mentorship, paused_by=by, course_url=_course_url(mentorship)),
    )


def mentorship_resumed(mentorship: Mentorship, *, by: Any, event: Event):
    return queue_email(
        "mentorship_resumed",
        about=about(mentorship, f"resumed:{event.pk}"),
        recipients=_others(mentorship, by),
        context=context(mentorship, resumed_by=by, course_url=_course_url(mentorship)),
    )
