"""One programme's overview for its manager: what is waiting, where to go, its settings."""

import pytest
from django.urls import reverse

from mentorship.models import MenteeMembership
from tests.factories import MenteeMembershipFactory

pytestmark = pytest.mark.django_db


def test_the_overview_shows_counts_links_and_settings(manager_client, programme, mentee, mentor):
    MenteeMembershipFactory(programme=programme, status=MenteeMembership.Status.APPLIED)
    programme.duration_weeks = 16
    programme.request_expiry_days = 14
    programme.weight_goals = 42
    programme.is_open = False
    programme.save()

    response = manager_client.get(reverse("manage:programme", args=[programme.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "You have 1 application to review." in html
    for name in ("manage:applicants", "manage:mentors", "manage:mentees"):
        assert reverse(name, args=[programme.slug]) in html
    assert "16 weeks" in html
    assert "14 days without an answer" in html
    assert "Weekly" in html
    assert "Closed" in html
    assert ">42<" in html


def test_an_unknown_slug_is_404(manager_client):
    response = manager_client.get(reverse("manage:programme", args=["no-such-programme"]))

    assert response.status_code == 404
