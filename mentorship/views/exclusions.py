"""The mentee's list of people who must not be their mentor."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import mentee_required

from .. import services
from ..forms.exclusions import ExclusionForm
from ..models import Exclusion
from .errors import shows_service_errors


def _render(request: HttpRequest, form: ExclusionForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "exclusions": Exclusion.objects.filter(mentee=request.user)}
    return render(request, "mentorship/exclusions.html", context, status=status)


@shows_service_errors("mentorship:exclusions")
@require_http_methods(["GET", "POST"])
@mentee_required
def exclusions(request: HttpRequest) -> HttpResponse:
    """List the people the mentee has named, and name another."""
    if request.method == "GET":
        return _render(request, ExclusionForm())
    form = ExclusionForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    services.add_exclusion(request.user, **form.cleaned_data)
    messages.success(
        request,
        f"{form.cleaned_data['name']} will not be shown, suggested or asked to mentor you.",
    )
    return redirect("mentorship:exclusions")


@shows_service_errors("mentorship:exclusions")
@require_POST
@mentee_required
def remove_exclusion(request: HttpRequest, pk: int) -> HttpResponse:
    exclusion = get_object_or_404(Exclusion.objects.filter(mentee=request.user), pk=pk)
    services.remove_exclusion(exclusion, by=request.user)
    messages.success(request, f"You removed {exclusion.name} from your list.")
    return redirect("mentorship:exclusions")
