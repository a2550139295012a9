"""Download my data with the web and the worker as separate processes, as in production: the
web request only records the ask; a real Celery worker (through Redis) builds the file into
PostgreSQL and sends the email over SMTP; the web process then hands out the file."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from privacy.models import DataExport
from tests.integration.fixtures import wait_until
from tests.privacy.people import MENTEE_OWN, MENTOR_OWN, build_world

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.celery_worker]


def test_a_real_worker_builds_the_file_and_emails_the_person(
    mentee, mentor, manager, programme, celery_worker, smtp_server
):
    build_world(mentee, mentor, manager, programme)
    smtp_server.recorder.messages.clear()  # the journey's own emails are not this test's
    browser = Client()
    browser.force_login(mentee)

    response = browser.post(reverse("privacy:export"))

    assert response.status_code == 302
    export = DataExport.objects.get(user=mentee)
    assert wait_until(
        lambda: DataExport.objects.filter(pk=export.pk, status="ready").exists(), timeout=60
    ), "".join(celery_worker.output)
    assert wait_until(
        lambda: (
            "Your data from IMG Mentor Match is ready to download"
            in smtp_server.recorder.subjects()
        ),
        timeout=60,
    ), "".join(celery_worker.output)
    message = next(m for m in smtp_server.recorder.messages if "ready to download" in m["Subject"])
    assert message["To"] == mentee.email

    download = browser.get(reverse("privacy:export_file", args=[export.pk]))

    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        raw = archive.read("data.json").decode()
        html = archive.read("data.html").decode()
    data = json.loads(raw)
    assert data["meetings"][0]["notes"] == MENTEE_OWN["meeting_notes"]
    assert MENTEE_OWN["check_in"] in html
    assert MENTOR_OWN["check_in"] not in raw and MENTOR_OWN["check_in"] not in html
    assert "succeeded" in "".join(celery_worker.output)
