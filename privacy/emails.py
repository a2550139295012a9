"""One function per email the privacy app sends (the pattern of mentorship/emails.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from mentorship.models import Mentorship
from mentorship.outbox import queue_email

from .models import DataExport


def data_export_ready(export: DataExport):
    """The person's file is ready; once per file. The email links to the page (signed in),
    never to the file itself, and never carries the data."""
    url = settings.SITE_URL.rstrip("/") + reverse("privacy:export")
    return queue_email(
        "data_export_ready",
        about=f"data-export:{export.pk}",
        recipients=[export.user],
        context={
            "export": export,
            "export_url": url,
            "expires_at": export.expires_at,
            "privacy_contact": settings.PRIVACY_CONTACT_EMAIL,
        },
    )


def account_closed(mentorship: Mentorship, *, closed: Any):
    """A mentorship ended because one person closed their account: the other person and the
    programme's managers are told. It never names that person (the outbox keeps what it
    sends, and they asked to be forgotten)."""
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
