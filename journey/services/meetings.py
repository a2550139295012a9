"""Meetings logged and confirmed, action points, and quiet mentorships noticed."""

from __future__ import annotations


def nudge_quiet_mentorships() -> int:
    raise NotImplementedError  # built by the meetings branch
