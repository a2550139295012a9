from django.contrib import admin

from .models import MenteeProfile, MentorProfile, Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "slug", "created_at"]
    search_fields = ["name", "organisation", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["managers"]


@admin.register(MenteeProfile)
class MenteeProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "updated_at"]
    search_fields = ["user__full_name", "user__email"]
    raw_id_fields = ["user"]


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "job_title", "organisation", "created_at"]
    search_fields = ["user__full_name", "user__email", "job_title", "organisation"]
    raw_id_fields = ["user"]
