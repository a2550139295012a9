"""Mentorships as their mentee, mentor and managers see them: the mentor's list of mentees,
one mentorship's page, and ending it. Lookups are scoped (`visible_to`), so another person's
id is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import (
    mentor_required,
    must_set_up_mfa,
    redirect_to_mfa_setup,
)
from journey import home as journey_home

from .. import services
from ..forms.requests import EndMentorshipForm
from ..models import Mentorship
from .errors import shows_service_errors


@mentor_required
def my_mentees(request: HttpRequest) -> HttpResponse:
    """The mentor's active mentorships, then the ones that have ended."""
    mentorships = Mentorship.objects.filter(mentor=request.user).select_related(
        "programme", "mentee"
    )
    context = {
        "active": mentorships.filter(status=Mentorship.Status.ACTIVE),
        "ended": mentorships.exclude(status=Mentorship.Status.ACTIVE),
    }
    return render(request, "mentorship/my_mentees.html", context)


# --- Mentorships ------------------------------------------------------------------------


def _visible_mentorship(request: HttpRequest, pk: int) -> Mentorship:
    queryset = Mentorship.objects.visible_to(request.user).select_related(
        "programme",
        "mentee",
        "mentor",
        "mentor__mentor_profile",
        "mentee__mentee_profile__current_specialty",
        "mentee__mentee_profile__target_specialty",
    )
    return get_object_or_404(
        queryset.prefetch_related("mentee__mentee_profile__mentee_goals__goal"), pk=pk
    )


def _is_manager_without_mfa(request: HttpRequest, mentorship: Mentorship) -> bool:
    """The two people always see their mentorship; a manager must set up MFA first."""
    parties = (mentorship.mentee_id, mentorship.mentor_id)
    return request.user.pk not in parties and must_set_up_mfa(request.user)


def _render_mentorship(
    request: HttpRequest, mentorship: Mentorship, form: Form | None = None, status: int = 200
) -> HttpResponse:
    active = mentorship.status == Mentorship.Status.ACTIVE
    events = mentorship.events.select_related("actor")
    if mentorship.is_party(request.user):
        events = events.shared()  # check-ins and concerns are the programme team's only
    context = {
        "mentorship": mentorship,
        "is_party": mentorship.is_party(request.user),
        "form": form or (EndMentorshipForm() if active else None),
        "events": events,
        **journey_home.sections(mentorship, request.user),
    }
    return render(request, "mentorship/mentorship_detail.html", context, status=status)


@login_required
def mentorship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Both people and the programme's managers can open a mentorship; nobody else."""
    mentorship = _visible_mentorship(request, pk)
    if _is_manager_without_mfa(request, mentorship):
        return redirect_to_mfa_setup(request)
    return _render_mentorship(request, mentorship)


@shows_service_errors("mentorship:mentorship_detail", "pk")
@require_POST
@login_required
def end_mentorship(request: HttpRequest, pk: int) -> HttpResponse:
    """Complete the mentorship, or end it early with a reason."""
    mentorship = _visible_mentorship(request, pk)
    if _is_manager_without_mfa(request, mentorship):
        return redirect_to_mfa_setup(request)
    form = EndMentorshipForm(request.POST)
    if not form.is_valid():
        return _render_mentorship(request, mentorship, form, status=400)
    if not form.cleaned_data["confirmed"]:
        context = {
            "mentorship": mentorship,
            "form": form,
            "completed": form.completed,
            "reason": form.cleaned_data["reason"],
            "weeks_in": (timezone.localdate() - mentorship.started_on).days // 7,
        }
        return render(request, "mentorship/end_mentorship_confirm.html", context)
    services.end_mentorship(
        mentorship,
        by=request.user,
        completed=form.completed,
        reason=form.cleaned_data["reason"],
    )
    if form.completed:
        messages.success(request, "The mentorship is marked as complete. Thank you.")
    else:
        messages.success(request, "The mentorship has ended early. Your reason is recorded.")
    return redirect("mentorship:mentorship_detail", pk=pk)
