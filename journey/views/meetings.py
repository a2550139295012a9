"""Pages for meetings and action points: log a meeting, confirm one (on the page, or from the
email's one-click link, which lands on a page with a single button), add an action point and
mark it done. `section` gives the mentorship page its part; `urlpatterns` are mounted by
journey/urls.py under the "journey" namespace."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentorship.models import Mentorship
from mentorship.views.errors import shows_service_errors

from .. import access
from ..forms.meetings import ActionPointForm, MeetingForm
from ..models import ActionPoint, Meeting
from ..services import meetings as services
from .lookups import party_mentorship


@dataclass(frozen=True)
class MeetingRow:
    """One meeting as this person may see it: topics and notes only for the two people."""

    pk: int
    held_on: datetime.date
    minutes: int
    mode: str
    kind: str
    topics: str
    notes: str
    logged_by: Any
    confirmed_by: Any
    confirmed_at: datetime.datetime | None
    can_confirm: bool
    waiting_for: Any


@dataclass(frozen=True)
class ActionPointRow:
    action_point: ActionPoint
    is_overdue: bool
    can_mark_done: bool


def _meeting_row(meeting: Meeting, mentorship: Mentorship, user: Any, private: bool) -> MeetingRow:
    unconfirmed = meeting.confirmed_at is None
    logger_pk = meeting.logged_by_id
    waiting_for = None
    if unconfirmed and logger_pk in (mentorship.mentee_id, mentorship.mentor_id):
        waiting_for = mentorship.mentor if logger_pk == mentorship.mentee_id else mentorship.mentee
    return MeetingRow(
        pk=meeting.pk,
        held_on=meeting.held_on,
        minutes=meeting.minutes,
        mode=meeting.get_mode_display() if private else "",
        kind=meeting.get_kind_display(),
        topics=meeting.topics if private else "",
        notes=meeting.notes if private else "",
        logged_by=meeting.logged_by,
        confirmed_by=meeting.confirmed_by,
        confirmed_at=meeting.confirmed_at,
        can_confirm=private and mentorship.is_active and unconfirmed and logger_pk != user.pk,
        waiting_for=waiting_for,
    )


def section(mentorship: Mentorship, user: Any) -> dict[str, Any]:
    """Context for templates/journey/_meetings.html on the mentorship page. Topics, notes and
    action points go to the two people only; the programme team sees dates, lengths, kinds,
    confirmation, the totals, and why the mentorship needs attention."""
    private = access.may_read_private(user, mentorship)
    can_act = private and mentorship.is_active
    today = timezone.localdate()
    meetings = mentorship.meetings.select_related("logged_by", "confirmed_by")
    action_points = []
    if private:
        action_points = [
            ActionPointRow(
                a,
                is_overdue=a.done_at is None and a.due_on is not None and a.due_on < today,
                can_mark_done=can_act and a.done_at is None,
            )
            for a in mentorship.action_points.select_related("owner", "goal")
        ]
    team = access.is_programme_team(user, mentorship)
    return {
        "meetings_totals": services.totals(mentorship, today),
        "meetings_log": [_meeting_row(m, mentorship, user, private) for m in meetings],
        "meetings_private": private,
        "meetings_can_log": can_act,
        "meetings_action_points": action_points,
        "meetings_attention": services.attention_reason(mentorship, today) if team else "",
    }


@shows_service_errors("mentorship:mentorship_detail", "pk")
@login_required
def log_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a meeting that happened; the other person is asked to confirm it."""
    mentorship = party_mentorship(request, pk)
    access.require_active(mentorship)
    form = MeetingForm(
        request.POST if request.method == "POST" else None, mentorship=mentorship, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.log_meeting(
            mentorship,
            by=request.user,
            held_on=data["held_on"],
            minutes=data["minutes"],
            mode=data["mode"],
            kind=data["kind"],
            topics=data["topics"],
            notes=data["notes"],
            action_points=form.action_points,
        )
        other = mentorship.other_party(request.user)
        messages.success(request, f"Meeting logged. We have asked {other.full_name} to confirm it.")
        return redirect(mentorship.page_url("meetings"))
    context = {
        "mentorship": mentorship,
        "form": form,
        "other": mentorship.other_party(request.user),
    }
    status = 400 if form.is_bound else 200
    return render(request, "journey/meeting_form.html", context, status=status)


@shows_service_errors("mentorship:mentorship_detail", "pk")
@require_POST
@login_required
def confirm_meeting(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """The other person confirms a meeting from the mentorship page."""
    mentorship = party_mentorship(request, pk)
    meeting = get_object_or_404(Meeting, mentorship=mentorship, pk=meeting_pk)
    services.confirm_meeting(meeting, by=request.user)
    messages.success(request, "Meeting confirmed. It counts towards your mentoring hours.")
    return redirect(mentorship.page_url("meetings"))


def _bad_link(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "journey/meeting_link_problem.html", {"message": message}, status=400)


@login_required
def confirm_meeting_link(request: HttpRequest, token: str) -> HttpResponse:
    """The email's one-click link: a page with one button (GET changes nothing); the button
    confirms. Only the person the link was sent to, signed in as themselves, may use it."""
    try:
        meeting_pk, person_pk = services.read_confirm_token(token)
    except signing.SignatureExpired:
        return _bad_link(request, "This link has expired.")
    except signing.BadSignature:
        return _bad_link(request, "This link does not work. It may have been copied wrongly.")
    if request.user.pk != person_pk:
        raise Http404("No such meeting.")
    meeting = get_object_or_404(
        Meeting.objects.select_related("mentorship__programme", "logged_by"), pk=meeting_pk
    )
    mentorship = party_mentorship(request, meeting.mentorship_id)
    if request.method == "POST":
        return _confirm_from_link(request, pk=mentorship.pk, meeting=meeting)
    context = {
        "mentorship": mentorship,
        "meeting": meeting,
        "token": token,
        "already": meeting.confirmed_at is not None,
    }
    return render(request, "journey/meeting_confirm.html", context)


@shows_service_errors("mentorship:mentorship_detail", "pk")
def _confirm_from_link(request: HttpRequest, *, pk: int, meeting: Meeting) -> HttpResponse:
    services.confirm_meeting(meeting, by=request.user)
    messages.success(request, "Meeting confirmed. It counts towards your mentoring hours.")
    return redirect(meeting.mentorship.page_url("meetings"))


@shows_service_errors("mentorship:mentorship_detail", "pk")
@login_required
def add_action_point(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an action point for either of the two, perhaps towards a goal."""
    mentorship = party_mentorship(request, pk)
    access.require_active(mentorship)
    form = ActionPointForm(
        request.POST if request.method == "POST" else None, mentorship=mentorship, user=request.user
    )
    if request.method == "POST" and form.is_valid() and form.action_point is not None:
        line = form.action_point
        services.add_action_point(
            mentorship,
            by=request.user,
            text=line.text,
            owner=line.owner,
            due_on=line.due_on,
            goal=line.goal,
        )
        messages.success(request, "Action point added.")
        return redirect(mentorship.page_url("action-points"))
    context = {"mentorship": mentorship, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "journey/action_point_form.html", context, status=status)


@shows_service_errors("mentorship:mentorship_detail", "pk")
@require_POST
@login_required
def action_point_done(request: HttpRequest, pk: int, action_point_pk: int) -> HttpResponse:
    mentorship = party_mentorship(request, pk)
    action_point = get_object_or_404(ActionPoint, mentorship=mentorship, pk=action_point_pk)
    services.mark_action_point_done(action_point, by=request.user)
    messages.success(request, "Action point marked as done.")
    return redirect(mentorship.page_url("action-points"))


urlpatterns = [
    path("mentorships/<int:pk>/meetings/log/", log_meeting, name="log_meeting"),
    path(
        "mentorships/<int:pk>/meetings/<int:meeting_pk>/confirm/",
        confirm_meeting,
        name="confirm_meeting",
    ),
    path("meetings/confirm/<str:token>/", confirm_meeting_link, name="confirm_meeting_link"),
    path("mentorships/<int:pk>/action-points/add/", add_action_point, name="add_action_point"),
    path(
        "mentorships/<int:pk>/action-points/<int:action_point_pk>/done/",
        action_point_done,
        name="action_point_done",
    ),
]
