from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..services import ServiceError


def problem(request: HttpRequest, error: ServiceError, *, back_url: str) -> HttpResponse:
    """A rule said no: say why, change nothing, and offer the way back (403 or 409)."""
    return render(
        request,
        "mentorship/problem.html",
        {"message": error.message, "back_url": back_url},
        status=error.status_code,
    )
