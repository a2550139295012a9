"""The next meeting: set, moved or cancelled, with a calendar invitation and a reminder."""

from __future__ import annotations


def remind_planned_meetings() -> int:
    raise NotImplementedError  # built by the planning branch
