"""The one email erasure sends: a mentorship ended because one person closed their account.
It never names that person (the outbox keeps what it sends, and they asked to be forgotten)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from mentorship.models import Mentorship
from mentorship.outbox import queue_email


def account_closed(mentorship: Mentorship, *, closed: Any):
    """The other person and the programme's managers are told the mentorship has ended."""
    closed_role = "mentee" if closed.pk == mentorship.mentee_id else "mentor"
    partner = mentorship.mentor if closed_role == "mentee" else mentorship.mentee
    managers = mentorship.programme.managers.filter(is_active=True).exclude(pk=closed.pk)
    recipients = [p for p in (partner, *managers) if p.is_active and p.pk != closed.pk]
    return queue_email(
        "account_closed",
        about=f"mentorship:{mentorship.pk}:account-closed",
        recipients=recipients,
        context={
            "mentorship": mentorship,
            "programme": mentorship.programme,
            "closed_role": closed_role,
            "partner": partner,
            "mentorship_url": settings.SITE_URL.rstrip("/") + mentorship.get_absolute_url(),
        },
    )
