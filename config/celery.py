"""The Celery app. Settings come from Django's settings, prefixed CELERY_ (see settings.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Beat's jobs live in <app>/jobs.py, apart from the outbox tasks (see mentorship/jobs.py).
app.autodiscover_tasks(related_name="jobs")
