from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("accounts/equality/", views.equality, name="equality"),
    path("accounts/equality/delete/", views.equality_delete, name="equality_delete"),
    path("outcomes/<int:pk>/", views.outcome_survey, name="outcome_survey"),
    path("manage/<slug:slug>/equality/", views.equality_report, name="equality_report"),
    path(
        "manage/<slug:slug>/equality/download/",
        views.equality_download,
        name="equality_download",
    ),
    path("manage/<slug:slug>/outcomes/", views.outcomes_report, name="outcomes_report"),
    path(
        "manage/<slug:slug>/outcomes/download/",
        views.outcomes_download,
        name="outcomes_download",
    ),
]
