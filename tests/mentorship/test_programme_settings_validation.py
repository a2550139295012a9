"""What the settings page refuses, in plain words, saving nothing."""

import pytest

from mentorship.models import Event, Programme
from mentorship.services.programme_settings import (
    InvalidSettings,
    change_programme_settings,
    settings_version,
)
from tests.mentorship.helpers import assert_field_error
from tests.mentorship.test_programme_settings_page import form_data, url

pytestmark = pytest.mark.django_db


def assert_nothing_saved(programme: Programme) -> None:
    saved = Programme.objects.get(pk=programme.pk)
    assert settings_version(saved) == settings_version(programme)
    assert not Event.objects.exists()


def test_every_weight_at_0_is_refused(manager_client, programme):
    zeros = {f"weight_{n}": 0 for n in ("specialty", "goals", "region", "format")}
    data = form_data(programme, weight_img_experience=0, weight_capacity=0, **zeros)

    response = manager_client.post(url(programme), data)

    assert response.status_code == 400
    assert "At least one matching weight must be more than 0." in response.content.decode()
    assert_nothing_saved(programme)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("+14, soon", "&quot;soon&quot; is not a check-in point"),
        ("+14, +14", "&quot;+14&quot; is listed twice"),
        ("+400", "the number of days must be between 1 and 365"),
    ],
)
def test_bad_check_in_points_are_refused(manager_client, programme, typed, message):
    response = manager_client.post(url(programme), form_data(programme, check_in_points=typed))

    assert_field_error(response, "id_check_in_points", message)
    assert_nothing_saved(programme)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("duration_weeks", 105, "Enter a whole number of weeks from 1 to 104"),
        ("duration_weeks", 0, "Enter a whole number of weeks from 1 to 104"),
        ("max_open_requests", 11, "Enter a whole number of requests from 1 to 10"),
        ("request_expiry_days", "soon", "Enter a whole number of days from 1 to 90"),
        ("concern_acknowledge_days", 31, "Enter a whole number of working days from 1 to 30"),
        ("weight_goals", -1, "Enter a weight from 0 to 100"),
        ("weight_region", 101, "Enter a weight from 0 to 100"),
        ("meeting_cadence", "daily", "Select a valid choice"),
    ],
)
def test_values_out_of_range_are_refused(manager_client, programme, field, value, message):
    response = manager_client.post(url(programme), form_data(programme, **{field: value}))

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert f'href="#id_{field}' in html
    assert_nothing_saved(programme)


@pytest.mark.parametrize("typed", ["", " , "])
def test_at_least_one_check_in_point_is_needed(manager_client, programme, typed):
    response = manager_client.post(url(programme), form_data(programme, check_in_points=typed))

    assert_field_error(response, "id_check_in_points", "Enter at least one check-in point")
    assert_nothing_saved(programme)


def test_check_in_points_are_tidied_before_saving(manager_client, programme):
    manager_client.post(url(programme), form_data(programme, check_in_points=" +07 ;HALF"))

    assert Programme.objects.get(pk=programme.pk).check_in_points == ["+7", "half"]


def test_the_service_checks_the_rules_too(programme, manager):
    with pytest.raises(InvalidSettings, match="more than 0"):
        change_programme_settings(
            programme,
            {f"weight_{n}": 0 for n in ("specialty", "goals", "region", "format")}
            | {"weight_img_experience": 0, "weight_capacity": 0},
            by=manager,
            version=settings_version(programme),
        )
    with pytest.raises(InvalidSettings, match="not settings you can change"):
        change_programme_settings(
            programme, {"slug": "mine"}, by=manager, version=settings_version(programme)
        )

    assert_nothing_saved(programme)
