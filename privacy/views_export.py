"""Download my data: the page that asks for a copy and shows how it stands, and the file."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.permissions import must_set_up_mfa, redirect_to_mfa_setup
from mentorship.views.errors import shows_service_errors

from .export import service
from .models import DataExport


@require_http_methods(["GET", "POST"])
@login_required
@shows_service_errors("privacy:export")
def export(request: HttpRequest) -> HttpResponse:
    # A manager's file holds the emails they were sent about other doctors (alerts, digests):
    # like every page with other people's data, it waits for their authenticator.
    if must_set_up_mfa(request.user):
        return redirect_to_mfa_setup(request)
    if request.method == "POST":
        service.request_export(request.user)
        messages.success(
            request, "You asked for a copy of your data. We email you when it is ready."
        )
        return redirect("privacy:export")
    latest = DataExport.objects.of(request.user).defer("content").latest_first().first()
    return render(
        request,
        "privacy/export.html",
        {
            "export": latest,
            "state": latest.state() if latest else "none",
            "link_hours": settings.DATA_EXPORT_LINK_HOURS,
            "privacy_contact": settings.PRIVACY_CONTACT_EMAIL,
        },
    )


@require_http_methods(["GET"])
@login_required
def export_file(request: HttpRequest, pk: int) -> HttpResponse:
    if must_set_up_mfa(request.user):
        return redirect_to_mfa_setup(request)
    found = get_object_or_404(DataExport.objects.of(request.user).defer("content"), pk=pk)
    # Read the bytes only once the file is known to be downloadable (they can be megabytes);
    # the hourly job may empty them in between, which reads as expired too.
    content = found.is_downloadable() and found.stored_bytes()
    if not content:
        messages.info(request, "That file has expired and been deleted. Ask for a new copy.")
        return redirect("privacy:export")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response
