"""The settings page: who may open it, what it shows, and saving a change that is not a
change of weights (those are previewed first: test_programme_settings_preview.py)."""

import pytest
from django.urls import reverse

from mentorship.models import Action, Event, Programme
from mentorship.services.programme_settings import settings_version

pytestmark = pytest.mark.django_db


def url(programme: Programme) -> str:
    return reverse("manage:settings", args=[programme.slug])


def form_data(programme: Programme, **changes) -> dict:
    """What the page posts when nothing is edited, with `changes` typed in."""
    data = {
        "description": programme.description,
        "duration_weeks": programme.duration_weeks,
        "meeting_cadence": programme.meeting_cadence,
        "check_in_points": ", ".join(programme.check_in_points),
        "max_open_requests": programme.max_open_requests,
        "request_expiry_days": programme.request_expiry_days,
        "freedom_to_speak_up": programme.freedom_to_speak_up,
        "safeguarding_lead": programme.safeguarding_lead,
        "concern_acknowledge_days": programme.concern_acknowledge_days,
        "weight_specialty": programme.weight_specialty,
        "weight_goals": programme.weight_goals,
        "weight_region": programme.weight_region,
        "weight_format": programme.weight_format,
        "weight_img_experience": programme.weight_img_experience,
        "weight_capacity": programme.weight_capacity,
        "version": settings_version(programme),
    }
    if programme.is_open:
        data["is_open"] = "on"
    if programme.requires_approval:
        data["requires_approval"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_manager_sees_every_setting_with_its_value(manager_client, programme):
    programme.freedom_to_speak_up = "Priya Shah, speakup@example.org"
    programme.save()

    response = manager_client.get(url(programme))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Programme settings" in html
    assert "Priya Shah, speakup@example.org" in html
    assert 'value="+14, half, -14"' in html
    for name in ("weight_specialty", "concern_acknowledge_days", "request_expiry_days"):
        assert f'name="{name}"' in html
    assert "keep their planned end date and the cadence they agreed" in html
    assert "Nobody has changed these settings here yet." in html


def test_the_programme_page_links_to_the_settings(manager_client, programme):
    response = manager_client.get(reverse("manage:programme", args=[programme.slug]))

    assert url(programme) in response.content.decode()


def test_saving_a_change_logs_who_when_and_what(manager_client, manager, programme):
    data = form_data(
        programme,
        duration_weeks=12,
        meeting_cadence="fortnightly",
        check_in_points="+7, half",
        is_open=None,
        safeguarding_lead="Tom Reid, 01632 960000",
    )

    response = manager_client.post(url(programme), data, follow=True)

    assert response.status_code == 200
    assert "You changed 5 settings." in response.content.decode()
    programme.refresh_from_db()
    assert programme.duration_weeks == 12
    assert programme.meeting_cadence == "fortnightly"
    assert programme.check_in_points == ["+7", "half"]
    assert programme.is_open is False
    assert programme.safeguarding_lead == "Tom Reid, 01632 960000"
    event = Event.objects.in_programme(programme).get()
    assert event.action == Action.SETTINGS_CHANGED
    assert event.actor == manager
    assert event.created_at is not None
    assert {c["field"]: (c["old"], c["new"]) for c in event.changes} == {
        "is_open": ("Open", "Closed"),
        "duration_weeks": ("16 weeks", "12 weeks"),
        "meeting_cadence": ("Weekly", "Every 2 weeks"),
        "check_in_points": ("+14, half, -14", "+7, half"),
        "safeguarding_lead": ("Not set", "Tom Reid, 01632 960000"),
    }
    html = response.content.decode()
    assert "Joanna Whitfield" in html
    assert "Length of a mentorship: 16 weeks → 12 weeks" in html


def test_saving_without_a_change_saves_and_logs_nothing(manager_client, programme):
    response = manager_client.post(url(programme), form_data(programme), follow=True)

    assert "You did not change any settings" in response.content.decode()
    assert not Event.objects.in_programme(programme).exists()


def test_a_settings_event_reads_well_in_the_programme_log(manager_client, programme):
    manager_client.post(url(programme), form_data(programme, request_expiry_days=21))

    event = Event.objects.in_programme(programme).get()

    assert event.is_about_programme
    assert str(event) == "Programme settings changed: A request expires after: 14 days → 21 days"
    assert event.programme_team_only


def test_the_same_check_in_points_typed_differently_are_no_change(manager_client, programme):
    data = form_data(programme, check_in_points="+014; HALF; -14")

    response = manager_client.post(url(programme), data, follow=True)

    assert "You did not change any settings" in response.content.decode()
    assert not Event.objects.exists()
