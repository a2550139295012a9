"""Mentor requests and mentorships as their mentee, mentor and managers see them.

Every lookup is scoped to the person (`for_mentee`, `for_mentor`, `visible_to`), so another
person's id is a 404. Each action validates its form, calls one service and redirects; a
rule that says no is shown by `problem` (403 or 409) and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import (
    mentee_required,
    mentor_required,
)
from matching.services import explain_match

from .. import services
from ..directory import directory_queryset, next_best_mentors
from ..forms.requests import (
    AnswerForm,
    DeclineForm,
    QuestionForm,
    RequestMentorForm,
)
from ..models import MenteeProfile, MentorProfile, MentorRequest, Mentorship, Programme
from .errors import shows_service_errors

Status = MentorRequest.Status

# The mentee's profile as `_mentee_summary.html` shows it, in a fixed number of queries.
MENTEE_SUMMARY = (
    "mentee__mentee_profile__target_specialty",
    "mentee__mentee_profile__current_specialty",
    "mentee__mentee_profile__region",
)
MENTEE_SUMMARY_PREFETCH = (
    "mentee__mentee_profile__mentee_goals__goal",
    "mentee__mentee_profile__languages",
)


def _with_timeline(queryset: QuerySet[MentorRequest]) -> QuerySet[MentorRequest]:
    return queryset.select_related(
        "programme", "mentee", "mentor", "mentor__mentor_profile"
    ).prefetch_related("events__actor")


def _mentorship_of(mentor_request: MentorRequest) -> Mentorship | None:
    return Mentorship.objects.filter(request=mentor_request).first()


# --- The mentee -------------------------------------------------------------------------


def _render_ask(
    request: HttpRequest, programme: Programme, profile: Any, form: Form, status: int = 200
) -> HttpResponse:
    viewer = MenteeProfile.objects.get(user=request.user)
    context = {
        "programme": programme,
        "profile": profile,
        "explanation": explain_match(viewer, profile, programme),
        "form": form,
    }
    return render(request, "mentorship/request_mentor.html", context, status=status)


@shows_service_errors("mentorship:mentor_detail", "slug", "user_id")
@require_http_methods(["GET", "POST"])
@mentee_required
def request_mentor(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """Ask a mentor of the programme, with an optional message."""
    programme = get_object_or_404(Programme.objects.with_directory_for(request.user), slug=slug)
    profile = get_object_or_404(directory_queryset(programme), user_id=user_id)
    if request.method == "GET":
        return _render_ask(request, programme, profile, RequestMentorForm())
    form = RequestMentorForm(request.POST)
    if not form.is_valid():
        return _render_ask(request, programme, profile, form, status=400)
    mentor_request = services.request_mentor(
        request.user, profile.user, programme, message=form.cleaned_data["message"]
    )
    messages.success(
        request,
        f"Your request has been sent to {profile.user.full_name}. We will email you when "
        "they reply.",
    )
    return redirect("mentorship:request_detail", pk=mentor_request.pk)


@mentee_required
def my_requests(request: HttpRequest) -> HttpResponse:
    """Every request the mentee has made, open ones first, and their mentorships."""
    rows = list(
        MentorRequest.objects.for_mentee(request.user).select_related("programme", "mentor")
    )
    context = {
        "open_requests": [r for r in rows if r.is_open],
        "closed_requests": [r for r in rows if not r.is_open],
        "mentorships": Mentorship.objects.filter(mentee=request.user).select_related(
            "programme", "mentor"
        ),
    }
    return render(request, "mentorship/my_requests.html", context)


def _render_request(
    request: HttpRequest,
    mentor_request: MentorRequest,
    answer_form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    asked = mentor_request.status == Status.MORE_INFO
    ended_without_match = mentor_request.status in MentorRequest.ENDED_WITHOUT_A_MATCH
    context = {
        "mentor_request": mentor_request,
        "mentorship": _mentorship_of(mentor_request),
        "answer_form": answer_form or (AnswerForm() if asked else None),
        "can_withdraw": mentor_request.is_open,
        "next_best": next_best_mentors(request.user, mentor_request.programme)
        if ended_without_match
        else [],
    }
    return render(request, "mentorship/request_detail.html", context, status=status)


def _own_request(request: HttpRequest, pk: int) -> MentorRequest:
    return get_object_or_404(_with_timeline(MentorRequest.objects.for_mentee(request.user)), pk=pk)


@mentee_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentee's view of one of their requests, with its timeline."""
    return _render_request(request, _own_request(request, pk))


@shows_service_errors("mentorship:request_detail", "pk")
@require_POST
@mentee_required
def answer_question(request: HttpRequest, pk: int) -> HttpResponse:
    mentor_request = _own_request(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render_request(request, mentor_request, form, status=400)
    services.answer_question(mentor_request, by=request.user, answer=form.cleaned_data["answer"])
    messages.success(
        request,
        f"Your answer has been sent to {mentor_request.mentor.full_name}. Your request is "
        "waiting for their decision again.",
    )
    return redirect("mentorship:request_detail", pk=pk)


@shows_service_errors("mentorship:request_detail", "pk")
@require_http_methods(["GET", "POST"])
@mentee_required
def withdraw_request(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks the mentee to confirm; POST withdraws."""
    mentor_request = _own_request(request, pk)
    back = reverse("mentorship:request_detail", args=[pk])
    if request.method == "GET":
        context = {"mentor_request": mentor_request, "back_url": back}
        return render(request, "mentorship/withdraw_request.html", context)
    services.withdraw_request(mentor_request, by=request.user)
    messages.success(
        request,
        f"You withdrew your request to {mentor_request.mentor.full_name}. We have told them. "
        "You can ask another mentor.",
    )
    return redirect("mentorship:request_detail", pk=pk)


# --- The mentor -------------------------------------------------------------------------


@mentor_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Requests waiting for the mentor first (oldest first), then the ones already decided."""
    rows = (
        MentorRequest.objects.for_mentor(request.user)
        .select_related("programme", "mentee", *MENTEE_SUMMARY)
        .prefetch_related(*MENTEE_SUMMARY_PREFETCH)
    )
    context = {
        "waiting": rows.filter(status__in=MentorRequest.WAITING_FOR_MENTOR).order_by(
            "created_at", "pk"
        ),
        "decided": rows.exclude(status__in=MentorRequest.WAITING_FOR_MENTOR).order_by(
            "-updated_at", "-pk"
        )[:50],
    }
    return render(request, "mentorship/inbox.html", context)


def _inbox_request(request: HttpRequest, pk: int) -> MentorRequest:
    queryset = (
        _with_timeline(MentorRequest.objects.for_mentor(request.user))
        .select_related(*MENTEE_SUMMARY)
        .prefetch_related(*MENTEE_SUMMARY_PREFETCH)
    )
    return get_object_or_404(queryset, pk=pk)


def _render_inbox_request(
    request: HttpRequest,
    mentor_request: MentorRequest,
    *,
    decline_form: Form | None = None,
    question_form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    pending = mentor_request.status == Status.PENDING
    profile = MentorProfile.objects.with_free_places().get(user=request.user)
    has_place = profile.has_place_for(mentor_request)
    context = {
        "mentor_request": mentor_request,
        "mentorship": _mentorship_of(mentor_request),
        # What the page offers follows the services' rules: accept (with a place for it) or
        # ask while pending, decline while the request waits for the mentor.
        "can_accept": pending and has_place,
        "can_ask": pending,
        "no_place": None if has_place or not pending else profile.no_place_message(you=True),
        "can_decline": mentor_request.status in MentorRequest.WAITING_FOR_MENTOR,
        "needs_approval": mentor_request.programme.requires_approval
        and mentor_request.manager_approved_at is None,
        "decline_form": decline_form or DeclineForm(),
        "question_form": question_form or QuestionForm(),
        "error_form": decline_form or question_form,
    }
    return render(request, "mentorship/inbox_detail.html", context, status=status)


@mentor_required
def inbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentor's view of a request to them."""
    return _render_inbox_request(request, _inbox_request(request, pk))


def _back_to_inbox_request(pk: int) -> str:
    return reverse("mentorship:inbox_detail", args=[pk])


@shows_service_errors("mentorship:inbox_detail", "pk")
@require_POST
@mentor_required
def accept_request(request: HttpRequest, pk: int) -> HttpResponse:
    mentor_request = _inbox_request(request, pk)
    mentor_request = services.accept_request(mentor_request, by=request.user)
    name = mentor_request.mentee.full_name
    if mentor_request.status == Status.APPROVED:
        messages.success(
            request,
            f"You are now {name}'s mentor. We have emailed you both an introduction.",
        )
    else:
        messages.success(
            request,
            f"You accepted {name}'s request. The programme team will confirm the match, then "
            "we will email you both an introduction.",
        )
    return redirect("mentorship:inbox")


@shows_service_errors("mentorship:inbox_detail", "pk")
@require_POST
@mentor_required
def decline_request(request: HttpRequest, pk: int) -> HttpResponse:
    mentor_request = _inbox_request(request, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _render_inbox_request(request, mentor_request, decline_form=form, status=400)
    services.decline_request(
        mentor_request,
        by=request.user,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )
    messages.success(
        request,
        f"You declined {mentor_request.mentee.full_name}'s request. We have told them, "
        "with your reason.",
    )
    return redirect("mentorship:inbox")


@shows_service_errors("mentorship:inbox_detail", "pk")
@require_POST
@mentor_required
def ask_question(request: HttpRequest, pk: int) -> HttpResponse:
    mentor_request = _inbox_request(request, pk)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _render_inbox_request(request, mentor_request, question_form=form, status=400)
    services.ask_for_more_info(
        mentor_request, by=request.user, question=form.cleaned_data["question"]
    )
    messages.success(
        request,
        f"Your question has been sent to {mentor_request.mentee.full_name}. We will email "
        "you when they answer.",
    )
    return redirect("mentorship:inbox_detail", pk=pk)
