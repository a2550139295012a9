"""Changing course on the mentorship page: extending the planned end (either person proposes
and the other agrees or declines; a manager extends directly) and pausing for leave (either
person or a manager), with resuming."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from accounts.permissions import must_set_up_mfa
from mentorship.models import Mentorship
from mentorship.views.errors import shows_service_errors

from ..access import is_party, is_programme_team, require_active
from ..forms.course import ExtensionForm, PauseForm
from ..models import Extension
from ..services import course as services
from ..wording import long_date
from .lookups import party_mentorship, visible_mentorship


def _acting_mentorship(request: HttpRequest, pk: int) -> Mentorship:
    """The two people, or the programme team with MFA set up; a 404 for anyone else."""
    mentorship = visible_mentorship(request, pk)
    if is_party(request.user, mentorship):
        return mentorship
    if is_programme_team(request.user, mentorship) and not must_set_up_mfa(request.user):
        return mentorship
    raise Http404("No such mentorship.")


@shows_service_errors("mentorship:mentorship_detail", "pk")
@login_required
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Either person proposes a new planned end; a manager sets it directly."""
    mentorship = _acting_mentorship(request, pk)
    require_active(mentorship)
    by_team = not is_party(request.user, mentorship)
    form = ExtensionForm(request.POST if request.method == "POST" else None, mentorship=mentorship)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if by_team:
            services.extend_mentorship(
                mentorship, by=request.user, new_end_on=data["new_end_on"], reason=data["reason"]
            )
            messages.success(request, f"The planned end is now {long_date(data['new_end_on'])}.")
        else:
            services.propose_extension(
                mentorship, by=request.user, new_end_on=data["new_end_on"], reason=data["reason"]
            )
            other = mentorship.other_party(request.user)
            messages.success(
                request,
                f"Your proposal has been sent. We will tell you when {other.full_name} answers.",
            )
        return redirect(mentorship.page_url("course"))
    context = {"mentorship": mentorship, "form": form, "by_team": by_team}
    return render(request, "journey/extend.html", context, status=400 if form.errors else 200)


@shows_service_errors("mentorship:mentorship_detail", "pk")
@require_POST
@login_required
def agree_extension(request: HttpRequest, pk: int, extension_pk: int) -> HttpResponse:
    mentorship = party_mentorship(request, pk)
    extension = get_object_or_404(Extension, mentorship=mentorship, pk=extension_pk)
    services.agree_extension(extension, by=request.user)
    messages.success(request, f"Agreed. The planned end is now {long_date(extension.new_end_on)}.")
    return redirect(mentorship.page_url("course"))


@shows_service_errors("mentorship:mentorship_detail", "pk")
@require_POST
@login_required
def decline_extension(request: HttpRequest, pk: int, extension_pk: int) -> HttpResponse:
    mentorship = party_mentorship(request, pk)
    extension = get_object_or_404(Extension, mentorship=mentorship, pk=extension_pk)
    services.decline_extension(extension, by=request.user)
    messages.success(
        request, f"Declined. The planned end stays {long_date(mentorship.planned_end_on)}."
    )
    return redirect(mentorship.page_url("course"))


@shows_service_errors("mentorship:mentorship_detail", "pk")
@login_required
def pause(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause for leave, or change the date of a pause."""
    mentorship = _acting_mentorship(request, pk)
    require_active(mentorship)
    form = PauseForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        until = form.cleaned_data["until"]
        services.pause_mentorship(
            mentorship, by=request.user, until=until, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"The mentorship is paused until {long_date(until)}.")
        return redirect(mentorship.page_url("course"))
    context = {"mentorship": mentorship, "form": form}
    return render(request, "journey/pause.html", context, status=400 if form.errors else 200)


@shows_service_errors("mentorship:mentorship_detail", "pk")
@require_POST
@login_required
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = _acting_mentorship(request, pk)
    services.resume_mentorship(mentorship, by=request.user)
    messages.success(request, "The pause has ended. The mentorship is running again.")
    return redirect(mentorship.page_url("course"))


def section(mentorship: Mentorship, user: Any) -> dict[str, Any]:
    """Context for templates/journey/_course.html on the mentorship page."""
    party = is_party(user, mentorship)
    if not (party or is_programme_team(user, mentorship)) or not mentorship.is_active:
        return {}
    pending = services.pending_extension(mentorship)
    return {
        "course_shown": True,
        "course_paused": mentorship.is_paused(),
        "course_pending": pending,
        "course_pending_is_mine": pending is not None and pending.proposed_by_id == user.pk,
        "course_may_decide": party and pending is not None and pending.proposed_by_id != user.pk,
        "course_by_team": not party,
        # One proposal waits at a time; a manager may still decide directly.
        "course_may_extend": pending is None or not party,
    }


urlpatterns = [
    path("mentorships/<int:pk>/extend/", extend, name="extend"),
    path(
        "mentorships/<int:pk>/extensions/<int:extension_pk>/agree/",
        agree_extension,
        name="agree_extension",
    ),
    path(
        "mentorships/<int:pk>/extensions/<int:extension_pk>/decline/",
        decline_extension,
        name="decline_extension",
    ),
    path("mentorships/<int:pk>/pause/", pause, name="pause"),
    path("mentorships/<int:pk>/resume/", resume, name="resume"),
]
