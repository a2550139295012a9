"""Changing the matching weights shows what would change first, and saves nothing until the
manager confirms."""

import pytest

from matching.models import MatchRun
from mentorship import weights_preview
from mentorship.models import Action, Event, Programme
from mentorship.services import programme_settings
from mentorship.weights_preview import preview_weights
from tests.matching.test_match_runs_execute import build_cohort
from tests.mentorship.test_programme_settings_page import form_data, url

pytestmark = pytest.mark.django_db

REGION_FIRST = {
    "weight_specialty": 1,
    "weight_goals": 1,
    "weight_region": 100,
    "weight_format": 0,
    "weight_img_experience": 0,
    "weight_capacity": 0,
}


@pytest.fixture
def cohort(programme):
    return build_cohort(programme)


def test_new_weights_show_a_preview_and_save_nothing(manager_client, programme, cohort):
    before = programme_settings.settings_version(programme)

    response = manager_client.post(url(programme), form_data(programme, **REGION_FIRST))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Check the new matching weights" in html
    assert "Nothing has been saved yet." in html
    assert "Region weight" in html
    preview = response.context["preview"]
    assert 1 <= len(preview.mentees) <= 5
    assert all(m.before and m.after for m in preview.mentees)
    assert any(not m.unchanged for m in preview.mentees)
    first = preview.mentees[0]
    assert first.before[0].name in html and first.after[0].name in html
    assert preview.cohort.waiting == len(cohort.waiting)
    assert not preview.cohort.sampled
    assert "Mentees matched" in html and "Total match score" in html
    # Nothing saved, nothing logged, nothing proposed.
    assert programme_settings.settings_version(Programme.objects.get(pk=programme.pk)) == before
    assert not Event.objects.in_programme(programme).about_programme().exists()
    assert not MatchRun.objects.exists()


def test_the_preview_carries_every_value_to_the_confirmation(manager_client, programme, cohort):
    data = form_data(programme, duration_weeks=20, **REGION_FIRST)

    html = manager_client.post(url(programme), data).content.decode()

    assert 'name="duration_weeks" value="20"' in html
    assert 'name="weight_region" value="100"' in html
    assert 'name="is_open" value="on"' in html
    assert f'name="version" value="{data["version"]}"' in html
    assert 'name="step" value="confirm"' in html and 'name="step" value="edit"' in html


def test_confirming_saves_and_logs_the_new_weights(manager_client, manager, programme, cohort):
    data = form_data(programme, duration_weeks=20, **REGION_FIRST) | {"step": "confirm"}

    response = manager_client.post(url(programme), data, follow=True)

    assert "You changed 7 settings." in response.content.decode()
    saved = Programme.objects.get(pk=programme.pk)
    assert saved.weight_region == 100
    assert saved.weight_format == 0
    assert saved.duration_weeks == 20
    event = Event.objects.in_programme(programme).about_programme().get()
    assert event.action == Action.SETTINGS_CHANGED
    assert event.actor == manager
    assert {"field": "weight_region", "label": "Region weight", "old": "10", "new": "100"} in (
        event.changes
    )


def test_going_back_shows_the_form_with_what_was_typed(manager_client, programme, cohort):
    data = form_data(programme, **REGION_FIRST) | {"step": "edit"}

    response = manager_client.post(url(programme), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Programme settings" in html
    assert 'name="weight_region" value="100"' in html
    assert Programme.objects.get(pk=programme.pk).weight_region == 10
    assert not Event.objects.exists()


def test_other_changes_are_saved_without_a_preview(manager_client, programme, cohort):
    response = manager_client.post(url(programme), form_data(programme, max_open_requests=5))

    assert response.status_code == 302
    assert Programme.objects.get(pk=programme.pk).max_open_requests == 5


def test_a_big_cohort_is_sampled_and_the_page_says_so(
    manager_client, programme, cohort, monkeypatch
):
    values = form_data(programme, **REGION_FIRST)
    preview = preview_weights(programme, {k: float(v) for k, v in REGION_FIRST.items()}, limit=3)

    assert preview.cohort.sampled
    assert preview.cohort.considered == 3
    assert preview.cohort.waiting == len(cohort.waiting)
    assert preview.cohort.matched_after <= 3

    monkeypatch.setattr(weights_preview, "MIN_COHORT", 3)
    monkeypatch.setattr(weights_preview, "PAIR_BUDGET", 1)  # a huge programme
    html = manager_client.post(url(programme), values).content.decode()
    assert f"{len(cohort.waiting)} mentees are waiting for a mentor" in html
    assert "the figures are an estimate" in html


def test_a_programme_with_nobody_waiting_says_so(manager_client, programme):
    html = manager_client.post(url(programme), form_data(programme, **REGION_FIRST))

    assert "Nobody is waiting for a mentor" in html.content.decode()
    assert "No mentee in this programme has filled in their profile yet" in html.content.decode()
