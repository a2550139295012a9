"""Each role's home page. The profiles issue fills them with directories and queues."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import manager_required, mentee_required, mentor_required

from .models import Programme


@mentee_required
def mentee_home(request: HttpRequest) -> HttpResponse:
    return render(request, "mentorship/mentee_home.html")


@mentor_required
def mentor_home(request: HttpRequest) -> HttpResponse:
    return render(request, "mentorship/mentor_home.html")


@manager_required
def manager_home(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.managed_by(request.user)
    return render(request, "mentorship/manager_home.html", {"programmes": programmes})
