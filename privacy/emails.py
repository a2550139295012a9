"""One function per email the privacy app sends (the pattern of mentorship/emails.py)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

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
