"""Managers and staff are signed out after IDLE_TIMEOUT_MINUTES without a request; the next
page says why. Others keep the normal session age. Time is moved, never slept."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.middleware import LAST_SEEN_KEY

SIGNED_OUT = "You were signed out because you had not used"


@pytest.fixture
def clock(monkeypatch):
    """Move the time every `timezone.now()` sees: `clock.move(minutes=31)`."""

    class Clock:
        shift = datetime.timedelta()
        real_now = staticmethod(timezone.now)

        def now(self) -> datetime.datetime:
            return self.real_now() + self.shift

        def move(self, **delta: float) -> None:
            self.shift += datetime.timedelta(**delta)

    moving = Clock()
    monkeypatch.setattr(timezone, "now", moving.now)
    return moving


def _is_signed_in(client) -> bool:
    return client.get("/accounts/settings/").status_code == 200


def test_a_manager_idle_for_longer_than_the_timeout_is_signed_out_and_told_why(
    manager_client, clock
):
    assert manager_client.get("/dashboard/").status_code == 200
    session_key = manager_client.session.session_key

    clock.move(minutes=32)
    response = manager_client.get("/manage/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/manage/")
    page = manager_client.get(response.url)
    assert SIGNED_OUT in page.content.decode()
    assert "30 minutes" in page.content.decode()
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not _is_signed_in(manager_client)


def test_a_staff_member_is_signed_out_too(staff, with_mfa, client, clock):
    with_mfa(staff)
    client.force_login(staff)
    client.get("/dashboard/")

    clock.move(minutes=32)

    assert client.get("/dashboard/").status_code == 302
    assert not _is_signed_in(client)


def test_a_manager_is_never_signed_out_before_the_timeout(manager_client, clock):
    manager_client.get("/dashboard/")

    clock.move(minutes=29)

    assert manager_client.get("/dashboard/").status_code == 200
    assert _is_signed_in(manager_client)


def test_a_manager_who_keeps_using_the_service_stays_signed_in(manager_client, clock):
    manager_client.get("/dashboard/")
    for _ in range(8):  # two hours, a page every quarter of an hour
        clock.move(minutes=15)
        assert manager_client.get("/dashboard/").status_code == 200
    assert _is_signed_in(manager_client)


@pytest.mark.parametrize("role", ["mentee", "mentor", "outsider"])
def test_other_people_keep_the_normal_session_age(db, sign_in, role, clock):
    client = sign_in(role)
    client.get("/dashboard/")

    clock.move(hours=3)

    assert client.get("/dashboard/").status_code == 200
    assert _is_signed_in(client)


def test_the_timeout_is_a_setting(manager_client, clock, settings):
    settings.IDLE_TIMEOUT_MINUTES = 5
    manager_client.get("/dashboard/")

    clock.move(minutes=7)
    response = manager_client.get("/dashboard/")

    assert response.status_code == 302
    assert "5 minutes" in manager_client.get(response.url).content.decode()


def test_a_form_posted_after_the_timeout_goes_to_sign_in_not_an_error(manager_client, clock):
    manager_client.get("/dashboard/")
    clock.move(minutes=32)

    response = manager_client.post("/accounts/settings/name/", {"full_name": "Someone Else"})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_session_is_written_at_most_once_a_minute(mentee_client, clock):
    mentee_client.get("/dashboard/")
    key = mentee_client.session.session_key
    first = mentee_client.session[LAST_SEEN_KEY]
    stored = Session.objects.get(session_key=key).session_data

    clock.move(seconds=30)
    mentee_client.get("/dashboard/")
    mentee_client.get("/accounts/settings/")

    assert Session.objects.get(session_key=key).session_data == stored
    assert mentee_client.session[LAST_SEEN_KEY] == first

    clock.move(seconds=31)
    mentee_client.get("/dashboard/")

    assert mentee_client.session[LAST_SEEN_KEY] > first
    assert Session.objects.get(session_key=key).session_data != stored
