from django.urls import path

from . import views_delete

app_name = "privacy"

# Download my data (privacy/views_export.py) and delete my account (privacy/views_delete.py),
# under /accounts/.
urlpatterns = [
    path("privacy/delete/", views_delete.delete_account, name="delete_account"),
    path("privacy/delete/done/", views_delete.account_deleted, name="account_deleted"),
]
