"""Programme managers' pages. Every lookup goes through Programme.objects.managed_by(user),
and every membership is looked up within that programme, so another programme's slug or
another membership's id is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import manager_required

from .. import attention, services
from ..forms import DecisionForm, MentorInviteForm
from ..forms.manage import IntakeNotesForm, MentorDecisionForm
from ..models import (
    Exclusion,
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    MentorProfile,
    Mentorship,
    Programme,
)
from . import lists
from .errors import problem, shows_service_errors
from .lookups import managed_programme_or_404

# --- Lookups ----------------------------------------------------------------------------


def _count(model: type[MenteeMembership | MentorMembership], status: str) -> Coalesce:
    """How many of a programme's memberships have `status`, as one subquery per column
    (joining both membership tables at once would multiply the rows)."""
    rows = (
        model.objects.filter(programme=OuterRef("pk"), status=status)
        .order_by()
        .values("programme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def _managed_programmes(request: HttpRequest) -> QuerySet[Programme]:
    return Programme.objects.managed_by(request.user).annotate(
        applicants_waiting=_count(MenteeMembership, MenteeMembership.Status.APPLIED),
        mentors_waiting=_count(MentorMembership, MentorMembership.Status.APPLIED),
        mentees_accepted=_count(MenteeMembership, MenteeMembership.Status.ACCEPTED),
        mentors_approved=_count(MentorMembership, MentorMembership.Status.APPROVED),
    )


def _mentee_membership(programme: Programme, pk: int, **filters: str) -> MenteeMembership:
    memberships = MenteeMembership.objects.filter(programme=programme, **filters)
    return get_object_or_404(memberships.select_related("user", "decided_by"), pk=pk)


def _mentee_profile(membership: MenteeMembership) -> MenteeProfile | None:
    return (
        MenteeProfile.objects.filter(user_id=membership.user_id)
        .select_related("target_specialty", "current_specialty", "region")
        .prefetch_related("mentee_goals__goal", "languages")
        .first()
    )


# --- Programmes -------------------------------------------------------------------------


@manager_required
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = _managed_programmes(request)
    context = {"programmes": programmes, **attention.block(programmes)}
    return render(request, "mentorship/manage/programme_list.html", context)


@manager_required
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(_managed_programmes(request), slug=slug)
    context = {"programme": programme, **attention.block([programme])}
    return render(request, "mentorship/manage/programme_detail.html", context)


# --- Mentee applications ----------------------------------------------------------------


@manager_required
def applicant_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    memberships = MenteeMembership.objects.filter(programme=programme).select_related(
        "user__mentee_profile__target_specialty", "decided_by"
    )
    context = {
        "programme": programme,
        "waiting": memberships.filter(status=MenteeMembership.Status.APPLIED).order_by(
            "created_at"
        ),
        "decided": memberships.exclude(status=MenteeMembership.Status.APPLIED).order_by(
            F("decided_at").desc(nulls_last=True), "-updated_at"
        ),
    }
    return render(request, "mentorship/manage/applicant_list.html", context)


def _render_applicant(
    request: HttpRequest,
    programme: Programme,
    membership: MenteeMembership,
    form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None and membership.status == MenteeMembership.Status.APPLIED:
        form = DecisionForm(initial={"notes": membership.intake_notes})
    elif form is None:
        form = IntakeNotesForm(initial={"notes": membership.intake_notes})
    own = membership.user_id == request.user.pk
    context = {
        "programme": programme,
        "membership": membership,
        "profile": _mentee_profile(membership),
        "form": form,
        "deciding": "decision" in form.fields and not own,
        "own": own,
        "events": membership.events.select_related("actor"),
        # Managers see that exclusions exist, never who or why.
        "exclusion_count": Exclusion.objects.filter(mentee_id=membership.user_id).count(),
    }
    return render(request, "mentorship/manage/applicant_detail.html", context, status=status)


@shows_service_errors("manage:applicant", "slug", "pk")
@require_http_methods(["GET", "POST"])
@manager_required
def applicant_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    membership = _mentee_membership(programme, pk)
    if request.method == "GET":
        return _render_applicant(request, programme, membership)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render_applicant(request, programme, membership, form, status=400)
    accept = form.cleaned_data["decision"] == "accept"
    services.decide_mentee_application(
        membership,
        by=request.user,
        accept=accept,
        notes=form.cleaned_data["notes"],
        reason=form.cleaned_data["reason"],
    )
    name = membership.user.full_name
    if accept:
        messages.success(
            request,
            f"You accepted {name}. They can now browse this programme's mentors "
            "and ask one to mentor them.",
        )
    else:
        messages.success(
            request,
            f"You declined {name}'s application. They will see that they have not been accepted.",
        )
    return redirect("manage:applicants", slug=slug)


@shows_service_errors("manage:applicant", "slug", "pk")
@require_POST
@manager_required
def applicant_notes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    membership = _mentee_membership(programme, pk)
    waiting = membership.status == MenteeMembership.Status.APPLIED
    form = IntakeNotesForm(request.POST, with_decision=waiting)
    if not form.is_valid():
        return _render_applicant(request, programme, membership, form, status=400)
    services.save_intake_notes(membership, by=request.user, notes=form.cleaned_data["notes"])
    message = "Your notes are saved. Only this programme's managers can see them."
    if waiting:
        message += " You have not made a decision yet."
    messages.success(request, message)
    return redirect("manage:applicant", slug=slug, pk=pk)


# --- Mentors ----------------------------------------------------------------------------


def _render_roster(
    request: HttpRequest, programme: Programme, form: Form | None = None, status: int = 200
) -> HttpResponse:
    # The approved mentors: a filtered, sorted page with their places and answers counted
    # in SQL (views/lists.py), or its download. The other groups are short: one query.
    approved = lists.approved_mentors(request, programme)
    if isinstance(approved, HttpResponse):
        return approved
    memberships = (
        MentorMembership.objects.filter(programme=programme)
        .exclude(status=MentorMembership.Status.APPROVED)
        .select_related("user__mentor_profile")
        .order_by("user__full_name")
    )
    groups: dict[str, list[MentorMembership]] = {value: [] for value in MentorMembership.Status}
    for membership in memberships:
        groups[membership.status].append(membership)
    Status = MentorMembership.Status
    context = {
        "programme": programme,
        **approved,
        "waiting": sorted(groups[Status.APPLIED], key=lambda m: m.created_at),
        "invited": groups[Status.INVITED],
        "former": groups[Status.DECLINED] + groups[Status.REMOVED],
        "form": form or MentorInviteForm(),
    }
    return render(request, "mentorship/manage/mentor_list.html", context, status=status)


@manager_required
def mentor_list(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_roster(request, managed_programme_or_404(request, slug))


@require_POST
@manager_required
def invite_mentor(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    form = MentorInviteForm(request.POST)
    if not form.is_valid():
        return _render_roster(request, programme, form, status=400)
    try:
        membership = services.invite_mentor(
            programme, email=form.cleaned_data["email"], by=request.user
        )
    except services.NotAllowed as error:
        return problem(request, error, back_url=reverse("manage:mentors", args=[slug]))
    except services.ServiceError as error:
        form.add_error("email", error.message)
        return _render_roster(request, programme, form, status=400)
    messages.success(
        request,
        f"You invited {membership.user.full_name}. They join {programme.name} as a "
        "mentor when they accept the invitation.",
    )
    return redirect("manage:mentors", slug=slug)


def _render_mentor(
    request: HttpRequest,
    programme: Programme,
    membership: MentorMembership,
    form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    profile = (
        MentorProfile.objects.with_free_places()
        .filter(user_id=membership.user_id)
        .select_related("primary_specialty", "region")
        .prefetch_related("other_specialties", "goals", "languages")
        .first()
    )
    own = membership.user_id == request.user.pk
    waiting = membership.status == MentorMembership.Status.APPLIED or form is not None
    context = {
        "programme": programme,
        "membership": membership,
        "profile": profile,
        "form": form or MentorDecisionForm(initial={"notes": membership.vetting_notes}),
        "deciding": waiting and not own,
        "own": own and waiting,
        "events": membership.events.select_related("actor"),
    }
    return render(request, "mentorship/manage/mentor_detail.html", context, status=status)


@shows_service_errors("manage:mentor", "slug", "pk")
@require_http_methods(["GET", "POST"])
@manager_required
def mentor_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    membership = get_object_or_404(
        MentorMembership.objects.filter(programme=programme).select_related("user", "decided_by"),
        pk=pk,
    )
    if request.method == "GET":
        return _render_mentor(request, programme, membership)
    form = MentorDecisionForm(request.POST)
    if not form.is_valid():
        return _render_mentor(request, programme, membership, form, status=400)
    approve = form.cleaned_data["decision"] == "approve"
    services.decide_mentor_application(
        membership,
        by=request.user,
        approve=approve,
        notes=form.cleaned_data["notes"],
        reason=form.cleaned_data["reason"],
    )
    name = membership.user.full_name
    if approve:
        messages.success(
            request,
            f"You approved {name}. Mentees in {programme.name} can now see their "
            "profile and ask them to mentor.",
        )
    else:
        messages.success(request, f"You declined {name}. Mentees will not see their profile.")
    return redirect("manage:mentors", slug=slug)


# --- Accepted mentees -------------------------------------------------------------------


@manager_required
def mentee_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    context = lists.mentee_list(request, programme)
    if isinstance(context, HttpResponse):
        return context  # the download
    return render(request, "mentorship/manage/mentee_list.html", context)


@manager_required
def mentee_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    membership = _mentee_membership(programme, pk, status=MenteeMembership.Status.ACCEPTED)
    mentorship = (
        Mentorship.objects.filter(
            programme=programme, mentee_id=membership.user_id, status=Mentorship.Status.ACTIVE
        )
        .select_related("mentor")
        .first()
    )
    context = {
        "programme": programme,
        "membership": membership,
        "profile": _mentee_profile(membership),
        "mentorship": mentorship,
    }
    return render(request, "mentorship/manage/mentee_detail.html", context)
