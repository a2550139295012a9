"""Download my data: asking for a copy, the background build, the email, the page's states,
the file only for its owner, expiry, and asking twice."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mentorship.models import OutboxEmail
from privacy import tasks
from privacy.export import service
from privacy.models import DataExport

pytestmark = pytest.mark.django_db
PAGE = reverse("privacy:export")
Status = DataExport.Status


def file_url(export: DataExport) -> str:
    return reverse("privacy:export_file", args=[export.pk])


def ready_export(user, *, hours_left: float = 24) -> DataExport:
    """A built file, without going through the build (for the page and expiry tests)."""
    now = timezone.now()
    return DataExport.objects.create(
        user=user,
        status=Status.READY,
        ready_at=now,
        expires_at=now + timedelta(hours=hours_left),
        content=b"PK-zip-bytes",
        size=12,
    )


def test_one_click_builds_the_file_and_emails_the_person(
    mentee, mentee_client, django_capture_on_commit_callbacks, settings
):
    settings.DATA_EXPORT_LINK_HOURS = 72
    with django_capture_on_commit_callbacks(execute=True):
        response = mentee_client.post(PAGE)

    assert response.status_code == 302 and response["Location"] == PAGE
    export = DataExport.objects.get(user=mentee)
    assert export.status == Status.READY
    assert export.size == len(export.stored_bytes()) > 0
    assert export.expires_at - export.ready_at == timedelta(hours=72)
    row = OutboxEmail.objects.get(kind="data_export_ready")
    assert (row.recipient, row.object_key, row.status) == (
        mentee,
        f"data-export:{export.pk}",
        "sent",
    )
    assert row.subject == "Your data from IMG Mentor Match is ready to download"
    assert PAGE in row.body_text
    assert PAGE in row.body_html and "Download your data" in row.body_html
    assert "Dr Amara Nwosu" in row.body_text  # greeting only: the data is never in the email
    [sent] = mail.outbox
    assert sent.to == [mentee.email]
    assert {alternative[1] for alternative in sent.alternatives} == {"text/html"}

    page = mentee_client.get(PAGE).content.decode()
    assert "Your file is ready" in page and file_url(export) in page

    download = mentee_client.get(file_url(export))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert 'filename="my-data-' in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == mentee.email


def test_while_it_builds_the_page_says_so_with_a_refresh_hint(mentee, mentee_client):
    mentee_client.post(PAGE)  # no commit callbacks run: the worker has not picked it up

    page = mentee_client.get(PAGE).content.decode()

    assert DataExport.objects.get(user=mentee).status == Status.BUILDING
    assert "Being built" in page and "Refresh the page" in page
    assert "Ask for a new copy" not in page and "Ask for a copy of your data" not in page


def test_asking_twice_while_one_builds_builds_one(mentee, mentee_client):
    mentee_client.post(PAGE)
    mentee_client.post(PAGE)
    first = service.request_export(mentee)

    assert DataExport.objects.filter(user=mentee).count() == 1
    assert first.status == Status.BUILDING


def test_the_database_refuses_a_second_build_for_one_person(mentee):
    DataExport.objects.create(user=mentee)
    with pytest.raises(IntegrityError), transaction.atomic():
        DataExport.objects.create(user=mentee)
    ready_export(mentee)  # finished files are not limited by the constraint
    assert DataExport.objects.filter(user=mentee).count() == 2


def test_building_twice_changes_nothing_and_emails_once(mentee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = service.request_export(mentee)
    built = DataExport.objects.get(pk=export.pk)

    assert tasks.build_data_export(export.pk) == "skipped"

    again = DataExport.objects.get(pk=export.pk)
    assert (again.ready_at, again.size) == (built.ready_at, built.size)
    assert OutboxEmail.objects.filter(kind="data_export_ready").count() == 1


def test_a_fourth_copy_in_a_day_is_refused(mentee, mentee_client):
    for _ in range(3):
        ready_export(mentee)
    DataExport.objects.create(user=mentee, status=Status.FAILED)  # failures do not count

    response = mentee_client.post(PAGE)

    assert response.status_code == 429
    assert "3 times a day" in response.content.decode()
    assert DataExport.objects.filter(user=mentee).count() == 4


def test_yesterdays_copies_do_not_count_towards_the_limit(mentee, mentee_client):
    for _ in range(3):
        ready_export(mentee)
    DataExport.objects.update(requested_at=timezone.now() - timedelta(days=1, minutes=1))

    mentee_client.post(PAGE)

    assert DataExport.objects.filter(user=mentee, status=Status.BUILDING).count() == 1


def test_someone_elses_file_is_a_404(mentee, mentor_client):
    export = ready_export(mentee)

    assert mentor_client.get(file_url(export)).status_code == 404
    assert "Your file is ready" not in mentor_client.get(PAGE).content.decode()


def test_signed_out_people_are_sent_to_sign_in(client, mentee):
    export = ready_export(mentee)

    for url in (PAGE, file_url(export)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert client.post(PAGE).status_code == 302
    assert DataExport.objects.count() == 1


def test_a_file_past_its_hours_cannot_be_downloaded(mentee, mentee_client):
    export = ready_export(mentee, hours_left=-0.1)

    response = mentee_client.get(file_url(export), follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    page = response.content.decode()
    assert "expired" in page and "Expired" in page
    assert "Ask for a new copy" in page


def test_the_hourly_job_deletes_expired_files_and_gives_up_lost_builds(mentee, mentor, outsider):
    old = ready_export(mentee, hours_left=-1)
    fresh = ready_export(mentor, hours_left=1)
    lost = DataExport.objects.create(
        user=outsider, requested_at=timezone.now() - service.STUCK_AFTER - timedelta(minutes=1)
    )

    assert tasks.expire_data_exports() == 1
    assert tasks.expire_data_exports() == 0  # safe to run twice

    old.refresh_from_db()
    fresh.refresh_from_db()
    lost.refresh_from_db()
    assert (old.status, old.content) == (Status.EXPIRED, None)
    assert (fresh.status, bytes(fresh.content)) == (Status.READY, b"PK-zip-bytes")
    assert lost.status == Status.FAILED


def test_a_build_that_fails_is_shown_and_can_be_asked_again(
    mentee, mentee_client, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(user):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "build_zip", broken)
    with django_capture_on_commit_callbacks(execute=True):
        mentee_client.post(PAGE)

    export = DataExport.objects.get(user=mentee)
    assert (export.status, export.error) == (Status.FAILED, "RuntimeError: disk full")
    assert "We could not make your file" in mentee_client.get(PAGE).content.decode()
    assert not OutboxEmail.objects.filter(kind="data_export_ready").exists()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        mentee_client.post(PAGE)
    assert DataExport.objects.filter(user=mentee, status=Status.READY).count() == 1


def test_when_the_queue_is_down_the_person_is_told_at_once(
    mentee, mentee_client, monkeypatch, django_capture_on_commit_callbacks
):
    def unreachable(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.build_data_export, "delay", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        mentee_client.post(PAGE)

    assert DataExport.objects.get(user=mentee).status == Status.FAILED


def test_a_first_visit_offers_the_button(mentee_client):
    page = mentee_client.get(PAGE).content.decode()

    assert "Ask for a copy of your data" in page
    assert DataExport.objects.count() == 0


def test_only_get_and_post(mentee_client, mentee):
    export = ready_export(mentee)
    assert mentee_client.put(PAGE).status_code == 405
    assert mentee_client.post(file_url(export)).status_code == 405


def test_a_manager_sets_up_their_authenticator_first(manager, sign_in):
    """Their file holds emails about other doctors, so it waits for MFA like the team's pages."""
    export = ready_export(manager)
    client = sign_in("manager_without_mfa")

    for url in (PAGE, file_url(export)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    assert client.post(PAGE).status_code == 302
    assert DataExport.objects.filter(user=manager).count() == 1


def test_a_manager_with_an_authenticator_downloads_their_file(manager, sign_in):
    export = ready_export(manager)
    client = sign_in("manager")

    assert client.get(PAGE).status_code == 200
    assert client.get(file_url(export)).content == b"PK-zip-bytes"
