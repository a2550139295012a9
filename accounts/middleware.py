from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

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
