"""The directory's cost does not grow with the number of mentors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.services import forget_pools
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
        # Bulk inserts send no signals: forget by hand. None forgets what is cached from
        # reference data too (labels, the rendered filter form), so both sizes start cold.
        forget_pools(None)
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
