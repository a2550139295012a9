from django.contrib import admin

from .models import (
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
    RequestEvent,
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


@admin.register(MenteeMembership)
class MenteeMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "status", "created_at", "decided_at"]
    list_filter = ["status", "programme"]
    search_fields = ["user__full_name", "user__email", "programme__name"]
    raw_id_fields = ["user", "decided_by"]


@admin.register(MentorMembership)
class MentorMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "status", "created_at", "decided_at"]
    list_filter = ["status", "programme"]
    search_fields = ["user__full_name", "user__email", "programme__name"]
    raw_id_fields = ["user", "decided_by"]


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


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "programme", "status", "started_on", "planned_end_on"]
    list_filter = ["status", "programme"]
    search_fields = ["mentee__full_name", "mentor__full_name", "programme__name"]
    raw_id_fields = ["mentee", "mentor"]


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False  # the timeline is written by the services only


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
    inlines = [RequestEventInline]


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
        from .outbox import retry

        count = retry(queryset)
        self.message_user(request, f"{count} email(s) queued to send again.")
