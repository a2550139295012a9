"""Pages of equality monitoring and outcomes over time.

A person reads and changes only their own answers (looked up through `.of(user)`, so
someone else's survey id is a 404). Managers read only the aggregates of a programme they
manage (`managed_programme_or_404`, behind MFA); no page here names a person.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.permissions import manager_required
from mentorship.spreadsheets import download
from mentorship.views.errors import shows_service_errors
from mentorship.views.lookups import managed_programme_or_404

from . import aggregates, services
from .forms import EqualityForm, OutcomeSurveyForm
from .models import EqualityAnswers, OutcomeSurvey
from .suppression import MIN_GROUP

# --- The person's own answers --------------------------------------------------------------


@shows_service_errors("monitoring:equality")
@require_http_methods(["GET", "POST"])
@login_required
def equality(request: HttpRequest) -> HttpResponse:
    """See, change or start answering the optional equality questions."""
    answers = EqualityAnswers.objects.of(request.user).first()
    if request.method == "POST":
        form = EqualityForm(request.POST)
        if form.is_valid():
            services.save_equality_answers(request.user, **form.cleaned_data)
            messages.success(request, "Thank you. Your answers are saved.")
            return redirect("monitoring:equality")
    else:
        initial = {}
        if answers is not None:
            initial = {f: getattr(answers, f) for f in ("sex", "ethnicity", "disability")}
        form = EqualityForm(initial=initial)
    context = {"form": form, "answers": answers}
    return render(
        request, "monitoring/equality_form.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def equality_delete(request: HttpRequest) -> HttpResponse:
    """Delete every answer the person gave, after a confirmation page."""
    if request.method == "POST":
        if services.delete_equality_answers(request.user):
            messages.success(request, "Your equality answers are deleted.")
        return redirect("monitoring:equality")
    answers = EqualityAnswers.objects.of(request.user).first()
    return render(request, "monitoring/equality_delete.html", {"answers": answers})


# --- Outcome surveys ---------------------------------------------------------------------


@shows_service_errors("dashboard")
@require_http_methods(["GET", "POST"])
@login_required
def outcome_survey(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentee's own survey; anyone else's is a 404. Answered or closed: said politely."""
    survey = get_object_or_404(
        OutcomeSurvey.objects.of(request.user).select_related(
            "mentorship__programme", "mentorship__mentor"
        ),
        pk=pk,
    )
    if request.method == "POST":
        form = OutcomeSurveyForm(request.POST)
        if form.is_valid():
            services.answer_outcome_survey(survey, by=request.user, **form.cleaned_data)
            messages.success(request, "Thank you. Your answers are saved.")
            return redirect("monitoring:outcome_survey", pk=survey.pk)
    else:
        form = OutcomeSurveyForm()
    context = {
        "survey": survey,
        "form": form,
        "mentorship": survey.mentorship,
        "answered": survey.status == OutcomeSurvey.Status.ANSWERED,
        "is_open": survey.is_open(),
    }
    return render(
        request, "monitoring/outcome_survey.html", context, status=400 if form.errors else 200
    )


# --- Managers: aggregates only ----------------------------------------------------------------


@manager_required
def equality_report(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    report = aggregates.equality_report(programme)
    context = {"programme": programme, "report": report, "min_group": MIN_GROUP}
    return render(request, "monitoring/equality_report.html", context)


@manager_required
def equality_download(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    headers, rows = aggregates.equality_rows(aggregates.equality_report(programme))
    return download(
        headers,
        rows,
        filename=f"{programme.slug}-equality",
        file_format=request.GET.get("format", "csv"),
        title="Equality monitoring",
    )


@manager_required
def outcomes_report(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    waves = aggregates.outcomes_report(programme)
    context = {"programme": programme, "waves": waves, "min_group": MIN_GROUP}
    return render(request, "monitoring/outcomes_report.html", context)


@manager_required
def outcomes_download(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    headers, rows = aggregates.outcome_rows(aggregates.outcomes_report(programme))
    return download(
        headers,
        rows,
        filename=f"{programme.slug}-outcomes",
        file_format=request.GET.get("format", "csv"),
        title="Outcomes over time",
    )
