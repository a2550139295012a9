"""Mentor requests as their mentee, mentor and managers see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.permissions import mentor_required

from ..models import MentorRequest, Mentorship


def _with_timeline(queryset):
    return queryset.select_related("programme", "mentee", "mentor").prefetch_related(
        "events__actor"
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentee's view of one of their requests, with its timeline."""
    mentor_request = get_object_or_404(
        _with_timeline(MentorRequest.objects.for_mentee(request.user)), pk=pk
    )
    return render(request, "mentorship/request_detail.html", {"mentor_request": mentor_request})


@mentor_required
def inbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentor's view of a request to them."""
    mentor_request = get_object_or_404(
        _with_timeline(MentorRequest.objects.for_mentor(request.user)), pk=pk
    )
    return render(request, "mentorship/inbox_detail.html", {"mentor_request": mentor_request})


@login_required
def mentorship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Both people and the programme's managers can open a mentorship; nobody else."""
    mentorship = get_object_or_404(
        Mentorship.objects.visible_to(request.user).select_related("programme", "mentee", "mentor"),
        pk=pk,
    )
    return render(request, "mentorship/mentorship_detail.html", {"mentorship": mentorship})
