from django.contrib import admin

from .models import BulkApproval, MatchProposal, MatchRun


class MatchProposalInline(admin.TabularInline):
    model = MatchProposal
    fields = ("mentee", "mentor", "score", "status", "unmatched_reason", "message", "request")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "programme",
        "method",
        "status",
        "created_by",
        "created_at",
        "mentee_count",
        "matched_count",
        "unmatched_count",
        "place_count",
        "total_seconds",
    )
    list_filter = ("status", "method", "programme")
    search_fields = ("programme__name", "programme__slug", "created_by__email", "error")
    date_hierarchy = "created_at"
    list_select_related = ("programme", "created_by")
    readonly_fields = (
        "programme",
        "created_by",
        "method",
        "weights",
        "status",
        "progress",
        "error",
        "load_seconds",
        "assign_seconds",
        "save_seconds",
        "mentee_count",
        "mentor_count",
        "place_count",
        "matched_count",
        "unmatched_count",
        "created_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
    )
    inlines = [MatchProposalInline]

    def has_add_permission(self, request) -> bool:
        return False  # runs start from the programme's matching page, in a Celery task


@admin.register(MatchProposal)
class MatchProposalAdmin(admin.ModelAdmin):
    list_display = ("pk", "run", "mentee", "mentor", "score", "status", "decided_at")
    list_filter = ("status", "run__programme")
    search_fields = (
        "mentee__full_name",
        "mentee__email",
        "mentor__full_name",
        "mentor__email",
        "unmatched_reason",
        "message",
    )
    list_select_related = ("run__programme", "mentee", "mentor")
    raw_id_fields = ("run", "mentee", "mentor", "request", "decided_by")
    readonly_fields = (
        "run",
        "mentee",
        "mentor",
        "score",
        "reasons",
        "target_specialty",
        "bulk_approval",
    )


@admin.register(BulkApproval)
class BulkApprovalAdmin(admin.ModelAdmin):
    """Read-only: approvals start from the run's page and run in a Celery task."""

    list_display = (
        "pk",
        "run",
        "status",
        "created_by",
        "total",
        "approved_count",
        "failed_count",
        "restarts",
        "created_at",
        "heartbeat_at",
    )
    list_filter = ("status", "run__programme")
    list_select_related = ("run__programme", "created_by")
    readonly_fields = [f.name for f in BulkApproval._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
