"""The mentorship page as the two people's shared home: each part of the journey adds its
section (next meeting, agreement, goals, meeting log and actions, check-in due, changing
course, ending, concerns). The order of the page is templates/mentorship/mentorship_detail.html."""

from __future__ import annotations

from typing import Any

from mentorship.models import Mentorship

from .views import agreements, checkins, concerns, course, endings, meetings, planning

SECTIONS = (agreements, meetings, planning, checkins, concerns, course, endings)


def sections(mentorship: Mentorship, user: Any) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for part in SECTIONS:
        context.update(part.section(mentorship, user))
    return context
