"""Cohort match runs, for programme managers. Every page looks the programme up with
managed_programme_or_404 and the run within that programme, so another programme's run id is
a 404; a rule that says no (a ServiceError) becomes a page through shows_service_errors. The
rules live in matching/runs/, the forms in matching/forms.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import manager_required
from mentorship.models import Programme
from mentorship.views.errors import shows_service_errors
from mentorship.views.lookups import managed_programme_or_404

from . import runs
from .export import export_csv
from .forms import ApproveForm, StartRunForm
from .models import MatchRun

PROPOSALS_PER_PAGE = 100
UNMATCHED_SHOWN = 100

# --- Lookups ----------------------------------------------------------------------------


def _run(request: HttpRequest, slug: str, pk: int) -> MatchRun:
    """The programme's run, or 404; if its worker is gone, it is marked failed first."""
    programme = managed_programme_or_404(request, slug)
    runs.fail_abandoned_runs(programme_id=programme.pk, pk=pk)
    return get_object_or_404(
        MatchRun.objects.filter(programme=programme).select_related("programme", "created_by"),
        pk=pk,
    )


# --- Pages ------------------------------------------------------------------------------


def _render_home(
    request: HttpRequest, programme: Programme, form: StartRunForm, status: int = 200
) -> HttpResponse:
    context = {
        "programme": programme,
        "form": form,
        "summary": runs.cohort_summary(programme),
        "runs": MatchRun.objects.filter(programme=programme).select_related("created_by")[:20],
    }
    return render(request, "matching/home.html", context, status=status)


@require_GET
@manager_required
def home(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    runs.fail_abandoned_runs(programme_id=programme.pk)  # so the list says which failed
    return _render_home(request, programme, StartRunForm())


@shows_service_errors("matching:home", "slug")
@require_POST
@manager_required
def start(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    form = StartRunForm(request.POST)
    if not form.is_valid():
        return _render_home(request, programme, form, status=400)
    run = runs.start_match_run(programme, by=request.user, method=form.cleaned_data["method"])
    return redirect("matching:run", slug=slug, pk=run.pk)


def _render_run(
    request: HttpRequest, run: MatchRun, form: ApproveForm | None = None, status: int = 200
) -> HttpResponse:
    # A national run has thousands of proposals: one page of them at a time, and the first
    # of those without a mentor (all of them are in the CSV).
    matched = run.proposals.filter(mentor__isnull=False).select_related("mentee", "mentor")
    page = Paginator(matched, PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    unmatched = run.proposals.filter(mentor__isnull=True).select_related("mentee")
    approval = run.bulk_approvals.first()  # the latest, open or done
    context = {
        "programme": run.programme,
        "run": run,
        "form": form,
        "page": page,
        "unmatched": list(unmatched[:UNMATCHED_SHOWN]),
        "unmatched_count": run.unmatched_count,
        "approvable_count": runs.approvable(run).count(),
        "approval": approval,
        "approving": approval is not None and not approval.is_done,
    }
    return render(request, "matching/run.html", context, status=status)


@require_GET
@manager_required
def run_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _render_run(request, _run(request, slug, pk))


@require_GET
@manager_required
def run_status(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """The run's progress, and its latest bulk approval's, for the page's script to poll."""
    run = _run(request, slug, pk)
    approval = run.bulk_approvals.first()
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "progress": run.progress,
            "done": run.is_done,
            "matched": run.matched_count,
            "unmatched": run.unmatched_count,
            "url": reverse("matching:run", args=[slug, pk]),
            "approval": None
            if approval is None
            else {
                "status": approval.status,
                "progress": approval.progress,
                "done": approval.is_done,
                "total": approval.total,
                "approved": approval.approved_count,
                "failed": approval.failed_count,
            },
        },
        headers={"Cache-Control": "no-store"},
    )


@shows_service_errors("matching:run", "slug", "pk")
@require_POST
@manager_required
def approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A few ticked proposals are approved at once; all, or many, in the background."""
    run = _run(request, slug, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _render_run(request, run, form, status=400)
    chosen = form.cleaned_data["proposal"]
    if form.cleaned_data["approve"] == "all" and not form.cleaned_data["confirmed"]:
        context = {"programme": run.programme, "run": run, "count": runs.approvable(run).count()}
        return render(request, "matching/approve_all_confirm.html", context)
    if form.cleaned_data["approve"] == "all" or len(chosen) > runs.INLINE_LIMIT:
        ids = None if form.cleaned_data["approve"] == "all" else chosen
        approval, started = runs.start_bulk_approval(run, by=request.user, proposal_ids=ids)
        if started:
            messages.info(
                request,
                f"Approving {approval.total:,} proposals. This can take a few minutes; you can "
                "leave this page and come back. Each mentor is asked to accept as their "
                "proposal is approved.",
            )
        else:
            messages.info(
                request, "These proposals are already being approved. Nothing new has been started."
            )
        return redirect("matching:run", slug=slug, pk=pk)
    outcome = runs.approve_proposals(run, chosen, by=request.user)
    if outcome.approved:
        count = len(outcome.approved)
        messages.success(
            request,
            f"You approved {count} proposal{'' if count == 1 else 's'}. Each mentor has been "
            "asked to accept; the mentorship starts when they do.",
        )
    if outcome.failed:
        count = len(outcome.failed)
        messages.warning(
            request,
            f"{count} proposal{'' if count == 1 else 's'} could not be approved. "
            "The reasons are shown in the list.",
        )
    return redirect("matching:run", slug=slug, pk=pk)


@require_GET
@manager_required
def export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    run = _run(request, slug, pk)
    response = HttpResponse(
        "\ufeff" + export_csv(run),  # the byte order mark makes Excel read UTF-8
        content_type="text/csv; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )
    filename = f"{run.programme.slug}-match-run-{run.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
