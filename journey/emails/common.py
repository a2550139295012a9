"""What every journey email shares: the mentorship's links and context."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from mentorship.models import Mentorship


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def context(mentorship: Mentorship, **extra: Any) -> dict[str, Any]:
    return {
        "mentorship": mentorship,
        "programme": mentorship.programme,
        "mentee": mentorship.mentee,
        "mentor": mentorship.mentor,
        "mentorship_url": absolute(mentorship.get_absolute_url()),
        **extra,
    }


def about(mentorship: Mentorship, suffix: str) -> str:
    """The exactly-once key: the same kind about the same key is queued once per person."""
    return f"mentorship:{mentorship.pk}:{suffix}"
