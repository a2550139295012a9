"""Delete my account: what will happen and what is kept, then the password (and a code
from the authenticator, for people who have one), then erasure and sign-out."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from mentorship.views.errors import shows_service_errors

from . import erasure
from .forms import DeleteAccountForm


@never_cache
@login_required
@shows_service_errors("account_settings")
def delete_account(request: HttpRequest) -> HttpResponse:
    # Bound on every POST, even an empty one: someone without a password or an authenticator
    # confirms with no fields at all.
    form = DeleteAccountForm(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        erasure.erase_person(request.user, by=request.user, reason=erasure.SELF_SERVICE_REASON)
        logout(request)  # its session row is already gone with the others
        return redirect("privacy:account_deleted")
    context = {
        "form": form,
        "preview": erasure.preview_erasure(request.user),
        "retention_days": settings.RETENTION_DAYS,
    }
    return render(
        request, "privacy/delete_account.html", context, status=400 if form.errors else 200
    )


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(
        request, "privacy/delete_done.html", {"contact_email": settings.PRIVACY_CONTACT_EMAIL}
    )
