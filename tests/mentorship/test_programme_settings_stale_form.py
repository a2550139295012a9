"""Two managers edit the settings at once: the second save, from a form opened before the
first was saved, is refused with a clear message instead of silently undoing the first."""

import pytest

from mentorship.models import Event, Programme
from mentorship.services.programme_settings import (
    SettingsChanged,
    change_programme_settings,
    settings_version,
)
from tests.factories import UserFactory, enable_totp
from tests.mentorship.test_programme_settings_page import form_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def co_manager_client(programme, client):
    """A second manager of the same programme, signed in with MFA."""
    user = UserFactory(full_name="Ngozi Eze")
    programme.managers.add(user)
    enable_totp(user)
    client.force_login(user)
    return client


def test_saving_a_stale_form_is_refused(manager_client, co_manager_client, programme):
    first = form_data(programme, duration_weeks=20)
    second = form_data(programme, max_open_requests=5)  # opened before the first was saved
    manager_client.post(url(programme), first)

    response = co_manager_client.post(url(programme), second)

    assert response.status_code == 409
    html = response.content.decode()
    assert "These settings have changed since this page was opened" in html
    assert "nothing has been saved" in html
    assert "The latest change recorded here was by Joanna Whitfield, at" in html
    assert url(programme) in html
    saved = Programme.objects.get(pk=programme.pk)
    assert saved.duration_weeks == 20
    assert saved.max_open_requests == 3
    assert Event.objects.in_programme(programme).count() == 1


def test_a_stale_weights_preview_is_refused_before_it_is_shown(
    manager_client, co_manager_client, programme
):
    stale = form_data(programme, weight_goals=60)
    manager_client.post(url(programme), form_data(programme, request_expiry_days=30))

    response = co_manager_client.post(url(programme), stale)

    assert response.status_code == 409
    assert Programme.objects.get(pk=programme.pk).weight_goals == 30


def test_a_change_made_in_the_admin_also_makes_a_form_stale(manager_client, programme):
    data = form_data(programme, duration_weeks=20)
    Programme.objects.filter(pk=programme.pk).update(is_open=False)

    response = manager_client.post(url(programme), data)

    assert response.status_code == 409
    html = response.content.decode()
    assert "These settings have changed since this page was opened" in html
    assert "The latest change recorded here" not in html
    assert Programme.objects.get(pk=programme.pk).duration_weeks == 16


def test_the_service_refuses_a_stale_version(programme, manager):
    version = settings_version(programme)
    change_programme_settings(programme, {"duration_weeks": 20}, by=manager, version=version)

    with pytest.raises(SettingsChanged):
        change_programme_settings(programme, {"duration_weeks": 8}, by=manager, version=version)

    assert Programme.objects.get(pk=programme.pk).duration_weeks == 20


def test_a_manager_with_two_tabs_open_is_told_it_was_them(manager_client, programme):
    first = form_data(programme, duration_weeks=20)
    second = form_data(programme, duration_weeks=8)
    manager_client.post(url(programme), first)

    response = manager_client.post(url(programme), second)

    assert response.status_code == 409
    assert "The latest change recorded here was yours, at" in response.content.decode()
    assert Programme.objects.get(pk=programme.pk).duration_weeks == 20
