from __future__ import annotations

import copy
import logging
from typing import Any

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mentorship.services import mentors as mentor_services
from mentorship.views.errors import shows_service_errors

from . import names
from .forms import NameForm
from .permissions import Role, has_mfa, is_mentor, mfa_required, roles_of

log = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "accounts/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """What to do next, for each role the person holds."""
    user = request.user
    context = {
        "roles": roles_of(user),
        "needs_mfa": mfa_required(user) and not has_mfa(user),
    }
    return render(request, "accounts/dashboard.html", context)


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    """The person's account: name, sign-in, roles (add one, stop mentoring), sessions."""
    roles = roles_of(request.user)
    context = {
        "has_mfa": has_mfa(request.user),
        "is_mentee": Role.MENTEE in roles,
        "is_mentor": Role.MENTOR in roles,
        "idle_timeout_applies": mfa_required(request.user),
        "idle_timeout_minutes": settings.IDLE_TIMEOUT_MINUTES,
    }
    return render(request, "accounts/settings.html", context)


@login_required
def change_name(request: HttpRequest) -> HttpResponse:
    # A copy: the form fills its instance in as it cleans, and request.user must keep the
    # saved name (the header shows it) if the form has an error.
    form = NameForm(request.POST or None, instance=copy.copy(request.user))
    if request.method == "POST" and form.is_valid():
        names.change_name(
            request.user,
            by=request.user,
            full_name=form.cleaned_data["full_name"],
            title=form.cleaned_data["title"],
        )
        messages.success(request, "Your name is saved.")
        return redirect("account_settings")
    return render(request, "accounts/name_form.html", {"form": form})


@login_required
@shows_service_errors("account_settings")
def stop_mentoring(request: HttpRequest) -> HttpResponse:
    """What stopping means for them, then the button; refused while they have mentees."""
    if not is_mentor(request.user):
        return redirect("account_settings")
    if request.method == "POST":
        closed = mentor_services.stop_mentoring(request.user, by=request.user)
        messages.success(request, _stopped_message(closed))
        return redirect("account_settings")
    return render(request, "accounts/stop_mentoring.html", _mentoring_now(request.user))


def _mentoring_now(user: Any) -> dict[str, Any]:
    """What stopping would change, for the confirmation page."""
    from mentorship.models import MentorMembership, MentorRequest, Mentorship

    active = Mentorship.objects.active().filter(mentor=user).count()
    programmes = (
        MentorMembership.objects.filter(user=user)
        .exclude(status=MentorMembership.Status.REMOVED)
        .select_related("programme")
        .order_by("programme__name")
    )
    return {
        "active_count": active,
        "refusal": mentor_services.still_mentoring_message(active) if active else "",
        "open_request_count": MentorRequest.objects.open().filter(mentor=user).count(),
        "programmes": [membership.programme for membership in programmes],
    }


def _stopped_message(closed: int) -> str:
    if not closed:
        return "You have stopped mentoring. Your mentor profile has been removed."
    requests = "1 request" if closed == 1 else f"{closed} requests"
    return (
        f"You have stopped mentoring. Your mentor profile has been removed, and {requests} "
        "waiting for you closed. Each mentee has been told."
    )


class SignupView(allauth_views.SignupView):
    """allauth's sign-up in one transaction: the account, its address and its verification
    email (an outbox row) are saved together or not at all."""

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            return super().form_valid(form)


signup = SignupView.as_view()


class EmailView(allauth_views.EmailView):
    """allauth's email addresses page, with the actions each address allows worked out here:
    the only address has none (it is the main one, and cannot be removed)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["addresses"] = [
            {"address": address, "actions": _email_actions(address)}
            for address in context["emailaddresses"]
        ]
        return context


def _email_actions(address: Any) -> list[dict[str, str]]:
    """What can be done to one address, as allauth's form names the actions."""
    actions = []
    if not address.verified:
        actions.append({"name": "action_send", "label": "Send the link again"})
    elif not address.primary:
        actions.append({"name": "action_primary", "label": "Make this your main address"})
    if not address.primary:
        actions.append({"name": "action_remove", "label": "Remove"})
    return actions


email = EmailView.as_view()


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/about.html")


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice: who the controller is and the figures it promises, from settings."""
    retention = settings.RETENTION_DAYS
    context = {
        "controller_name": settings.PRIVACY_CONTROLLER_NAME,
        "controller_address": settings.PRIVACY_CONTROLLER_ADDRESS,
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        "dpo_email": settings.PRIVACY_DPO_EMAIL,
        "retention": {kind: days_in_words(days) for kind, days in retention.items()},
        "export_link_hours": settings.DATA_EXPORT_LINK_HOURS,
        "idle_timeout_minutes": settings.IDLE_TIMEOUT_MINUTES,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "messages_cookie": "messages",  # Django's CookieStorage name, not a setting
    }
    return render(request, "accounts/privacy.html", context)


def days_in_words(days: int) -> str:
    """2190 -> "6 years", 365 -> "1 year", 90 -> "90 days": whole years when they are."""
    if days >= 365 and days % 365 == 0:
        years = days // 365
        return "1 year" if years == 1 else f"{years} years"
    return "1 day" if days == 1 else f"{days} days"


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/accessibility.html")


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and (if configured) Redis answer, else 503. No details leak."""
    checks: dict[str, str] = {}
    healthy = True
    for name, check in (("database", _check_database), ("redis", _check_redis)):
        try:
            checks[name] = check()
        except Exception:  # any failure means unhealthy; the log has the details
            log.exception("health check failed: %s", name)
            checks[name] = "unavailable"
            healthy = False
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
