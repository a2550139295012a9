"""Each role's home page: what to do next."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import mentee_required, mentor_required
from journey.due import due_for, next_meetings
from journey.models import AgreedGoal

from ..models import MenteeMembership, MentorMembership, Mentorship, Programme


@mentee_required
def mentee_home(request: HttpRequest) -> HttpResponse:
    memberships = MenteeMembership.objects.filter(user=request.user).select_related("programme")
    applied = {m.programme_id for m in memberships}
    open_programmes = Programme.objects.open_to_applications().exclude(pk__in=applied)
    mentorships = list(
        Mentorship.objects.filter(mentee=request.user).select_related("mentor", "programme")
    )
    active = {m.programme_id: m for m in mentorships if m.status == Mentorship.Status.ACTIVE}
    for membership in memberships:
        membership.active_mentorship = active.get(membership.programme_id)
    context = {
        "memberships": memberships,
        "open_programmes": open_programmes,
        "mentorships": mentorships,
        "matched": bool(active),
        "things_due": due_for(request.user),
        "next_meetings": next_meetings(request.user),
        "agreed_goals": AgreedGoal.objects.filter(
            mentorship__mentee=request.user, mentorship__status=Mentorship.Status.ACTIVE
        ),
    }
    return render(request, "mentorship/mentee_home.html", context)


@mentor_required
def mentor_home(request: HttpRequest) -> HttpResponse:
    memberships = MentorMembership.objects.filter(user=request.user).select_related("programme")
    joined = {m.programme_id for m in memberships}
    open_programmes = Programme.objects.open_to_applications().exclude(pk__in=joined)
    context = {
        "memberships": memberships,
        "open_programmes": open_programmes,
        "profile": request.user.mentor_profile,
        "things_due": due_for(request.user),
        "next_meetings": next_meetings(request.user),
        "show_names": True,
    }
    return render(request, "mentorship/mentor_home.html", context)
