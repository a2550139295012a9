"""Template tags other pages include to point at monitoring, without importing it into
their own code: `{% load monitoring %}` then `{% equality_invitation %}` on a person's home
page after they join a programme, `{% equality_settings_row %}` on the account page and
`{% open_outcome_surveys %}` on a mentee's home page."""

from __future__ import annotations

from django import template

from mentorship.models import MenteeMembership, MentorMembership

from ..models import EqualityAnswers, OutcomeSurvey

register = template.Library()


def _joined_a_programme(user) -> bool:
    return (
        MenteeMembership.objects.filter(user=user, status=MenteeMembership.Status.ACCEPTED).exists()
        or MentorMembership.objects.filter(
            user=user, status=MentorMembership.Status.APPROVED
        ).exists()
    )


@register.inclusion_tag("monitoring/_invitation.html", takes_context=True)
def equality_invitation(context) -> dict:
    """A gentle, optional link, shown while a person is in a programme and has no answers
    saved. Never an email; the page is always reachable from their account."""
    request = context.get("request")
    user = getattr(request, "user", None)
    show = bool(
        user is not None
        and user.is_authenticated
        and not EqualityAnswers.objects.of(user).exists()
        and _joined_a_programme(user)
    )
    return {"show": show}


@register.inclusion_tag("monitoring/_settings_row.html", takes_context=True)
def equality_settings_row(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    answered = bool(user is not None and EqualityAnswers.objects.of(user).exists())
    return {"answered": answered}


@register.inclusion_tag("monitoring/_open_surveys.html", takes_context=True)
def open_outcome_surveys(context) -> dict:
    """The person's outcome surveys still open, so the email is not the only way in."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"surveys": []}
    return {
        "surveys": list(
            OutcomeSurvey.objects.of(user).still_open().select_related("mentorship__mentor")
        )
    }
