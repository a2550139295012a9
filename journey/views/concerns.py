"""Concerns: either person raises one privately; the programme team reads, acknowledges and
closes it. The person who raised a concern sees its state; the other person never sees it,
and the team's pages are a 404 for both people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.models import Mentorship
from mentorship.views.errors import shows_service_errors

from ..access import is_party
from ..forms.concerns import CloseConcernForm, RaiseConcernForm
from ..invitations import when
from ..models import Concern
from ..services import concerns as services
from .lookups import party_mentorship, team_mentorship


@dataclass(frozen=True)
class ConcernState:
    concern: Concern
    label: str
    tag: str  # the nhsuk-tag colour modifier
    overdue: bool = False


def state(concern: Concern, now=None) -> ConcernState:
    now = now or timezone.now()
    if concern.closed_at is not None:
        return ConcernState(concern, "Closed", "grey")
    if concern.acknowledged_at is not None:
        return ConcernState(concern, "Acknowledged", "blue")
    if concern.acknowledge_by < now:
        return ConcernState(concern, "Not acknowledged in time", "red", overdue=True)
    return ConcernState(concern, "Waiting to be acknowledged", "yellow")


def section(mentorship: Mentorship, user: Any) -> dict[str, Any]:
    """Context for templates/journey/_concerns.html on the mentorship page: the two people
    see a way to raise a concern and the state of their own; the team sees them all."""
    if is_party(user, mentorship):
        mine = mentorship.concerns.filter(raised_by=user)
        return {"concerns": {"may_raise": True, "mine": [state(c) for c in mine]}}
    if services.may_handle(user, mentorship):
        every = mentorship.concerns.select_related("raised_by")
        return {"concerns": {"is_team": True, "all": [state(c) for c in every]}}
    return {}


def handler_mentorship(request: HttpRequest, pk: int) -> Mentorship:
    """The programme team, with MFA; a 404 for the two people (even one who also manages
    the programme) and anyone else."""
    mentorship = team_mentorship(request, pk)
    if is_party(request.user, mentorship):
        raise Http404("No such mentorship.")
    return mentorship


def _detail(mentorship: Mentorship, concern: Concern) -> str:
    return reverse("journey:concern_detail", args=[mentorship.pk, concern.pk])


@shows_service_errors("mentorship:mentorship_detail", "pk")
@require_http_methods(["GET", "POST"])
@login_required
def raise_concern(request: HttpRequest, pk: int) -> HttpResponse:
    """Either person raises a concern, after reading who will see it and where else to go."""
    mentorship = party_mentorship(request, pk)
    form = RaiseConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        concern = services.raise_concern(
            mentorship,
            by=request.user,
            kind=form.cleaned_data["kind"],
            details=form.cleaned_data["details"],
        )
        messages.success(
            request,
            "Your concern has gone to the programme team. They will acknowledge it by "
            f"{when(concern.acknowledge_by)}.",
        )
        return redirect(mentorship.page_url("concern"))
    programme = mentorship.programme
    context = {
        "mentorship": mentorship,
        "programme": programme,
        "form": form,
        "other": mentorship.other_party(request.user),
        "managers": programme.managers.filter(is_active=True).exclude(
            pk__in=[mentorship.mentee_id, mentorship.mentor_id]
        ),
    }
    status = 400 if form.errors else 200
    return render(request, "journey/concern_raise.html", context, status=status)


@require_GET
@login_required
def concern_list(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = handler_mentorship(request, pk)
    concerns = [state(c) for c in mentorship.concerns.select_related("raised_by")]
    return render(
        request, "journey/concern_list.html", {"mentorship": mentorship, "concerns": concerns}
    )


def _render_detail(
    request: HttpRequest, mentorship: Mentorship, concern: Concern, form=None, status=200
) -> HttpResponse:
    context = {
        "mentorship": mentorship,
        "concern": concern,
        "state": state(concern),
        "acknowledge_by": when(concern.acknowledge_by),
        "form": form or (CloseConcernForm() if concern.closed_at is None else None),
    }
    return render(request, "journey/concern_detail.html", context, status=status)


@require_GET
@login_required
def concern_detail(request: HttpRequest, pk: int, concern_pk: int) -> HttpResponse:
    mentorship = handler_mentorship(request, pk)
    concern = get_object_or_404(mentorship.concerns.select_related("raised_by"), pk=concern_pk)
    return _render_detail(request, mentorship, concern)


@shows_service_errors("journey:concern_list", "pk")
@require_POST
@login_required
def acknowledge_concern(request: HttpRequest, pk: int, concern_pk: int) -> HttpResponse:
    mentorship = handler_mentorship(request, pk)
    concern = get_object_or_404(mentorship.concerns, pk=concern_pk)
    services.acknowledge_concern(concern, by=request.user)
    messages.success(request, "Acknowledged. We have told the person who raised it.")
    return redirect(_detail(mentorship, concern))


@shows_service_errors("journey:concern_list", "pk")
@require_POST
@login_required
def close_concern(request: HttpRequest, pk: int, concern_pk: int) -> HttpResponse:
    mentorship = handler_mentorship(request, pk)
    concern = get_object_or_404(mentorship.concerns.select_related("raised_by"), pk=concern_pk)
    form = CloseConcernForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, mentorship, concern, form, status=400)
    services.close_concern(concern, by=request.user, outcome=form.cleaned_data["outcome"])
    messages.success(
        request, "The concern is closed. We have sent the outcome to the person who raised it."
    )
    return redirect(_detail(mentorship, concern))


urlpatterns = [
    path("mentorships/<int:pk>/concerns/raise/", raise_concern, name="raise_concern"),
    path("mentorships/<int:pk>/concerns/", concern_list, name="concern_list"),
    path("mentorships/<int:pk>/concerns/<int:concern_pk>/", concern_detail, name="concern_detail"),
    path(
        "mentorships/<int:pk>/concerns/<int:concern_pk>/acknowledge/",
        acknowledge_concern,
        name="acknowledge_concern",
    ),
    path(
        "mentorships/<int:pk>/concerns/<int:concern_pk>/close/",
        close_concern,
        name="close_concern",
    ),
]
