"""The programme team's dashboard: one programme's figures, or every programme the manager
runs, for a date range, with charts and the same figures as tables, and their downloads.
The figures are read in mentorship/dashboard.py; the charts are drawn by charts.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from accounts.permissions import manager_required

from .. import charts, spreadsheets
from ..dashboard import (
    FEEDBACK_HEADERS,
    FIGURE_HEADERS,
    Figures,
    Period,
    feedback_rows,
    figure_rows,
    figures,
)
from ..forms.lists import PeriodForm
from ..models import Programme
from .lookups import managed_programme_or_404


def _period(request: HttpRequest) -> tuple[PeriodForm, Period]:
    """The range asked for; all time when it is missing or wrong (the form says why)."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, Period(form.cleaned_data["start"], form.cleaned_data["end"])
    return form, Period()


def _charts(figs: Figures) -> dict[str, object]:
    """The pictures; each has its figures in a table beside it on the page."""
    path = charts.bar_chart(
        [(step.label, step.count) for step in figs.path],
        title="From application to completion",
        description="How many mentees reached each step: "
        + ", ".join(f"{s.label.lower()} {s.count}" for s in figs.path)
        + ".",
    )
    scores = charts.line_chart(
        [(f"{m.month:%b %Y}", m.average) for m in figs.check_ins],
        title="Average check-in score by month",
        description="The average score (1 to 5) of the check-ins answered each month: "
        + ", ".join(f"{m.month:%B %Y} {m.average}" for m in figs.check_ins)
        + ".",
        low=1,
        high=5,
    )
    feedback = charts.bar_chart(
        [(f.label, f.mentee_average) for f in figs.feedback_by_function],
        title="What mentees say the mentorship gave them",
        description="Mentees' average rating (0 not at all to 4 a great deal) of each "
        "mentorship function.",
        max_value=4,
    )
    return {"path_chart": path, "scores_chart": scores, "feedback_chart": feedback}


def _render(
    request: HttpRequest, programmes: list[Programme], programme: Programme | None
) -> HttpResponse:
    form, period = _period(request)
    figs = figures([p.pk for p in programmes], period)
    name = programme.slug if programme else "all-programmes"
    if request.GET.get("download") in {"csv", "xlsx"}:
        dates = slugify(period.label)
        wanted = request.GET.get("table")
        if wanted == "feedback":
            return spreadsheets.download(
                FEEDBACK_HEADERS,
                feedback_rows(figs),
                filename=f"{name}-feedback-by-function-{dates}",
                file_format=request.GET["download"],
                title="Feedback by function",
            )
        return spreadsheets.download(
            FIGURE_HEADERS,
            figure_rows(figs),
            filename=f"{name}-dashboard-{dates}",
            file_format=request.GET["download"],
            title="Dashboard",
        )
    query = request.GET.copy()
    query.pop("download", None)
    query.pop("table", None)
    context = {
        "programme": programme,
        "programmes": programmes,
        "figures": figs,
        "form": form,
        "query": query.urlencode(),
        **_charts(figs),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "mentorship/manage/dashboard.html", context, status=status)


@manager_required
def programme_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    return _render(request, [programme], programme)


@manager_required
def all_programmes_dashboard(request: HttpRequest) -> HttpResponse:
    programmes = list(Programme.objects.managed_by(request.user))
    return _render(request, programmes, None)
