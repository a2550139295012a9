"""Where you are signed in: each device with its browser, IP address and last use, "this
device" marked, and a button that signs out every other one."""

from __future__ import annotations

import datetime

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from accounts.sessions import describe_device

FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
EDGE_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
CHROME_ON_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def _sign_in(user, password: str, user_agent: str, ip: str) -> Client:
    """Through allauth's sign-in form, as a browser would."""
    browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = browser.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302
    return browser


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (FIREFOX_ON_WINDOWS, "Firefox on Windows"),
        (SAFARI_ON_IPHONE, "Safari on an iPhone"),
        (EDGE_ON_WINDOWS, "Edge on Windows"),
        (CHROME_ON_ANDROID, "Chrome on Android"),
        ("curl/8.5", "An unknown browser"),
        ("", "An unknown browser"),
    ],
)
def test_a_browser_is_named_in_plain_words(user_agent, device):
    assert describe_device(user_agent) == device


def test_signing_in_lists_the_device_with_its_address_and_marks_this_one(mentee, password):
    laptop = _sign_in(mentee, password, FIREFOX_ON_WINDOWS, "203.0.113.7")

    page = laptop.get("/accounts/sessions/").content.decode()

    assert "Firefox on Windows" in page
    assert "203.0.113.7" in page
    assert "This device" in page
    assert "Sign out everywhere else" not in page  # only one place to sign out of
    row = UserSession.objects.get(user=mentee)
    assert row.ip == "203.0.113.7"
    assert row.user_agent == FIREFOX_ON_WINDOWS


def test_signing_out_everywhere_else_ends_the_other_sessions_only(mentee, password):
    laptop = _sign_in(mentee, password, FIREFOX_ON_WINDOWS, "203.0.113.7")
    phone = _sign_in(mentee, password, SAFARI_ON_IPHONE, "198.51.100.20")
    page = laptop.get("/accounts/sessions/").content.decode()
    assert "Safari on an iPhone" in page
    assert "198.51.100.20" in page
    assert page.count("This device") == 1
    phone_key = phone.session.session_key

    response = laptop.post("/accounts/sessions/", follow=True)

    assert "You are signed out everywhere else" in response.content.decode()
    assert laptop.get("/accounts/settings/").status_code == 200
    assert phone.get("/accounts/settings/").status_code == 302
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert list(UserSession.objects.filter(user=mentee).values_list("ip", flat=True)) == [
        "203.0.113.7"
    ]


def test_last_use_is_recorded_about_once_a_minute(mentee, password, monkeypatch):
    laptop = _sign_in(mentee, password, FIREFOX_ON_WINDOWS, "203.0.113.7")
    laptop.get("/dashboard/")
    before = UserSession.objects.get(user=mentee).last_seen_at
    later = timezone.now() + datetime.timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)

    laptop.get("/dashboard/")

    assert UserSession.objects.get(user=mentee).last_seen_at == later > before
    assert "Last used" in laptop.get("/accounts/sessions/").content.decode()


def test_a_session_begun_without_the_sign_in_form_is_listed_once_it_is_used(
    mentee_client, mentee, monkeypatch
):
    """Sessions from before the list existed appear at their next activity write."""
    later = timezone.now() + datetime.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    mentee_client.get("/dashboard/")

    assert UserSession.objects.filter(
        user=mentee, session_key=mentee_client.session.session_key
    ).exists()
    assert "This device" in mentee_client.get("/accounts/sessions/").content.decode()


def test_nobody_sees_anyone_elses_sessions(mentee, password, outsider):
    _sign_in(mentee, password, SAFARI_ON_IPHONE, "198.51.100.20")
    browser = _sign_in(outsider, password, FIREFOX_ON_WINDOWS, "203.0.113.7")

    page = browser.get("/accounts/sessions/").content.decode()

    assert "198.51.100.20" not in page
    assert "Safari on an iPhone" not in page
    assert UserSession.objects.filter(user=mentee).count() == 1


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get("/accounts/sessions/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_account_page_links_to_the_list(mentee_client):
    assert 'href="/accounts/sessions/"' in mentee_client.get("/accounts/settings/").content.decode()


def test_the_list_reads_on_a_narrow_screen(mentee, password):
    """375 px: each device is a card of label-value rows, not a wide table."""
    laptop = _sign_in(mentee, password, FIREFOX_ON_WINDOWS, "203.0.113.7")
    _sign_in(mentee, password, SAFARI_ON_IPHONE, "198.51.100.20")

    page = laptop.get("/accounts/sessions/").content.decode()

    assert "<table" not in page
    assert page.count('class="nhsuk-card"') == 2
    assert 'name="viewport"' in page


def test_this_device_is_always_listed_even_before_its_first_activity_write(mentee_client):
    page = mentee_client.get("/accounts/sessions/").content.decode()

    assert "This device" in page
    assert UserSession.objects.filter(session_key=mentee_client.session.session_key).exists()
