"""Check-in emails: the invitation to each person, and the alert to the managers."""

from __future__ import annotations

from django.urls import reverse

from mentorship.outbox import queue_email

from ..models import CheckIn
from ..models.checkins import LOW_SCORE
from .common import about, absolute, context


def check_in_due(check_in: CheckIn):
    """The person is asked to answer their check-in; once per check-in."""
    mentorship = check_in.mentorship
    url = reverse("journey:answer_check_in", args=[mentorship.pk, check_in.pk])
    return queue_email(
        "check_in_due",
        about=about(mentorship, f"check-in:{check_in.pk}"),
        recipients=[check_in.person],
        context=context(
            mentorship,
            check_in=check_in,
            other=mentorship.other_party(check_in.person),
            check_in_url=absolute(url),
        ),
    )


def check_in_alert(check_in: CheckIn):
    """The programme's managers hear at once about a low score or "not a good fit". The
    email says why, not what was written: the answers are on the page, behind sign-in."""
    mentorship = check_in.mentorship
    managers = mentorship.programme.managers.filter(is_active=True)
    page = mentorship.page_url("check-in")
    return queue_email(
        "check_in_alert",
        about=about(mentorship, f"check-in-alert:{check_in.pk}"),
        recipients=managers,
        context=context(
            mentorship,
            check_in=check_in,
            person=check_in.person,
            low_score=check_in.score is not None and check_in.score <= LOW_SCORE,
            alert_url=absolute(page),
        ),
    )
