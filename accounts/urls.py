from django.urls import path

from . import sessions, views

urlpatterns = [
    # Ahead of allauth's own sign-up URL (config/urls.py includes this file first).
    path("signup/", views.signup, name="account_signup"),
    path("email/", views.email, name="account_email"),
    path("settings/", views.account_settings, name="account_settings"),
    path("settings/name/", views.change_name, name="account_change_name"),
    path("settings/stop-mentoring/", views.stop_mentoring, name="account_stop_mentoring"),
    # Ahead of allauth.usersessions' own page, under the same name: the NHS-styled list.
    path("sessions/", sessions.sessions, name="usersessions_list"),
]
