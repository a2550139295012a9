"""The directory's cost does not grow with the number of mentors."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import bulk_mentors
from tests.mentorship.helpers import directory

pytestmark = pytest.mark.django_db


def count_queries(client, programme, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = directory(client, programme, **params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_a_directory_page_runs_the_same_queries_for_10_or_10000_mentors(
    mentee_client, programme, other_programme
):
    """Ranked for a mentee, by name, filtered or not; with the cached mentor pool ("warm")
    and right after it was forgotten ("cold")."""
    filters = {"q": "bulk", "goal": "leadership"}

    def measure() -> dict[str, int]:
        # Bulk inserts send no signals: forget by hand. Everything cached goes (the pool,
        # labels, the rendered filter lists, the signed-in user, the session), so both sizes
        # start equally cold.
        cache.clear()
        return {
            "cold": count_queries(mentee_client, programme),
            "warm": count_queries(mentee_client, programme),
            "filtered": count_queries(mentee_client, programme, **filters),
            "by_name": count_queries(mentee_client, programme, order="name", page=2, **filters),
        }

    bulk_mentors(programme, 10)
    small = measure()
    bulk_mentors(programme, 9_990)
    large = measure()

    assert large == small
    assert small["warm"] < small["cold"]
