from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import (
    Action,
    Event,
    Exclusion,
    Goal,
    Language,
    MenteeGoal,
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    MentorProfile,
    MentorRequest,
    Mentorship,
    OutboxEmail,
    Programme,
    Region,
    Specialty,
    SpecialtyFamily,
)


class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        # Codes are what the matching engine and saved profiles refer to: fixed once made.
        return ["code"] if obj else []


@admin.register(SpecialtyFamily, Goal, Region, Language)
class SimpleReferenceAdmin(ReferenceAdmin):
    pass


@admin.register(Specialty)
class SpecialtyAdmin(ReferenceAdmin):
    list_display = ["name", "code", "family", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["family", "is_active"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organisation",
        "is_open",
        "requires_approval",
        "duration_weeks",
        "created_at",
    ]
    list_filter = ["is_open", "requires_approval"]
    search_fields = ["name", "organisation", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["managers"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "organisation", "description", "managers"]}),
        (
            "How it runs",
            {
                "fields": [
                    "duration_weeks",
                    "meeting_cadence",
                    "requires_approval",
                    "is_open",
                    "max_open_requests",
                    "request_expiry_days",
                ]
            },
        ),
        (
            "Matching weights",
            {
                "fields": [
                    "weight_specialty",
                    "weight_goals",
                    "weight_region",
                    "weight_format",
                    "weight_img_experience",
                    "weight_capacity",
                ]
            },
        ),
    ]

    def save_model(self, request: HttpRequest, obj: Programme, form, change: bool) -> None:
        """A change made here is logged like one made on the managers' settings page: who,
        when, and each setting's old and new value."""
        from .services.programme_settings import current_settings, describe_changes

        before = Programme.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if before is None:
            return
        changes = describe_changes(before, current_settings(obj))
        if changes:
            Event.log_programme_action(
                obj,
                Action.SETTINGS_CHANGED,
                by=request.user,
                note="Changed in the site administration.",
                changes=[c.as_dict() for c in changes],
            )


class EventInline(admin.TabularInline):
    """The typed event log, read-only: it is written by the services only."""

    model = Event
    fk_name = ""
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False


def _inline_for(field: str) -> type[EventInline]:
    return type(f"{field.title().replace('_', '')}EventInline", (EventInline,), {"fk_name": field})


def _call_each(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, action, done: str
) -> None:
    """Run one service per selected row; a rule that says no is reported, not raised."""
    changed = 0
    for obj in queryset:
        try:
            action(obj)
        except services.ServiceError as error:
            model_admin.message_user(request, f"{obj}: {error.message}", messages.WARNING)
        else:
            changed += 1
    if changed:
        model_admin.message_user(request, f"{changed} {done}.", messages.SUCCESS)


class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "status", "created_at", "decided_at"]
    list_filter = ["status", "programme"]
    search_fields = ["user__full_name", "user__email", "programme__name"]
    raw_id_fields = ["user"]
    # Decisions go through the services (the actions below), so each is checked and logged.
    readonly_fields = ["status", "decided_by", "decided_at", "created_at", "updated_at"]

    @admin.action(description="Remove the selected people from their programme")
    def remove(self, request: HttpRequest, queryset: QuerySet) -> None:
        _call_each(
            self,
            request,
            queryset,
            lambda m: services.remove_from_programme(m, by=request.user, note="By site staff."),
            "removed",
        )


@admin.register(MenteeMembership)
class MenteeMembershipAdmin(MembershipAdmin):
    inlines = [_inline_for("mentee_membership")]
    # Declining needs a reason the person reads: that is done on the manager's pages.
    actions = ["accept", "remove"]

    @admin.action(description="Accept the selected applications")
    def accept(self, request: HttpRequest, queryset: QuerySet) -> None:
        _call_each(
            self,
            request,
            queryset,
            lambda m: services.decide_mentee_application(m, by=request.user, accept=True),
            "accepted",
        )


@admin.register(MentorMembership)
class MentorMembershipAdmin(MembershipAdmin):
    inlines = [_inline_for("mentor_membership")]
    actions = ["approve", "remove"]

    @admin.action(description="Approve the selected mentors (vetted)")
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        _call_each(
            self,
            request,
            queryset,
            lambda m: services.decide_mentor_application(m, by=request.user, approve=True),
            "approved",
        )


class MenteeGoalInline(admin.TabularInline):
    model = MenteeGoal
    extra = 0
    ordering = ["rank"]


@admin.register(MenteeProfile)
class MenteeProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "target_specialty",
        "grade",
        "region",
        "qualification_country",
        "updated_at",
    ]
    list_filter = ["grade", "target_specialty", "region"]
    search_fields = ["user__full_name", "user__email", "gmc_number"]
    raw_id_fields = ["user"]
    filter_horizontal = ["languages"]
    inlines = [MenteeGoalInline]


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "job_title",
        "organisation",
        "primary_specialty",
        "capacity",
        "is_accepting_requests",
        "is_img",
    ]
    list_filter = ["is_accepting_requests", "is_img", "primary_specialty", "region"]
    search_fields = ["user__full_name", "user__email", "job_title", "organisation", "gmc_number"]
    raw_id_fields = ["user"]
    filter_horizontal = ["other_specialties", "goals", "languages"]
    # Pausing goes through the service, like the mentor's own switch.
    readonly_fields = ["is_accepting_requests", "paused_automatically_at"]
    actions = ["pause", "restart"]

    @admin.action(description="Pause new requests for the selected mentors")
    def pause(self, request: HttpRequest, queryset: QuerySet) -> None:
        _call_each(
            self,
            request,
            queryset,
            lambda p: services.set_accepting_requests(p, by=request.user, accepting=False),
            "paused",
        )

    @admin.action(description="Restart new requests for the selected mentors")
    def restart(self, request: HttpRequest, queryset: QuerySet) -> None:
        _call_each(
            self,
            request,
            queryset,
            lambda p: services.set_accepting_requests(p, by=request.user, accepting=True),
            "restarted",
        )


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "programme", "status", "started_on", "planned_end_on"]
    list_filter = ["status", "programme"]
    search_fields = ["mentee__full_name", "mentor__full_name", "programme__name"]
    raw_id_fields = ["mentee", "mentor"]
    readonly_fields = [
        "programme",
        "mentee",
        "mentor",
        "request",
        "status",
        "started_on",
        "ended_on",
        "ended_by",
        "end_reason",
        "created_at",
        "updated_at",
    ]
    inlines = [_inline_for("mentorship")]
    actions = ["complete"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # mentorships start from an approved request

    @admin.action(description="Mark the selected mentorships as completed")
    def complete(self, request: HttpRequest, queryset: QuerySet) -> None:
        _call_each(
            self,
            request,
            queryset,
            lambda m: services.end_mentorship(m, by=request.user, completed=True),
            "completed",
        )


@admin.register(Exclusion)
class ExclusionAdmin(admin.ModelAdmin):
    """Staff see that a mentee named someone, not who or why: that is the mentee's alone."""

    list_display = ["mentee", "created_at"]
    fields = ["mentee", "created_at"]
    readonly_fields = fields
    search_fields = ["mentee__full_name", "mentee__email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(MentorRequest)
class MentorRequestAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "programme", "status", "score", "created_at", "expires_at"]
    list_filter = ["status", "programme"]
    search_fields = [
        "mentee__full_name",
        "mentee__email",
        "mentor__full_name",
        "mentor__email",
        "programme__name",
    ]
    raw_id_fields = ["mentee", "mentor", "manager_approved_by"]
    # State changes go through the services (the pages), so that every one is recorded.
    readonly_fields = [
        "status",
        "score",
        "reasons",
        "created_at",
        "updated_at",
        "decided_at",
        "manager_approved_at",
        "manager_approved_by",
        "reminded_at",
    ]
    inlines = [_inline_for("request")]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "to_email",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject", "object_key"]
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]
    actions = ["retry_selected"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the selected failed or uncertain emails again")
    def retry_selected(self, request, queryset):
        """Failed emails are sent again at once; uncertain ones (they may have arrived) only
        after the confirmation page; sent, pending and sending ones never."""
        from django.contrib import messages
        from django.contrib.admin import helpers
        from django.template.response import TemplateResponse

        from .outbox import retry

        selected = list(queryset)
        uncertain = [row for row in selected if row.status == OutboxEmail.Status.UNCERTAIN]
        confirmed = request.POST.get("confirm_uncertain") == "yes"
        if uncertain and not confirmed:
            return TemplateResponse(
                request,
                "admin/mentorship/outboxemail/retry_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Send uncertain emails again?",
                    "opts": self.model._meta,
                    "uncertain": uncertain,
                    "failed": [r for r in selected if r.status == OutboxEmail.Status.FAILED],
                    "selected": selected,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        count = retry(selected, include_uncertain=confirmed)
        self.message_user(request, f"{count} email(s) queued to send again.")
        if count < len(selected):
            self.message_user(
                request,
                f"{len(selected) - count} email(s) left as they were: only failed or uncertain "
                "emails can be sent again.",
                level=messages.WARNING,
            )
