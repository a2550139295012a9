"""Match reasons in a template, worded for the reader: `{% load match_reasons %}`.

{% for reason in mentor_request|reasons_for:"mentor" %}   a request, proposal or explanation
{{ part.reason|reason_for:"mentee" }}                      one reason (a score's part)
"""

from __future__ import annotations

from typing import Any

from django import template

from matching.reasons import Reader, render, render_all

register = template.Library()


@register.filter
def reasons_for(holder: Any, reader: Reader) -> list[str]:
    """The reasons of a request, proposal or explanation, in the reader's words."""
    if holder is None or holder == "":
        return []
    return render_all(
        getattr(holder, "reasons", None), reader, mentee_name=_mentee_name(holder, reader)
    )


@register.filter
def reason_for(reason: Any, reader: Reader) -> str:
    """One reason in the reader's words."""
    if not reason:
        return ""
    return render(reason, reader) or ""


def _mentee_name(holder: Any, reader: Reader) -> str | None:
    """The mentor reads the mentee's first name ("You support 3 of Amara's 4 goals")."""
    if reader != "mentor":
        return None
    mentee = getattr(holder, "mentee", None)  # a MentorRequest's or MatchProposal's user
    return mentee.get_short_name() if hasattr(mentee, "get_short_name") else None
