"""Who may open and save a programme's settings: only its own managers, with MFA. Managers
of another programme get 404; everyone else 403 (or the login page)."""

import pytest

from mentorship.models import Event, Programme
from mentorship.services import NotAllowed
from mentorship.services.programme_settings import change_programme_settings, settings_version
from tests.mentorship.test_programme_settings_page import form_data, url

pytestmark = pytest.mark.django_db

EXPECTED = {
    "anonymous": "302 to login",
    "outsider": 403,
    "mentee": 403,
    "other_mentee": 403,
    "mentor": 403,
    "manager": 200,
    "other_manager": 404,
    "manager_without_mfa": "302 to MFA setup",
}


def outcome(response) -> int | str:
    if response.status_code == 302:
        where = response["Location"]
        return "302 to login" if "/login/" in where else "302 to MFA setup"
    return response.status_code


@pytest.mark.parametrize(("role", "expected"), EXPECTED.items())
def test_who_may_open_the_settings(sign_in, programme, role, expected):
    client = sign_in(role)

    assert outcome(client.get(url(programme))) == expected


@pytest.mark.parametrize("role", [r for r in EXPECTED if r != "manager"])
def test_nobody_else_can_save_them(sign_in, programme, role):
    client = sign_in(role)

    response = client.post(url(programme), form_data(programme, duration_weeks=30))

    assert response.status_code != 200
    assert Programme.objects.get(pk=programme.pk).duration_weeks == 16
    assert not Event.objects.exists()


def test_the_service_refuses_anyone_but_the_programmes_managers(programme, other_manager, staff):
    for person in (other_manager, staff):
        with pytest.raises(NotAllowed):
            change_programme_settings(
                programme,
                {"duration_weeks": 30},
                by=person,
                version=settings_version(programme),
            )

    assert Programme.objects.get(pk=programme.pk).duration_weeks == 16
    assert not Event.objects.exists()
