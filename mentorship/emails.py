"""One function per email the service sends: each knows its recipients, its context and its
exactly-once key, and writes outbox rows in the caller's transaction (see outbox.py for how
they are delivered)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from .outbox import queue_email

__all__ = ["links", "queue_email"]


def links(mentor_request: Any | None, mentorship: Any | None = None) -> dict[str, str]:
    """Absolute links for emails, to the pages each person acts on."""
    from django.urls import reverse

    base = settings.SITE_URL.rstrip("/")
    found = {"mentor_home": base + reverse("mentorship:mentor_home")}
    if mentor_request is not None:
        slug, pk = mentor_request.programme.slug, mentor_request.pk
        found.update(
            mentee_request=base + reverse("mentorship:request_detail", args=[pk]),
            mentor_request=base + reverse("mentorship:inbox_detail", args=[pk]),
            approvals=base + reverse("manage:approvals", args=[slug]),
            directory=base + reverse("mentorship:directory", args=[slug]),
        )
    if mentorship is not None:
        found["mentorship"] = base + reverse("mentorship:mentorship_detail", args=[mentorship.pk])
    return found
