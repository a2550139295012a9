"""The account control pages at 375 pixels: nothing scrolls sideways, even with a long email
address, a long user agent and two signed-in devices."""

from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from tests.browser.test_small_screens import LONG_EMAIL, PHONE, _session_cookie, _sideways
from tests.factories import new_mentor

PAGES = [
    "/accounts/settings/",
    "/accounts/settings/name/",
    "/accounts/settings/stop-mentoring/",
    "/accounts/sessions/",
    "/privacy/",
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_account_pages_do_not_scroll_sideways_on_a_small_phone(
    page, live_server, programme, artifacts_dir
):
    mentor = new_mentor(programme, "Dr Gareth Pryce-Featherstonehaugh", user__email=LONG_EMAIL)
    other_device = Client()
    other_device.force_login(mentor)
    UserSession.objects.create(
        user=mentor,
        session_key=other_device.session.session_key,
        ip="2001:db8:85a3:0000:0000:8a2e:0370:7334",
        user_agent="Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 "
        "(KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
    )
    page.context.add_cookies([_session_cookie(mentor, live_server.url)])
    page.set_viewport_size(PHONE)
    shots = artifacts_dir / "small-screens"
    shots.mkdir(exist_ok=True)
    sideways = {}

    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200 and page.url == live_server.url + path
        page.screenshot(
            path=str(shots / f"account{path.replace('/', '_')}-375.png"), full_page=True
        )
        if path == "/accounts/sessions/":
            assert page.content().count('class="nhsuk-card"') == 2
            assert "This device" in page.content()
        if found := _sideways(page):
            sideways[path] = found

    assert sideways == {}
    assert page.js_errors == []
