from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from .permissions import has_mfa, mfa_required, redirect_to_mfa_setup

security_log = logging.getLogger("security")


class StaffMFAMiddleware:
    """Staff must set up MFA before they use the admin (Django's admin views are not ours
    to decorate, so the rule is enforced here, on the admin's URL prefix)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith(reverse("admin:index"))
            and not has_mfa(user)
        ):
            return redirect_to_mfa_setup(request)
        return self.get_response(request)


class NoStoreWhenSignedInMiddleware:
    """Every response to a signed-in person says `Cache-Control: no-store` (ASVS 8.2.1).

    Their pages carry personal data (profiles, GMC numbers, requests, check-ins); no browser
    history, shared computer or proxy may keep a copy. Public pages and static files (served
    by WhiteNoise before this runs) stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        already = "no-store" in response.get("Cache-Control", "").lower()
        if user is not None and user.is_authenticated and not already:
            # no-store, no-cache, must-revalidate, private, max-age=0 and an Expires in the
            # past: what Django's never_cache sends, for old proxies as well as browsers. A
            # view that already said no-store (a polled status page) is left as it is.
            add_never_cache_headers(response)
        return response


# Session keys: when the person was last seen (a Unix time, in whole seconds), and whether the
# idle timeout applies to them (worked out when last seen is written, so not per request).
LAST_SEEN_KEY = "_last_seen"
IDLE_TIMEOUT_APPLIES_KEY = "_idle_timeout_applies"
# Activity is written at most this often: a page view does not write the session every time.
ACTIVITY_WRITE_SECONDS = 60
SIGNED_OUT_FOR_INACTIVITY = (
    "You were signed out because you had not used {site} for {minutes} minutes. "
    "Sign in again to carry on."
)


def idle_timeout_seconds() -> int:
    return settings.IDLE_TIMEOUT_MINUTES * 60


class IdleTimeoutMiddleware:
    """Managers and staff are signed out after IDLE_TIMEOUT_MINUTES without a request; the
    sign-in page then says why. Everyone else keeps the normal session age.

    The last request's time is written at most once a minute (with the matching row of the
    "where you are signed in" list), so a person is signed out between the timeout and a
    minute after it: never early. Runs after the session, authentication and messages.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = int(timezone.now().timestamp())
        last_seen = session.get(LAST_SEEN_KEY)
        if isinstance(last_seen, int) and session.get(IDLE_TIMEOUT_APPLIES_KEY):
            # `last_seen` may be up to a minute older than the last request (see above).
            if now - last_seen > idle_timeout_seconds() + ACTIVITY_WRITE_SECONDS:
                return self._sign_out(request)
        if not isinstance(last_seen, int) or now - last_seen >= ACTIVITY_WRITE_SECONDS:
            session[LAST_SEEN_KEY] = now
            session[IDLE_TIMEOUT_APPLIES_KEY] = mfa_required(user)
            record_session_activity(request)
        return self.get_response(request)

    def _sign_out(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        security_log.info("idle_timeout user=%s", user.pk)
        logout(request)
        # Messages live in a cookie first (Django's FallbackStorage), so this survives the
        # new, empty session.
        messages.info(
            request,
            SIGNED_OUT_FOR_INACTIVITY.format(
                site=settings.SITE_NAME, minutes=settings.IDLE_TIMEOUT_MINUTES
            ),
        )
        # Back where they were after signing in again. A form they were posting is not
        # replayed: its CSRF token belonged to the old session.
        return redirect_to_login(request.get_full_path())


def start_activity(request: HttpRequest, user: object) -> None:
    """At sign-in: the session starts as seen now, so its first page writes nothing more
    (allauth's sign-in has just created its row in the list)."""
    request.session[LAST_SEEN_KEY] = int(timezone.now().timestamp())
    request.session[IDLE_TIMEOUT_APPLIES_KEY] = mfa_required(user)


def record_session_activity(request: HttpRequest) -> None:
    """Keep this session's row in the "where you are signed in" list up to date: its last
    seen time, or the row itself for a session that began without allauth's sign-in."""
    from allauth.usersessions.models import UserSession

    if not request.session.session_key:
        return
    updated = UserSession.objects.filter(session_key=request.session.session_key).update(
        last_seen_at=timezone.now()
    )
    if not updated:
        try:
            UserSession.objects.create_from_request(request)
        except (PermissionDenied, ImproperlyConfigured):
            # No trustworthy client address (behind a misconfigured proxy): the list misses
            # this session rather than the person missing their page.
            pass
