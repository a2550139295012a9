"""The equality and outcome pages run the same number of queries whatever the programme's
size."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import Mentorship
from monitoring.models import EqualityAnswers, OutcomeSurvey

from .conftest import hand_built_mentee

D = datetime.date


def _grow(programme, count: int) -> None:
    for i in range(count):
        mentee = hand_built_mentee(
            programme,
            sex=["female", "male"][i % 2],
            ethnicity="asian_indian",
            country=["IN", "NG", "EG"][i % 3],
            accepted_on=D(2025, 1, 1),
            started_on=D(2025, 2, 1),
            status=Mentorship.Status.COMPLETED,
            ended_on=D(2025, 6, 1),
            ratings={"teaching": 3},
        )
        OutcomeSurvey.objects.create(
            mentorship=Mentorship.objects.get(mentee=mentee),
            mentee=mentee,
            wave=6,
            due_on=D(2025, 12, 1),
            status="answered",
            still_in_nhs="yes",
            training="applying",
            helped="yes",
        )


def _queries(browser, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_the_pages_query_count_does_not_grow_with_the_programme(programme, manager_client):
    pages = [
        reverse(name, args=[programme.slug])
        for name in (
            "monitoring:equality_report",
            "monitoring:equality_download",
            "monitoring:outcomes_report",
            "monitoring:outcomes_download",
        )
    ]
    # Both measurements start equally cold: with Redis the session and the signed-in user
    # are cached after the first page (accounts/auth_backends.py).
    _grow(programme, 6)
    cache.clear()
    small = [_queries(manager_client, url) for url in pages]
    _grow(programme, 24)
    assert EqualityAnswers.objects.count() == 30
    cache.clear()
    assert [_queries(manager_client, url) for url in pages] == small
