from django.urls import path

from . import views

urlpatterns = [
    # Ahead of allauth's own sign-up URL (config/urls.py includes this file first).
    path("signup/", views.signup, name="account_signup"),
    path("email/", views.email, name="account_email"),
    path("settings/", views.account_settings, name="account_settings"),
]
