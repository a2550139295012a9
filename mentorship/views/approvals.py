"""The programme manager's approval queue: requests mentors have accepted."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.permissions import manager_required

from ..models import MentorRequest, Programme


@manager_required
def approval_queue(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.managed_by(request.user), slug=slug)
    waiting = (
        MentorRequest.objects.filter(programme=programme, status=MentorRequest.Status.ACCEPTED)
        .select_related("mentee", "mentor")
        .order_by("updated_at", "pk")
    )
    context = {"programme": programme, "waiting": waiting}
    return render(request, "mentorship/manage/approvals.html", context)
