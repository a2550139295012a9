"""Mentorships as their mentee, mentor and managers see them: the mentor's list of mentees,
one mentorship's page, and ending it (completing in two steps, or ending early). Lookups
are scoped (`visible_to`), so another person's id is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
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
from ..forms.requests import EndEarlyForm
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


def _ending(mentorship: Mentorship, user) -> dict:
    """What the mentorship page offers this person for ending it: the state decides, here,
    and the template only shows it."""
    party = mentorship.is_party(user)
    active = mentorship.is_active
    proposer = mentorship.completion_proposed_by_id
    too_soon = services.completion_problem(mentorship) if active else None
    mentee_again = (
        not active
        and user.pk == mentorship.mentee_id
        and mentorship.ended_because == Mentorship.EndedBecause.NOT_A_GOOD_FIT
    )
    return {
        "active": active,
        "other": mentorship.other_party(user) if party else None,
        "proposed_by": mentorship.completion_proposed_by if proposer else None,
        "too_soon": too_soon,
        "can_propose": active and party and proposer is None and too_soon is None,
        "can_confirm": active
        and too_soon is None
        and (not party or proposer not in (None, user.pk)),
        "can_withdraw": active and party and proposer == user.pk,
        "can_end_early": active,
        "waiting_for_other": active and party and proposer == user.pk,
        "find_another_mentor": mentee_again,
    }


def _render_mentorship(
    request: HttpRequest, mentorship: Mentorship, status: int = 200
) -> HttpResponse:
    events = mentorship.events.select_related("actor")
    if mentorship.is_party(request.user):
        events = events.shared()  # check-ins and concerns are the programme team's only
    context = {
        "mentorship": mentorship,
        "is_party": mentorship.is_party(request.user),
        "ending": _ending(mentorship, request.user),
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


# --- Ending: each change through a page that says what will happen (GET), then does it
# (POST). The services decide; a refusal is the problem page with its reason.


def _completion_page(request: HttpRequest, mentorship: Mentorship, step: str) -> HttpResponse:
    from journey.models import Meeting

    context = {
        "mentorship": mentorship,
        "step": step,
        "other": mentorship.other_party(request.user) if step != "manager" else None,
        "proposed_by": mentorship.completion_proposed_by,
        "weeks_in": (timezone.localdate() - mentorship.started_on).days // 7,
        "confirmed_meetings": Meeting.objects.confirmed().filter(mentorship=mentorship).count(),
    }
    return render(request, "mentorship/complete_mentorship.html", context)


@shows_service_errors("mentorship:mentorship_detail", "pk")
@login_required
def propose_completion(request: HttpRequest, pk: int) -> HttpResponse:
    """Either person asks the other to confirm the mentorship is complete."""
    mentorship = _visible_mentorship(request, pk)
    if not mentorship.is_party(request.user):
        raise Http404("Only the two people propose; a manager completes it directly.")
    if request.method != "POST":
        if refusal := services.propose_completion_refusal(mentorship, request.user):
            raise refusal
        return _completion_page(request, mentorship, "propose")
    services.propose_completion(mentorship, by=request.user)
    other = mentorship.other_party(request.user).full_name
    messages.success(request, f"We have asked {other} to confirm the mentorship is complete.")
    return redirect(mentorship.page_url("end"))


@shows_service_errors("mentorship:mentorship_detail", "pk")
@login_required
def confirm_completion(request: HttpRequest, pk: int) -> HttpResponse:
    """The other person confirms the mentorship is complete; a manager completes it."""
    mentorship = _visible_mentorship(request, pk)
    if _is_manager_without_mfa(request, mentorship):
        return redirect_to_mfa_setup(request)
    if request.method != "POST":
        if refusal := services.confirm_completion_refusal(mentorship, request.user):
            raise refusal
        step = "confirm" if mentorship.is_party(request.user) else "manager"
        return _completion_page(request, mentorship, step)
    services.confirm_completion(mentorship, by=request.user)
    messages.success(request, "The mentorship is complete. Thank you.")
    return redirect(mentorship.page_url("feedback"))


@shows_service_errors("mentorship:mentorship_detail", "pk")
@require_POST
@login_required
def withdraw_completion(request: HttpRequest, pk: int) -> HttpResponse:
    """The person who asked to mark it complete takes it back; the mentorship carries on."""
    mentorship = _visible_mentorship(request, pk)
    if not mentorship.is_party(request.user):
        raise Http404("Only the person who asked can withdraw it.")
    services.withdraw_completion_proposal(mentorship, by=request.user)
    messages.success(request, "You have withdrawn your request. The mentorship carries on.")
    return redirect(mentorship.page_url("end"))


@shows_service_errors("mentorship:mentorship_detail", "pk")
@login_required
def end_early(request: HttpRequest, pk: int) -> HttpResponse:
    """Either person or a manager ends the mentorship early, with a category and a reason."""
    mentorship = _visible_mentorship(request, pk)
    if _is_manager_without_mfa(request, mentorship):
        return redirect_to_mfa_setup(request)
    if not mentorship.is_active:
        raise services.InvalidTransition(
            f"This mentorship is already {mentorship.get_status_display().lower()}."
        )
    if request.method != "POST":
        form = EndEarlyForm(initial_because=request.GET.get("because", ""))
        return _end_early_page(request, mentorship, form)
    form = EndEarlyForm(request.POST)
    if not form.is_valid():
        return _end_early_page(request, mentorship, form, status=400)
    services.end_early(
        mentorship,
        by=request.user,
        because=form.cleaned_data["because"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, "The mentorship has ended. Your reason is recorded.")
    return redirect(mentorship.page_url("end"))


def _end_early_page(
    request: HttpRequest, mentorship: Mentorship, form: EndEarlyForm, status: int = 200
) -> HttpResponse:
    context = {
        "mentorship": mentorship,
        "form": form,
        "is_party": mentorship.is_party(request.user),
        "weeks_in": (timezone.localdate() - mentorship.started_on).days // 7,
    }
    return render(request, "mentorship/end_early.html", context, status=status)
