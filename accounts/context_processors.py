from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from .permissions import Role, roles_of

# (role, label, url name): the header shows an entry for each role the user holds.
_ROLE_NAVIGATION = [
    (Role.MENTEE, "Find a mentor", "mentorship:mentee_home"),
    (Role.MENTOR, "Mentoring", "mentorship:mentor_home"),
    (Role.MENTOR, "Requests", "mentorship:inbox"),
    (Role.MANAGER, "Programmes", "manage:home"),
    (Role.STAFF, "Admin", "admin:index"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        roles = roles_of(user)
        entries = [("Dashboard", "dashboard")] + [
            (label, name) for role, label, name in _ROLE_NAVIGATION if role in roles
        ]
        links = [(label, reverse(name)) for label, name in entries]
        # The section the page is in: the longest menu address the path starts with, so
        # /manage/<slug>/applicants/ highlights "Programmes".
        within = [url for _, url in links if request.path.startswith(url)]
        current = max(within, key=len) if within else None
        items = [{"label": label, "url": url, "current": url == current} for label, url in links]
    context = {
        "site_name": settings.SITE_NAME,
        "support_email": settings.SUPPORT_EMAIL,
        "nav_items": items,
    }
    if user is not None and Role.MENTOR in roles_of(user):
        context["mentor_requests_waiting"] = _waiting_count(user)
    return context


def _waiting_count(user: Any) -> Any:
    """How many requests wait for this mentor's answer, counted only if a page shows it (the
    template calls the function, once)."""

    @cache
    def count() -> int:
        from mentorship.models import MentorRequest

        waiting = MentorRequest.objects.for_mentor(user).filter(
            status__in=MentorRequest.WAITING_FOR_MENTOR
        )
        return waiting.count()

    return count
