"""Onboarding: say how you want to take part, then fill in the matching profile(s)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import (
    forget_roles,
    may_see_gmc_number,
    mentor_required,
    must_set_up_mfa,
    redirect_to_mfa_setup,
)

from .. import services
from ..forms import MenteeProfileForm, MentorProfileForm, RolesForm
from ..models import MenteeProfile, MentorProfile

WANTED_ROLES = "onboarding_roles"


def _next_step(request: HttpRequest) -> str:
    """The next profile this person said they want and does not have yet."""
    wanted = request.session.get(WANTED_ROLES, [])
    user = request.user
    if "mentee" in wanted and not MenteeProfile.objects.filter(user=user).exists():
        return reverse("mentorship:mentee_profile")
    if "mentor" in wanted and not MentorProfile.objects.filter(user=user).exists():
        return reverse("mentorship:mentor_profile")
    request.session.pop(WANTED_ROLES, None)
    return reverse("dashboard")


@login_required
def start(request: HttpRequest) -> HttpResponse:
    form = RolesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        request.session[WANTED_ROLES] = ["mentee", "mentor"] if role == "both" else [role]
        return redirect(_next_step(request))
    return render(request, "mentorship/start.html", {"form": form})


@login_required
def mentee_profile(request: HttpRequest) -> HttpResponse:
    profile = MenteeProfile.objects.filter(user=request.user).first()
    creating = profile is None
    form = MenteeProfileForm(
        request.POST if request.method == "POST" else None,
        instance=profile or MenteeProfile(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        forget_roles(request.user)
        messages.success(request, "Your mentee profile is saved.")
        return redirect(_next_step(request) if creating else reverse("mentorship:mentee_home"))
    context = {"form": form, "creating": creating}
    return render(request, "mentorship/mentee_profile_form.html", context)


@login_required
def mentor_profile(request: HttpRequest) -> HttpResponse:
    profile = MentorProfile.objects.filter(user=request.user).first()
    creating = profile is None
    form = MentorProfileForm(
        request.POST if request.method == "POST" else None,
        instance=profile or MentorProfile(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        forget_roles(request.user)
        messages.success(request, "Your mentor profile is saved.")
        return redirect(_next_step(request) if creating else reverse("mentorship:mentor_home"))
    context = {"form": form, "creating": creating}
    return render(request, "mentorship/mentor_profile_form.html", context)


@require_POST
@mentor_required
def set_availability(request: HttpRequest) -> HttpResponse:
    """The pause switch: stop or restart new requests. Current mentees are not affected."""
    profile = services.set_accepting_requests(
        request.user.mentor_profile,
        by=request.user,
        accepting=request.POST.get("accepting") == "yes",
    )
    if profile.is_accepting_requests:
        messages.success(request, "You are accepting new requests again.")
    else:
        messages.success(request, "New requests are paused. Your current mentees are not affected.")
    return redirect("mentorship:mentor_home")


@login_required
def mentee_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    profile = get_object_or_404(
        MenteeProfile.objects.visible_to(request.user)
        .select_related("user", "target_specialty", "current_specialty", "region")
        .prefetch_related("mentee_goals__goal", "languages"),
        user_id=user_id,
    )
    if profile.user_id != request.user.pk and must_set_up_mfa(request.user):
        return redirect_to_mfa_setup(request)
    context = {"profile": profile, "show_gmc": may_see_gmc_number(request.user, user_id)}
    return render(request, "mentorship/mentee_detail.html", context)
