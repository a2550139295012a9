from django.urls import path

from .views import activity, approvals, attention, dashboard, imports, manage, programme_settings

app_name = "manage"

urlpatterns = [
    path("", manage.programme_list, name="home"),
    path("dashboard/", dashboard.all_programmes_dashboard, name="dashboard_all"),
    path("<slug:slug>/", manage.programme_detail, name="programme"),
    path("<slug:slug>/settings/", programme_settings.programme_settings, name="settings"),
    path("<slug:slug>/applicants/", manage.applicant_list, name="applicants"),
    path("<slug:slug>/applicants/<int:pk>/", manage.applicant_detail, name="applicant"),
    path("<slug:slug>/applicants/<int:pk>/notes/", manage.applicant_notes, name="applicant_notes"),
    path("<slug:slug>/mentors/", manage.mentor_list, name="mentors"),
    path("<slug:slug>/mentors/invite/", manage.invite_mentor, name="invite_mentor"),
    path("<slug:slug>/mentors/<int:pk>/", manage.mentor_detail, name="mentor"),
    path("<slug:slug>/approvals/", approvals.approval_queue, name="approvals"),
    path("<slug:slug>/approvals/bulk/", approvals.bulk_approve, name="bulk_approve"),
    path(
        "<slug:slug>/approvals/<int:pk>/approve/",
        approvals.approve_request,
        name="approve_request",
    ),
    path("<slug:slug>/approvals/<int:pk>/reject/", approvals.reject_request, name="reject_request"),
    path("<slug:slug>/mentees/", manage.mentee_list, name="mentees"),
    path("<slug:slug>/mentees/<int:pk>/", manage.mentee_detail, name="mentee"),
    path("<slug:slug>/dashboard/", dashboard.programme_dashboard, name="dashboard"),
    path("<slug:slug>/attention/", attention.attention_list, name="attention"),
    path(
        "<slug:slug>/mentorships/download/",
        attention.mentorships_download,
        name="mentorships_download",
    ),
    path("<slug:slug>/activity/", activity.activity_log, name="activity"),
    path("<slug:slug>/activity/download/", activity.activity_download, name="activity_download"),
    path("<slug:slug>/<str:kind>/import/", imports.import_people, name="import"),
    path("<slug:slug>/<str:kind>/import/confirm/", imports.confirm_import, name="confirm_import"),
    path(
        "<slug:slug>/<str:kind>/import/template.<str:file_format>",
        imports.import_template,
        name="import_template",
    ),
]
