from django.urls import URLPattern, path

from . import views_export

app_name = "privacy"

# Download my data (privacy/views_export.py) and delete my account (privacy/views_delete.py)
# add their paths here, under /accounts/.
urlpatterns: list[URLPattern] = [
    path("privacy/download/", views_export.export, name="export"),
    path("privacy/download/<int:pk>/", views_export.export_file, name="export_file"),
]
