"""When check-ins fall. A programme lists its points (Programme.check_in_points):

- "+N": N days after the mentorship started ("+14" is two weeks in);
- "-N": N days before the planned end ("-14" is two weeks before it);
- "half": half-way between the start and the planned end.

"-N" and "half" follow the planned end, so extending a mentorship moves them. A point that
falls before the start or after the planned end (a "+28" in a two-week mentorship) is left
out rather than squeezed in."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from mentorship.models import Mentorship

_POINT = re.compile(r"^(?P<sign>[+-])(?P<days>[0-9]{1,3})$")
HALF = "half"
# A point further than this from the start or the end is almost certainly a typing mistake.
MAX_DAYS = 365


def validate_check_in_points(points: Any) -> list[str]:
    """The points, cleaned ("+14", "half", "-14"), or a ValidationError saying which one is
    wrong. Each point at most once; an empty list means no check-ins."""
    if not isinstance(points, list | tuple):
        raise ValidationError('Enter the check-in points as a list, for example "+14", "half".')
    cleaned: list[str] = []
    for raw in points:
        point = str(raw).strip().lower()
        if point != HALF:
            match = _POINT.match(point)
            if match is None:
                raise ValidationError(
                    f'"{raw}" is not a check-in point: use "+N" days after the start, '
                    f'"-N" days before the planned end, or "half"'
                )
            days = int(match["days"])
            if not 1 <= days <= MAX_DAYS:
                raise ValidationError(
                    f'"{raw}" is not a check-in point: the number of days must be '
                    f"between 1 and {MAX_DAYS}"
                )
            point = f"{match['sign']}{days}"  # "+014" and "+14" are the same point
        if point in cleaned:
            raise ValidationError(f'"{raw}" is listed twice')
        cleaned.append(point)
    return cleaned


def check_in_date(
    point: str, started_on: datetime.date, planned_end_on: datetime.date
) -> datetime.date | None:
    """The day a point falls on, or None if it falls outside the mentorship."""
    if point == HALF:
        day = started_on + (planned_end_on - started_on) / 2
    else:
        match = _POINT.match(point)
        if match is None:
            return None
        offset = datetime.timedelta(days=int(match["days"]))
        day = started_on + offset if match["sign"] == "+" else planned_end_on - offset
    if not started_on <= day <= planned_end_on:
        return None
    return day


def check_in_dates(mentorship: Mentorship) -> list[tuple[str, datetime.date]]:
    """The mentorship's check-in points and their days, earliest first."""
    return _dates(
        mentorship.programme.check_in_points, mentorship.started_on, mentorship.planned_end_on
    )


def _dates(
    points: Iterable[str], started_on: datetime.date, planned_end_on: datetime.date
) -> list[tuple[str, datetime.date]]:
    found = []
    for point in points or []:
        day = check_in_date(str(point), started_on, planned_end_on)
        if day is not None:
            found.append((str(point), day))
    return sorted(found, key=lambda pair: pair[1])


def latest_due_point(
    mentorship: Mentorship, today: datetime.date
) -> tuple[str, datetime.date] | None:
    """The latest point whose day has come. After a pause, or when several points passed
    unnoticed, a person is asked once, about now, not once for every point missed."""
    due = [(point, day) for point, day in check_in_dates(mentorship) if day <= today]
    return due[-1] if due else None


def next_point(mentorship: Mentorship, today: datetime.date) -> tuple[str, datetime.date] | None:
    """The next point still to come, if any."""
    for point, day in check_in_dates(mentorship):
        if day > today:
            return point, day
    return None
