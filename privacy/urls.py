from django.urls import URLPattern, path

from . import views_delete, views_export

app_name = "privacy"

# Under /accounts/: download my data (views_export.py), delete my account (views_delete.py).
urlpatterns: list[URLPattern] = [
    path("privacy/download/", views_export.export, name="export"),
    path("privacy/download/<int:pk>/", views_export.export_file, name="export_file"),
    path("privacy/delete/", views_delete.delete_account, name="delete_account"),
    path("privacy/delete/done/", views_delete.account_deleted, name="account_deleted"),
]
