"""The erasure log and the retention runs, read-only in the admin; and staff's action on a
user: "Erase this person's data (on request)", with a confirmation page and a reason."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from accounts.admin import UserAdmin
from accounts.models import User
from mentorship.services.errors import ServiceError

from . import erasure
from .forms import StaffErasureForm
from .models import ErasureRecord, RetentionRun


class ReadOnlyLog(admin.ModelAdmin):
    """A log is read, never written or deleted by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyLog):
    list_display = ["created_at", "user_id", "by", "by_staff", "reason"]
    list_filter = ["by_staff"]
    fields = ["created_at", "user", "by", "by_staff", "reason", "counts"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyLog):
    list_display = ["started_at", "finished_at", "status", "total"]
    list_filter = ["status"]
    fields = ["started_at", "finished_at", "status", "counts", "error"]


@admin.action(description="Erase this person's data (on request)", permissions=["change"])
def erase_on_request(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any
) -> HttpResponse | None:
    """One person at a time: a confirmation page says what will happen and asks why."""
    if queryset.count() != 1:
        modeladmin.message_user(
            request, "Select one person to erase at a time.", level=messages.ERROR
        )
        return None
    person = queryset.get()
    form = StaffErasureForm(request.POST if "confirm" in request.POST else None)
    if form.is_valid():
        try:
            erasure.erase_person(person, by=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            modeladmin.message_user(request, error.message, level=messages.ERROR)
            return None
        modeladmin.message_user(
            request, f"User {person.pk}'s data has been erased. The erasure log records it."
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Erase this person's data",
        "person": person,
        "already_erased": erasure.is_erased(person),
        "preview": erasure.preview_erasure(person),
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "privacy/delete_admin_confirm.html", context)


# The user admin lives in accounts/admin.py; the erasure action is this app's, so it is
# added here (accounts comes before privacy in INSTALLED_APPS, so this runs after).
admin.site.unregister(User)


@admin.register(User)
class UserWithErasureAdmin(UserAdmin):
    actions = [*(UserAdmin.actions or []), erase_on_request]
