"""Check-in pages: each person answers their own check-in; the programme team reads the
answers. The other person never sees them: the answer page is the person's own (anyone
else gets a 404), and the list is the team's only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentorship.models import Mentorship
from mentorship.views.errors import shows_service_errors

from ..access import is_party, is_programme_team
from ..forms.checkins import CheckInForm, HandledForm
from ..models import CheckIn
from ..schedule import next_point
from ..services import checkins as services
from .lookups import party_mentorship, team_mentorship


@shows_service_errors("mentorship:mentorship_detail", "pk")
@login_required
def answer_check_in(request: HttpRequest, pk: int, check_in_pk: int) -> HttpResponse:
    """The person's own check-in: another person's (even the other party's) is a 404."""
    mentorship = party_mentorship(request, pk)
    check_in = get_object_or_404(
        CheckIn.objects.filter(mentorship=mentorship, person=request.user), pk=check_in_pk
    )
    if check_in.answered_at is not None and request.method != "POST":
        messages.info(request, "You have already answered this check-in. Thank you.")
        return redirect(mentorship.page_url("check-in"))
    form = CheckInForm(request.POST) if request.method == "POST" else CheckInForm()
    if form.is_bound and form.is_valid():
        services.answer_check_in(check_in, by=request.user, **form.cleaned_data)
        messages.success(request, "Thank you. Your check-in has been sent to the programme team.")
        return redirect(mentorship.page_url("check-in"))
    context = {
        "mentorship": mentorship,
        "check_in": check_in,
        "form": form,
        "other": mentorship.other_party(request.user),
    }
    status = 400 if form.errors else 200
    return render(request, "journey/check_in_form.html", context, status=status)


@login_required
def check_in_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """Every check-in of the mentorship with its answers: the programme team only."""
    mentorship = team_mentorship(request, pk)
    check_ins = mentorship.check_ins.select_related("person", "handled_by")
    context = {"mentorship": mentorship, "check_ins": check_ins, "handled_form": HandledForm()}
    return render(request, "journey/check_in_answers.html", context)


@shows_service_errors("journey:check_in_answers", "pk")
@require_POST
@login_required
def check_in_handled(request: HttpRequest, pk: int, check_in_pk: int) -> HttpResponse:
    """The programme team marks an alerting check-in as dealt with."""
    mentorship = team_mentorship(request, pk)
    check_in = get_object_or_404(mentorship.check_ins, pk=check_in_pk)
    form = HandledForm(request.POST)
    if not form.is_valid():
        check_ins = mentorship.check_ins.select_related("person", "handled_by")
        context = {"mentorship": mentorship, "check_ins": check_ins, "handled_form": form}
        return render(request, "journey/check_in_answers.html", context, status=400)
    services.mark_check_in_handled(check_in, by=request.user, note=form.cleaned_data["note"])
    messages.success(request, f"{check_in.person.full_name}'s check-in is marked as dealt with.")
    return redirect("journey:check_in_answers", pk=mentorship.pk)


def section(mentorship: Mentorship, user: Any) -> dict[str, Any]:
    """Context for templates/journey/_checkins.html on the mentorship page: each person's own
    check-ins; for the programme team, everyone's answers."""
    today = timezone.localdate()
    if is_party(user, mentorship):
        mine = list(mentorship.check_ins.filter(person=user))
        upcoming = next_point(mentorship, today) if mentorship.is_active else None
        return {
            "check_ins_shown": True,
            "check_ins_due": [c for c in mine if c.answered_at is None and c.due_on <= today],
            "check_ins_answered": [c for c in mine if c.answered_at is not None],
            "next_check_in_on": upcoming[1] if upcoming else None,
        }
    if is_programme_team(user, mentorship):
        return {
            "check_ins_shown": True,
            "check_ins_for_team": list(mentorship.check_ins.select_related("person")),
        }
    return {}


urlpatterns = [
    path(
        "mentorships/<int:pk>/check-ins/<int:check_in_pk>/",
        answer_check_in,
        name="answer_check_in",
    ),
    path("mentorships/<int:pk>/check-ins/", check_in_answers, name="check_in_answers"),
    path(
        "mentorships/<int:pk>/check-ins/<int:check_in_pk>/handled/",
        check_in_handled,
        name="check_in_handled",
    ),
]
