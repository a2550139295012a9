"""Ending well: each person's feedback (their own page, the other's if shared, and the
programme team's page with both), each person's certificate as a PDF, and the public page that
checks a certificate's code. `section` gives the mentorship page its "Feedback and certificate"
part; `urlpatterns` are mounted by journey/urls.py under the "journey" namespace."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from mentorship.models import Mentorship
from mentorship.services.errors import InvalidTransition
from mentorship.views.errors import shows_service_errors

from .. import certificates
from ..access import is_party, is_programme_team
from ..forms.endings import FeedbackForm, VerifyCertificateForm
from ..models import ATTRIBUTES, MENTORSHIP_FUNCTIONS, Certificate, Feedback
from ..services import endings as services
from .lookups import party_mentorship, team_mentorship


def section(mentorship: Mentorship, user: Any) -> dict[str, Any]:
    """Context for templates/journey/_endings.html on the mentorship page."""
    if is_party(user, mentorship):
        other = mentorship.other_party(user)
        given = {f.person_id: f for f in Feedback.objects.filter(mentorship=mentorship)}
        own = given.get(user.pk)
        shared = given.get(other.pk)
        return {
            "endings": {
                "is_party": True,
                "ended": services.feedback_is_open(mentorship),
                "other": other,
                "feedback_due": services.feedback_is_open(mentorship) and own is None,
                "own_feedback": own,
                "shared_feedback": shared if shared and shared.shared_with_other else None,
                "certificate": services.certificate_is_available(mentorship),
            }
        }
    if is_programme_team(user, mentorship):
        return {
            "endings": {
                "is_team": True,
                "ended": services.feedback_is_open(mentorship),
                "feedback_count": Feedback.objects.filter(mentorship=mentorship).count(),
            }
        }
    return {}


def answers(feedback: Feedback) -> dict[str, Any]:
    """A feedback's answers with their labels, in the form's order, for the pages."""
    scale = dict(services.RATINGS)
    ratings = feedback.function_ratings
    changed = dict(services.WHAT_CHANGED)
    return {
        "feedback": feedback,
        "as_mentee": feedback.person_id == feedback.mentorship.mentee_id,
        "ratings": [
            (label, scale.get(ratings[code], services.NOT_APPLICABLE))
            for code, label in MENTORSHIP_FUNCTIONS
            if code in ratings
        ],
        "reflections": [
            (label, feedback.attribute_reflections.get(code, "")) for code, label in ATTRIBUTES
        ],
        "what_changed": [changed[code] for code in feedback.what_changed if code in changed],
    }


# --- Feedback ---------------------------------------------------------------------------


@shows_service_errors("mentorship:mentorship_detail", "pk")
@login_required
def give_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the two people gives feedback once the mentorship has ended, or sees what they
    gave."""
    mentorship = party_mentorship(request, pk)
    own = Feedback.objects.filter(mentorship=mentorship, person=request.user).first()
    if own is not None:
        if request.method == "POST":
            raise InvalidTransition(
                "You have already given feedback on this mentorship. Thank you."
            )
        context = {"mentorship": mentorship, "other": mentorship.other_party(request.user)}
        return render(request, "journey/feedback_own.html", {**context, **answers(own)})
    if not services.feedback_is_open(mentorship):
        raise InvalidTransition("You can give feedback once the mentorship has ended.")
    form = FeedbackForm(
        request.POST if request.method == "POST" else None,
        mentorship=mentorship,
        person=request.user,
    )
    if request.method == "POST":
        if form.is_valid():
            services.give_feedback(mentorship, by=request.user, **form.answers())
            messages.success(request, "Thank you. Your feedback has been sent.")
            return redirect("journey:give_feedback", pk=pk)
        status = 400
    else:
        status = 200
    return render(
        request,
        "journey/feedback_form.html",
        {"mentorship": mentorship, "form": form, "other": form.other},
        status=status,
    )


@login_required
def shared_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """The other person's feedback, only if they shared it."""
    mentorship = party_mentorship(request, pk)
    other = mentorship.other_party(request.user)
    feedback = Feedback.objects.filter(mentorship=mentorship, person=other).first()
    if feedback is None or not services.may_read_feedback(request.user, feedback):
        raise Http404("No shared feedback.")
    context = {"mentorship": mentorship, "other": other, **answers(feedback)}
    return render(request, "journey/feedback_shared.html", context)


@login_required
def team_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme team reads both people's feedback, shared or not."""
    mentorship = team_mentorship(request, pk)
    given = {f.person_id: f for f in Feedback.objects.filter(mentorship=mentorship)}
    people = [("Mentee", mentorship.mentee), ("Mentor", mentorship.mentor)]
    entries = [
        {
            "role": role,
            "person": person,
            **(answers(given[person.pk]) if person.pk in given else {"feedback": None}),
        }
        for role, person in people
    ]
    return render(
        request, "journey/feedback_team.html", {"mentorship": mentorship, "entries": entries}
    )


# --- Certificates -----------------------------------------------------------------------


@shows_service_errors("mentorship:mentorship_detail", "pk")
@login_required
def download_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's own certificate, issued the first time they ask for it."""
    mentorship = party_mentorship(request, pk)
    certificate = services.issue_certificate(mentorship, request.user)
    response = HttpResponse(certificates.render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificates.filename(certificate)}"'
    return response


# Checks per address in VERIFY_WINDOW seconds before the page asks the person to wait: enough
# for an employer checking a pile of certificates, too few to guess codes (32^12 of them).
VERIFY_LIMIT = 30
VERIFY_WINDOW = 10 * 60


def _too_many_checks(request: HttpRequest) -> bool:
    try:
        address = get_account_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        address = request.META.get("REMOTE_ADDR", "-")
    key = f"verify-certificate:{address}"
    cache.add(key, 0, timeout=VERIFY_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # the cache is down (counts fail open) or the key just expired
        count = 1
    return count > VERIFY_LIMIT


def verify_certificate(request: HttpRequest) -> HttpResponse:
    """Public: anyone with a certificate's code can check that it is genuine. A wrong code is
    "not found", whatever the reason."""
    form = VerifyCertificateForm(request.GET if "code" in request.GET else None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if form.is_bound and form.is_valid():
        if _too_many_checks(request):
            form.add_error(
                "code", "You have checked too many codes. Wait 10 minutes, then try again."
            )
            status = 429
        else:
            certificate = certificates.find_by_code(form.cleaned_data["code"])
            context.update(_verified(certificate) if certificate else {"not_found": True})
    elif form.is_bound:
        status = 400
    return render(request, "journey/verify_certificate.html", context, status=status)


def _verified(certificate: Certificate) -> dict[str, Any]:
    return {
        "certificate": certificate,
        "role": certificates.role_of(certificate),
        "confirmed_time": certificates.confirmed_time(certificate.confirmed_minutes),
    }


urlpatterns = [
    path("mentorships/<int:pk>/feedback/", give_feedback, name="give_feedback"),
    path("mentorships/<int:pk>/feedback/shared/", shared_feedback, name="shared_feedback"),
    path("mentorships/<int:pk>/feedback/team/", team_feedback, name="team_feedback"),
    path("mentorships/<int:pk>/certificate/", download_certificate, name="download_certificate"),
    path("certificates/verify/", verify_certificate, name="verify_certificate"),
]
