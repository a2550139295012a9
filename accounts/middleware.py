from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from .permissions import has_mfa, redirect_to_mfa_setup


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
