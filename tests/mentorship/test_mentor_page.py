"""One mentor's page in the directory: their profile and, for a mentee, why they match."""

import pytest
from django.urls import reverse

from tests.factories import new_mentor

pytestmark = pytest.mark.django_db


def mentor_url(programme, mentor_user):
    return reverse("mentorship:mentor_detail", args=[programme.slug, mentor_user.pk])


def test_the_mentor_page_shows_the_profile(mentee_client, programme, directory_mentors):
    response = mentee_client.get(mentor_url(programme, directory_mentors["geri"].user))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Consultant Geriatrician" in html
    assert "Acute Internal Medicine" in html
    assert "GMC" not in html


def test_the_mentor_page_shows_the_full_explanation(mentee_client, programme, directory_mentors):
    response = mentee_client.get(mentor_url(programme, directory_mentors["gp"].user))

    html = response.content.decode()
    assert "% match for you" in html
    assert "Same target specialty: General Practice" in html
    assert "Supports both of your goals" in html


def test_a_mentor_of_another_programme_is_404_here(mentee_client, programme, other_programme):
    elsewhere = new_mentor(other_programme, "Dr Elsewhere")

    assert mentee_client.get(mentor_url(programme, elsewhere)).status_code == 404
