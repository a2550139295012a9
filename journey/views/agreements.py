"""Pages for the mentorship journey's agreements. `section` gives the mentorship page its part;
`urlpatterns` are mounted by journey/urls.py under the "journey" namespace."""

from __future__ import annotations

from typing import Any

from django.urls import path  # noqa: F401

from mentorship.models import Mentorship


def section(mentorship: Mentorship, user: Any) -> dict[str, Any]:
    """Context for templates/journey/_agreements.html on the mentorship page."""
    return {}


urlpatterns: list = []
