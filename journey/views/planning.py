"""The next meeting: set or move it, cancel it, download its calendar file. Only the two
people plan their meetings; the programme team sees the next meeting on the page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.models import Mentorship
from mentorship.views.errors import shows_service_errors

from .. import invitations
from ..access import is_party, require_active
from ..forms.planning import NextMeetingForm
from ..services import planning as services
from .lookups import party_mentorship


def section(mentorship: Mentorship, user: Any) -> dict[str, Any]:
    """Context for templates/journey/_planning.html on the mentorship page."""
    planned = services.upcoming(mentorship) if mentorship.is_active else None
    return {
        "planning": {
            "next_meeting": planned,
            "when": invitations.when(planned.starts_at) if planned else "",
            "may_change": mentorship.is_active and is_party(user, mentorship),
        }
    }


@shows_service_errors("mentorship:mentorship_detail", "pk")
@require_http_methods(["GET", "POST"])
@login_required
def next_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the next meeting, or move the one already set."""
    mentorship = party_mentorship(request, pk)
    require_active(mentorship)
    planned = services.upcoming(mentorship)
    if request.method == "POST":
        form = NextMeetingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            planned = services.set_next_meeting(
                mentorship,
                by=request.user,
                starts_at=data["starts_at"],
                minutes=data["minutes"],
                mode=data["mode"],
                where=data["where"],
            )
            messages.success(
                request,
                f"The next meeting is on {invitations.when(planned.starts_at)}. "
                "We have emailed you both a calendar invitation.",
            )
            return redirect(mentorship.page_url("next-meeting"))
        status = 400
    else:
        form, status = NextMeetingForm.for_meeting(planned), 200
    context = {"mentorship": mentorship, "form": form, "planned": planned}
    return render(request, "journey/next_meeting_form.html", context, status=status)


@shows_service_errors("mentorship:mentorship_detail", "pk")
@require_POST
@login_required
def cancel_next_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = party_mentorship(request, pk)
    services.cancel_next_meeting(mentorship, by=request.user)
    messages.success(request, "The meeting is cancelled. We have told you both.")
    return redirect(mentorship.page_url("next-meeting"))


@require_GET
@login_required
def next_meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The next meeting as a calendar file to add by hand (the two people only)."""
    mentorship = party_mentorship(request, pk)
    planned = services.upcoming(mentorship) if mentorship.is_active else None
    if planned is None:
        raise Http404("No meeting is planned.")
    response = HttpResponse(
        invitations.calendar_file(planned, invitations.PUBLISH),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{invitations.FILENAME}"'
    return response


urlpatterns = [
    path("mentorships/<int:pk>/next-meeting/", next_meeting, name="next_meeting"),
    path(
        "mentorships/<int:pk>/next-meeting/cancel/",
        cancel_next_meeting,
        name="cancel_next_meeting",
    ),
    path(
        "mentorships/<int:pk>/next-meeting/mentoring-meeting.ics",
        next_meeting_ics,
        name="next_meeting_ics",
    ),
]
