"""Two managers save the settings at the same moment, from forms opened on the same
settings, on PostgreSQL with real parallel connections: one wins, the other is told, and
exactly one change is logged."""

from __future__ import annotations

import pytest

from mentorship.models import Event, Programme
from mentorship.services.programme_settings import change_programme_settings, settings_version
from tests.factories import UserFactory
from tests.integration.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_of_two_saves_at_once_one_wins_and_the_other_is_refused(programme, manager):
    other = UserFactory(full_name="Ngozi Eze")
    programme.managers.add(other)
    version = settings_version(programme)

    def save(by, **values):
        def call():
            change_programme_settings(
                Programme.objects.get(pk=programme.pk), values, by=by, version=version
            )

        return call

    outcomes = run_together(
        [save(manager, duration_weeks=20), save(other, duration_weeks=8, max_open_requests=5)]
    )

    assert sorted(outcomes) == ["SettingsChanged", "ok"]
    saved = Programme.objects.get(pk=programme.pk)
    assert (saved.duration_weeks, saved.max_open_requests) in {(20, 3), (8, 5)}
    assert Event.objects.in_programme(programme).count() == 1
