"""Pages for the mentoring agreement and its goals: propose or revise it, confirm it, and
record each goal's progress. `section` gives the mentorship page its part; `urlpatterns` are
mounted by journey/urls.py under the "journey" namespace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from mentorship.models import Mentorship
from mentorship.views.errors import shows_service_errors

from .. import access
from ..forms.agreements import AgreementForm, GoalProgressForm
from ..models import AgreedGoal, Agreement
from ..services import agreements as services
from .lookups import party_mentorship


@dataclass(frozen=True)
class AgreementSummary:
    """What everyone who sees the mentorship may know about its agreement: that it exists,
    who confirmed it and when, how often and how long. No private wording."""

    proposed_by: Any
    proposed_at: Any
    mentee_confirmed_at: Any
    mentor_confirmed_at: Any
    cadence: str
    duration_weeks: int
    goal_count: int
    is_confirmed: bool


def _summary(agreement: Agreement, goal_count: int) -> AgreementSummary:
    return AgreementSummary(
        proposed_by=agreement.proposed_by,
        proposed_at=agreement.proposed_at,
        mentee_confirmed_at=agreement.mentee_confirmed_at,
        mentor_confirmed_at=agreement.mentor_confirmed_at,
        cadence=agreement.get_cadence_display(),
        duration_weeks=agreement.duration_weeks,
        goal_count=goal_count,
        is_confirmed=agreement.is_confirmed,
    )


def _confirmed_by(agreement: Agreement, mentorship: Mentorship, user: Any) -> bool:
    field = "mentee_confirmed_at" if user.pk == mentorship.mentee_id else "mentor_confirmed_at"
    return getattr(agreement, field) is not None


def section(mentorship: Mentorship, user: Any) -> dict[str, Any]:
    """Context for templates/journey/_agreements.html on the mentorship page. The agreement's
    wording and the goals are given to the two people only; the programme team gets the
    summary."""
    agreement = (
        Agreement.objects.filter(mentorship=mentorship).select_related("proposed_by").first()
    )
    private = access.may_read_private(user, mentorship)
    goals = list(mentorship.agreed_goals.all()) if agreement is not None else []
    can_act = private and mentorship.is_active
    return {
        "agreement_summary": _summary(agreement, len(goals)) if agreement else None,
        "agreement_private": agreement if private else None,
        "agreement_goals": goals if private else [],
        "agreement_can_edit": can_act,
        "agreement_can_confirm": bool(
            can_act and agreement and not _confirmed_by(agreement, mentorship, user)
        ),
        "agreement_other": mentorship.other_party(user) if private else None,
    }


@shows_service_errors("mentorship:mentorship_detail", "pk")
@login_required
def agreement_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose the agreement, or revise it; the other person is then asked to confirm."""
    mentorship = party_mentorship(request, pk)
    access.require_active(mentorship)
    defaults = services.agreement_defaults(mentorship)
    revising = Agreement.objects.filter(mentorship=mentorship).exists()
    if request.method == "POST":
        form = AgreementForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.propose_agreement(
                mentorship,
                by=request.user,
                goals=form.goal_lines(),
                cadence=data["cadence"],
                duration_weeks=data["duration_weeks"],
                how_we_meet=data["how_we_meet"],
                confidentiality=data["confidentiality"],
                ending=data["ending"],
            )
            other = mentorship.other_party(request.user)
            messages.success(
                request,
                f"Agreement sent. We have asked {other.full_name} to read and confirm it.",
            )
            return redirect(mentorship.page_url("agreement"))
        status = 400
    else:
        form = AgreementForm(
            initial=AgreementForm.initial_from(defaults), goal_count=len(defaults["goals"])
        )
        status = 200
    context = {
        "mentorship": mentorship,
        "programme": mentorship.programme,
        "form": form,
        "revising": revising,
        "other": mentorship.other_party(request.user),
    }
    return render(request, "journey/agreement_form.html", context, status=status)


@shows_service_errors("mentorship:mentorship_detail", "pk")
@require_POST
@login_required
def confirm_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """The other person confirms the agreement as proposed."""
    mentorship = party_mentorship(request, pk)
    agreement = services.confirm_agreement(mentorship, by=request.user)
    if agreement.is_confirmed:
        messages.success(request, "You have both confirmed the agreement.")
    else:
        messages.success(request, "You have confirmed the agreement.")
    return redirect(mentorship.page_url("agreement"))


@shows_service_errors("mentorship:mentorship_detail", "pk")
@login_required
def goal_progress(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    """Record how one agreed goal is going, with a short reflection."""
    mentorship = party_mentorship(request, pk)
    goal = get_object_or_404(AgreedGoal, mentorship=mentorship, pk=goal_pk)
    access.require_active(mentorship)
    if request.method == "POST":
        form = GoalProgressForm(request.POST)
        if form.is_valid():
            services.update_goal(
                goal,
                by=request.user,
                status=form.cleaned_data["status"],
                reflection=form.cleaned_data["reflection"],
            )
            messages.success(request, "Goal progress saved.")
            return redirect(mentorship.page_url("goals"))
        status = 400
    else:
        form = GoalProgressForm(initial={"status": goal.status, "reflection": goal.reflection})
        status = 200
    context = {
        "mentorship": mentorship,
        "goal": goal,
        "form": form,
        "other": mentorship.other_party(request.user),
    }
    return render(request, "journey/goal_form.html", context, status=status)


urlpatterns = [
    path("mentorships/<int:pk>/agreement/", agreement_form, name="agreement"),
    path(
        "mentorships/<int:pk>/agreement/confirm/",
        confirm_agreement,
        name="confirm_agreement",
    ),
    path("mentorships/<int:pk>/goals/<int:goal_pk>/", goal_progress, name="goal_progress"),
]
