"""Domain errors become pages in one place: a view decorated with `shows_service_errors`
lets a ServiceError escape, and the person sees its message with its status code (400, 403,
409 or 503) and a link back. Nothing was changed: the service's transaction rolled back."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ..services import ServiceError


def problem(request: HttpRequest, error: ServiceError, *, back_url: str) -> HttpResponse:
    """A rule said no: say why, change nothing, and offer the way back."""
    return render(
        request,
        "mentorship/problem.html",
        {"message": error.message, "back_url": back_url},
        status=error.status_code,
    )


def shows_service_errors(back: str, *url_kwargs: str) -> Callable:
    """Turn a ServiceError raised by the view into the problem page; the way back is the
    URL named `back`, reversed with the view's own `url_kwargs` (e.g. "slug", "pk")."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except ServiceError as error:
                back_url = reverse(back, args=[kwargs[name] for name in url_kwargs])
                return problem(request, error, back_url=back_url)

        return wrapper

    return decorator
