"""A settings change made by site staff in the Django admin is logged like one made on the
managers' settings page: who, when, and each setting's old and new value."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from mentorship.models import Action, Event

pytestmark = pytest.mark.django_db


def _post_data(programme, **changes):
    data = model_to_dict(programme)
    data["managers"] = [u.pk for u in programme.managers.all()]
    data["check_in_points"] = '["+14", "half", "-14"]'
    data.update(changes)
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_a_change_in_the_admin_is_logged_with_who_and_what(client, staff, with_mfa, programme):
    with_mfa(staff)
    client.force_login(staff)
    url = reverse("admin:mentorship_programme_change", args=[programme.pk])

    response = client.post(url, _post_data(programme, request_expiry_days=21))

    assert response.status_code == 302, response.content.decode()[:2000]
    programme.refresh_from_db()
    assert programme.request_expiry_days == 21
    [event] = Event.objects.filter(programme=programme, action=Action.SETTINGS_CHANGED)
    assert event.actor == staff
    assert [(c["field"], c["old"], c["new"]) for c in event.changes] == [
        ("request_expiry_days", "14 days", "21 days")
    ]


def test_saving_the_admin_form_unchanged_logs_nothing(client, staff, with_mfa, programme):
    with_mfa(staff)
    client.force_login(staff)
    url = reverse("admin:mentorship_programme_change", args=[programme.pk])

    response = client.post(url, _post_data(programme))

    assert response.status_code == 302
    assert not Event.objects.filter(action=Action.SETTINGS_CHANGED).exists()
