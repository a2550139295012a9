"""Where a person is signed in: allauth.usersessions' list, in plain words, with a button to
sign out everywhere else. Activity is recorded by accounts.middleware (once a minute)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from allauth.usersessions.models import UserSession
from allauth.usersessions.views import ListUserSessionsView

from .middleware import record_session_activity

# Checked in order: Edge and Opera also say "Chrome", and Chrome also says "Safari".
_BROWSERS = [
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
]
_SYSTEMS = [
    (r"iPhone", "an iPhone"),
    (r"iPad", "an iPad"),
    (r"Android", "Android"),
    (r"Windows", "Windows"),
    (r"CrOS", "ChromeOS"),
    (r"Mac OS X|Macintosh", "a Mac"),
    (r"Linux", "Linux"),
]


def describe_device(user_agent: str) -> str:
    """ "Mozilla/5.0 (Windows NT 10.0; ...) Chrome/120 ..." -> "Chrome on Windows"."""
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, user_agent)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "An unknown browser")


@dataclass(frozen=True)
class SignedInPlace:
    device: str
    user_agent: str
    ip: str
    started: datetime
    last_seen: datetime
    is_this_device: bool


def signed_in_places(sessions: list[UserSession]) -> list[SignedInPlace]:
    """This device first, then the most recently used."""
    places = [
        SignedInPlace(
            device=describe_device(session.user_agent),
            user_agent=session.user_agent,
            ip=session.ip,
            started=session.created_at,
            last_seen=session.last_seen_at,
            is_this_device=session.is_current(),
        )
        for session in sessions
    ]
    return sorted(
        places, key=lambda place: (not place.is_this_device, -place.last_seen.timestamp())
    )


class SessionsView(ListUserSessionsView):
    """allauth's view (its form signs out every other session); the page is ours."""

    template_name = "usersessions/usersession_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # This device is always listed, up to date, even before its next activity write.
        record_session_activity(self.request)
        context = super().get_context_data(**kwargs)
        context["places"] = signed_in_places(context["sessions"])
        return context


sessions = SessionsView.as_view()
