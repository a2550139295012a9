"""Every page a signed-in person gets says `Cache-Control: no-store`; public pages and static
files stay cacheable (ASVS 8.2.1; issue 9, item 18)."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def assert_not_stored(response) -> None:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "no-cache", "private"} <= directives, response["Cache-Control"]


@pytest.mark.parametrize(
    "url",
    [
        reverse("dashboard"),
        reverse("account_settings"),
        reverse("account_email"),
        reverse("mentorship:mentee_home"),
        reverse("mentorship:mentee_profile"),
        reverse("mentorship:my_requests"),
        reverse("mentorship:directory", args=["northfield-fellows"]),
        reverse("about"),  # a public page, but the header shows who is signed in
        "/no-such-page/",
    ],
)
def test_a_mentees_pages_are_not_stored(client, mentee, url):
    client.force_login(mentee)

    response = client.get(url)

    assert response.status_code in (200, 302, 404)
    assert_not_stored(response)


def test_a_managers_pages_and_the_admin_are_not_stored(client, manager, staff, with_mfa):
    with_mfa(manager)
    with_mfa(staff)

    client.force_login(manager)
    assert_not_stored(client.get(reverse("manage:home")))
    assert_not_stored(client.get(reverse("manage:applicants", args=["northfield-fellows"])))

    client.force_login(staff)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200
    assert_not_stored(response)


def test_the_redirect_after_signing_in_is_not_stored(client, mentee, password):
    response = client.post(reverse("account_login"), {"login": mentee.email, "password": password})

    assert response.status_code == 302
    assert_not_stored(response)


@pytest.mark.parametrize("name", ["home", "about", "privacy", "accessibility"])
def test_public_pages_for_visitors_are_left_cacheable(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_static_files_are_left_cacheable_for_a_signed_in_person(client, mentee, settings):
    # WhiteNoise serves static files before the session is read; let it find them in static/
    # (production serves them from collectstatic's output the same way).
    settings.WHITENOISE_USE_FINDERS = True
    assert finders.find("css/app.css")
    client.force_login(mentee)

    response = client.get("/static/css/app.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
