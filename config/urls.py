from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

# The admin signs in through allauth, so MFA and allauth's rate limits apply to it too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "IMG Mentor Match administration"
admin.site.site_title = "IMG Mentor Match admin"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("dashboard/", account_views.dashboard, name="dashboard"),
    path("healthz", account_views.healthz, name="healthz"),
    path("about/", account_views.about, name="about"),
    path("privacy/", account_views.privacy, name="privacy"),
    path("accessibility/", account_views.accessibility, name="accessibility"),
    path("", include("mentorship.urls")),
    path("", include("journey.urls")),
    path("manage/", include("mentorship.urls_manage")),
    path("manage/", include("matching.urls")),
    path("", include("monitoring.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("privacy.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
