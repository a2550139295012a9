"""Programmes people can join: mentees apply, mentors offer to mentor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import is_mentee, is_mentor, mentee_required, mentor_required

from .. import services
from ..forms import ApplicationForm
from ..models import MenteeMembership, MentorMembership, Programme
from .errors import shows_service_errors


def _visible_programmes(user) -> object:
    """Open programmes, and any programme the person belongs to or manages."""
    return Programme.objects.filter(
        Q(is_open=True)
        | Q(managers=user)
        | Q(mentee_memberships__user=user)
        | Q(mentor_memberships__user=user)
    ).distinct()


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = _visible_programmes(request.user)
    return render(request, "mentorship/programme_list.html", {"programmes": programmes})


@login_required
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(_visible_programmes(request.user), slug=slug)
    user = request.user
    context = {
        "programme": programme,
        "mentee_membership": MenteeMembership.objects.filter(
            programme=programme, user=user
        ).first(),
        "mentor_membership": MentorMembership.objects.filter(
            programme=programme, user=user
        ).first(),
        "is_mentee": is_mentee(user),
        "is_mentor": is_mentor(user),
        "form": ApplicationForm(),
    }
    return render(request, "mentorship/programme_detail.html", context)


@shows_service_errors("mentorship:programme_detail", "slug")
@require_POST
@mentee_required
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(_visible_programmes(request.user), slug=slug)
    form = ApplicationForm(request.POST)
    if not form.is_valid():
        context = {
            "programme": programme,
            "form": form,
            "is_mentee": True,
            "is_mentor": is_mentor(request.user),
        }
        return render(request, "mentorship/programme_detail.html", context, status=400)
    services.apply_to_programme(request.user, programme, note=form.cleaned_data["application_note"])
    messages.success(
        request,
        f"You have applied to {programme.name}. The programme team will be in touch "
        "to arrange a short conversation before they decide.",
    )
    return redirect("mentorship:mentee_home")


@shows_service_errors("mentorship:programme_detail", "slug")
@require_POST
@mentor_required
def mentor_apply(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(_visible_programmes(request.user), slug=slug)
    membership = services.apply_as_mentor(request.user, programme)
    if membership.status == MentorMembership.Status.APPROVED:
        messages.success(request, f"You have joined {programme.name} as a mentor.")
    else:
        messages.success(
            request,
            f"Thank you for offering to mentor in {programme.name}. The programme team "
            "will check your details before mentees can see your profile.",
        )
    return redirect("mentorship:mentor_home")
