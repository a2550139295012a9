"""How values are written in the export: ISO 8601 dates, names rather than ids for the
things a person recognises, and nothing that is not plain JSON."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone


def iso(value: datetime.date | datetime.datetime | None) -> str | None:
    """A date as 2026-12-02; a moment as 2026-12-02T07:15:03+00:00 (UTC, to the second);
    None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.UTC)
        return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat()
    return value.isoformat()


def name_of(user: Any) -> str | None:
    """Someone the person dealt with, by name only (never their email address)."""
    return user.full_name if user is not None else None


def choice(instance: Any, field: str) -> str:
    """A choice as people read it on the pages ("Ended early"), not its code."""
    return getattr(instance, f"get_{field}_display")() if getattr(instance, field) else ""


def names(rows: Any) -> list[str]:
    return [str(row.name) for row in rows]
