"""The needs-attention list on a programme's page, on its own page filtered by kind, and
across every programme a manager runs; and who may open it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorship.models import MenteeMembership
from tests.factories import new_mentee
from tests.mentorship.test_attention_rules import (
    accepted_days_ago,
    everything_needing_attention,
    started_days_ago,
)

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": 302,
    "outsider": 403,
    "mentee": 403,
    "mentor": 403,
    "manager_without_mfa": 302,
    "other_manager": 404,
    "manager": 200,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["attention", "activity", "activity_download"])
def test_only_the_programmes_managers_open_the_pages(sign_in, programme, role, name):
    response = sign_in(role).get(reverse(f"manage:{name}", args=[programme.slug]))
    assert response.status_code == ROLES[role]


def test_the_programme_page_shows_each_kind_and_links_to_the_full_list(
    manager_client, programme, mentee, active_mentorship
):
    accepted_days_ago(new_mentee(programme, "Dr Waiting Long"), programme, 40)
    started_days_ago(active_mentorship, 21)

    html = manager_client.get(reverse("manage:programme", args=[programme.slug])).content.decode()

    assert "Needs attention" in html
    assert "Waiting for a mentor: 1" in html
    assert "Quiet mentorships: 1" in html
    assert "Dr Waiting Long" in html
    assert "Accepted 40 days ago and still without a mentor" in html
    assert "No confirmed meeting since it started on" in html
    assert reverse("manage:attention", args=[programme.slug]) in html


def test_the_full_list_filters_by_kind(manager_client, programme, active_mentorship):
    waiting = new_mentee(programme, "Dr Waiting Long")
    accepted_days_ago(waiting, programme, 40)
    started_days_ago(active_mentorship, 21)
    page = reverse("manage:attention", args=[programme.slug])

    everything = manager_client.get(page).content.decode()
    quiet_only = manager_client.get(page, {"kind": "quiet"}).content.decode()
    nonsense = manager_client.get(page, {"kind": "<script>"})

    assert "Dr Waiting Long" in everything and "Dr Amara Nwosu and" in everything
    assert "Dr Waiting Long" not in quiet_only and "Dr Amara Nwosu and" in quiet_only
    assert nonsense.status_code == 200 and "Dr Waiting Long" in nonsense.content.decode()
    assert "Quiet mentorships (1)" in everything


def test_the_managers_home_lists_every_programme_they_run_and_no_other(
    manager_client, manager, programme, other_programme, other_manager
):
    third = type(programme).objects.create(name="Eastfield", slug="eastfield", organisation="T")
    third.managers.add(manager)
    accepted_days_ago(new_mentee(programme, "Dr North Waiting"), programme, 40)
    accepted_days_ago(new_mentee(third, "Dr East Waiting"), third, 40)
    accepted_days_ago(new_mentee(other_programme, "Dr South Waiting"), other_programme, 40)

    html = manager_client.get(reverse("manage:home")).content.decode()

    assert "Dr North Waiting" in html and "Dr East Waiting" in html
    assert "Dr South Waiting" not in html
    assert reverse("manage:attention", args=["eastfield"]) in html
    assert MenteeMembership.objects.filter(programme=other_programme).count() == 1


def test_the_pages_take_the_same_queries_at_two_sizes(
    manager_client, programme, manager, django_assert_max_num_queries
):
    page = reverse("manage:attention", args=[programme.slug])
    everything_needing_attention(programme, 1)
    with django_assert_max_num_queries(100) as small:
        assert manager_client.get(page).status_code == 200
    everything_needing_attention(programme, 3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert manager_client.get(page).status_code == 200
