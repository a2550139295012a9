"""Emails about ending well: feedback one person chose to share with the other."""

from __future__ import annotations

from django.urls import reverse

from mentorship.outbox import queue_email

from ..models import Feedback
from .common import about, absolute, context


def feedback_shared(feedback: Feedback):
    """The other person is told that feedback was shared with them, with a link to read it
    (the email itself does not carry the feedback)."""
    mentorship = feedback.mentorship
    other = mentorship.other_party(feedback.person)
    url = absolute(reverse("journey:shared_feedback", args=[mentorship.pk]))
    return queue_email(
        "feedback_shared",
        about=about(mentorship, f"feedback-shared:{feedback.person_id}"),
        recipients=[other],
        context=context(mentorship, author=feedback.person, feedback_url=url),
    )
