"""A programme's settings page, for its managers. A change of matching weights is previewed
first (nothing is saved until the manager confirms it); every saved change is logged and
listed at the foot of the page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.permissions import manager_required

from ..forms.programme_settings import ProgrammeSettingsForm
from ..models import Event, Programme
from ..services import programme_settings as settings_service
from ..weights_preview import preview_weights
from .errors import shows_service_errors
from .lookups import managed_programme_or_404

HISTORY_LENGTH = 50


def _render_form(
    request: HttpRequest, programme: Programme, form: ProgrammeSettingsForm, status: int = 200
) -> HttpResponse:
    history = (
        Event.objects.in_programme(programme)
        .about_programme()
        .select_related("actor")
        .order_by("-created_at", "-pk")[:HISTORY_LENGTH]
    )
    context = {"programme": programme, "form": form, "history": history}
    return render(request, "mentorship/manage/settings.html", context, status=status)


@shows_service_errors("manage:settings", "slug")
@require_http_methods(["GET", "POST"])
@manager_required
def programme_settings(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    if request.method == "GET":
        return _render_form(request, programme, ProgrammeSettingsForm(programme=programme))
    form = ProgrammeSettingsForm(request.POST, programme=programme)
    if not form.is_valid():
        return _render_form(request, programme, form, status=400)
    step = request.POST.get("step")
    if step == "edit":  # back from the preview, with what they typed
        return _render_form(request, programme, form)
    values = form.values()
    settings_service.check_not_stale(programme, form.cleaned_data["version"], by=request.user)
    changes = settings_service.describe_changes(programme, values)
    if not changes:
        messages.info(request, "You did not change any settings, so nothing was saved.")
        return redirect("manage:settings", slug=slug)
    if settings_service.changes_weights(changes) and step != "confirm":
        context = {
            "programme": programme,
            "form": form,
            "changes": changes,
            "preview": preview_weights(programme, values),
        }
        return render(request, "mentorship/manage/settings_preview.html", context)
    settings_service.change_programme_settings(
        programme, values, by=request.user, version=form.cleaned_data["version"]
    )
    count = len(changes)
    messages.success(request, f"You changed {count} setting{'s' if count != 1 else ''}.")
    return redirect("manage:settings", slug=slug)
