from django.urls import URLPattern, path  # noqa: F401  (path: used once the views land)

app_name = "privacy"

# Download my data (privacy/views_export.py) and delete my account (privacy/views_delete.py)
# add their paths here, under /accounts/.
urlpatterns: list[URLPattern] = []
