"""The programme manager's approval queue: requests mentors have accepted.

Every lookup goes through the programmes the manager runs, so another programme's slug or
request id is a 404. Bulk approval calls the service once per request, each in its own
transaction: one mentor with no free place does not stop the others.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import manager_required

from .. import services
from ..forms.requests import BulkApproveForm, RejectForm
from ..models import MentorProfile, MentorRequest, Programme
from .errors import shows_service_errors
from .lookups import managed_programme_or_404
from .requests import MENTEE_SUMMARY, MENTEE_SUMMARY_PREFETCH

# A national scheme can have thousands of matches waiting: the page shows them oldest first,
# this many at a time (each is a card with its own reject form and a tick box below).
PER_PAGE = 25


def _requests(programme: Programme) -> QuerySet[MentorRequest]:
    return MentorRequest.objects.filter(programme=programme).select_related("mentee", "mentor")


def _waiting(programme: Programme) -> QuerySet[MentorRequest]:
    return (
        _requests(programme)
        .filter(status=MentorRequest.Status.ACCEPTED)
        .order_by("updated_at", "pk")
    )


def _reject_form(mentor_request: MentorRequest, data: dict | None = None) -> RejectForm:
    # One form per match on the page: ids are made unique, the field keeps its name.
    return RejectForm(data, auto_id=f"reject-{mentor_request.pk}-%s")


def _render_queue(
    request: HttpRequest,
    programme: Programme,
    *,
    error_form: Form | None = None,
    rejecting: int | None = None,
    bulk_form: BulkApproveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = Paginator(_waiting(programme).values_list("pk", flat=True), PER_PAGE).get_page(
        request.GET.get("page")
    )
    on_this_page = list(page.object_list)
    waiting = list(
        _waiting(programme)
        .filter(pk__in=on_this_page)
        .select_related(*MENTEE_SUMMARY)
        .prefetch_related(*MENTEE_SUMMARY_PREFETCH)
    )
    mentor_profiles = (
        MentorProfile.objects.with_free_places()
        .filter(user_id__in=[r.mentor_id for r in waiting])
        .select_related("user", "primary_specialty", "region")
        .prefetch_related("other_specialties", "goals", "languages")
        .in_bulk(field_name="user_id")
    )
    for mentor_request in waiting:
        mentor_request.mentor_summary = mentor_profiles.get(mentor_request.mentor_id)
        mentor_request.is_own = request.user.pk in (
            mentor_request.mentee_id,
            mentor_request.mentor_id,
        )
        if mentor_request.pk == rejecting:
            mentor_request.reject_form = error_form
        else:
            mentor_request.reject_form = _reject_form(mentor_request)
    # The tick boxes offer this page's matches (a bound form's choices, once shown again, too).
    if bulk_form is None:
        bulk_form = BulkApproveForm(queryset=_waiting(programme).filter(pk__in=on_this_page))
    else:
        bulk_form.fields["requests"].queryset = _waiting(programme).filter(pk__in=on_this_page)
    context = {
        "programme": programme,
        "waiting": waiting,
        "page": page,
        "bulk_form": bulk_form,
        "error_form": error_form,
    }
    return render(request, "mentorship/manage/approvals.html", context, status=status)


@manager_required
def approval_queue(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_queue(request, managed_programme_or_404(request, slug))


def _match(mentor_request: MentorRequest) -> str:
    return f"{mentor_request.mentee.full_name} and {mentor_request.mentor.full_name}"


@shows_service_errors("manage:approvals", "slug")
@require_POST
@manager_required
def approve_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    mentor_request = get_object_or_404(_requests(programme), pk=pk)
    services.approve_request(mentor_request, by=request.user)
    messages.success(
        request,
        f"You approved the match between {_match(mentor_request)}. Their mentorship has "
        "started and we have emailed them both an introduction.",
    )
    return redirect("manage:approvals", slug=slug)


@shows_service_errors("manage:approvals", "slug")
@require_POST
@manager_required
def reject_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    mentor_request = get_object_or_404(_requests(programme), pk=pk)
    form = _reject_form(mentor_request, request.POST)
    if not form.is_valid():
        return _render_queue(
            request, programme, error_form=form, rejecting=mentor_request.pk, status=400
        )
    services.reject_request(mentor_request, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(
        request,
        f"You did not approve the match between {_match(mentor_request)}. We have told them "
        "both, with your reason.",
    )
    return redirect("manage:approvals", slug=slug)


@require_POST
@manager_required
def bulk_approve(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    form = BulkApproveForm(request.POST, queryset=_requests(programme))
    if not form.is_valid():
        return _render_queue(request, programme, error_form=form, bulk_form=form, status=400)
    if not form.cleaned_data["confirmed"]:
        context = {"programme": programme, "chosen": form.cleaned_data["requests"]}
        return render(request, "mentorship/manage/bulk_approve_confirm.html", context)
    approved, failed = 0, []
    for mentor_request in sorted(form.cleaned_data["requests"], key=lambda r: (r.updated_at, r.pk)):
        try:
            services.approve_request(mentor_request, by=request.user)
        except services.ServiceError as error:
            failed.append(f"{_match(mentor_request)}: {error.message}")
        else:
            approved += 1
    if approved:
        messages.success(
            request,
            f"You approved {approved} match{'es' if approved != 1 else ''}. Their mentorships "
            "have started and we have emailed each person an introduction.",
        )
    for failure in failed:
        messages.error(request, f"Not approved: {failure}")
    return redirect("manage:approvals", slug=slug)
