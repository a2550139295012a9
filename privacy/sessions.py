"""Finding a person's live sessions, for their download and for erasure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.sessions.models import Session
from django.utils import timezone


def live_sessions_of(user: Any) -> Iterator[Session]:
    """Sessions are stored by key, not by person (the "where you are signed in" list only
    knows those begun since it was installed): each live one is decoded to find theirs."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            yield session
