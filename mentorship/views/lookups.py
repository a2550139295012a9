"""Lookups shared by the managers' pages: every one is scoped to the person, so a guessed
slug or id of someone else's programme is a 404."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from ..models import Programme


def managed_programme_or_404(request: HttpRequest, slug: str) -> Programme:
    """A programme the signed-in person manages, or 404."""
    return get_object_or_404(Programme.objects.managed_by(request.user), slug=slug)
