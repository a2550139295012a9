"""People a mentee must not be matched with are never shown, suggested, proposed or asked;
managers see that an exclusion exists, not who or why (issue 10, item 9)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching.services import rank_mentors
from mentorship import services
from mentorship.models import Exclusion, MentorRequest

pytestmark = pytest.mark.django_db


def exclude(mentee, person, reason="supervisor") -> Exclusion:
    return services.add_exclusion(
        mentee, name=person.full_name, email=person.email.upper(), reason=reason
    )


def test_an_excluded_mentor_is_never_shown_in_the_directory_or_on_their_page(
    client, programme, mentor, mentee
):
    exclude(mentee, mentor)
    client.force_login(mentee)

    listing = client.get(reverse("mentorship:directory", args=[programme.slug]))
    page = client.get(reverse("mentorship:mentor_detail", args=[programme.slug, mentor.pk]))

    assert mentor.full_name.split()[-1] not in listing.content.decode()
    assert page.status_code == 404


def test_an_excluded_mentor_is_never_suggested_or_asked(programme, mentor, mentee):
    exclude(mentee, mentor)

    ranking = rank_mentors(mentee.mentee_profile, programme)
    with pytest.raises(services.InvalidTransition, match="asked not to be matched"):
        services.request_mentor(mentee, mentor, programme)

    assert ranking.score_of(mentor.pk) is None
    assert not MentorRequest.objects.exists()


def test_an_excluded_mentor_is_never_proposed(programme, manager, mentor, mentee):
    exclude(mentee, mentor)

    with pytest.raises(services.InvalidTransition, match="asked not to be matched"):
        services.propose_match(programme, mentee, mentor, by=manager, score=90.0, reasons=[])

    assert not MentorRequest.objects.exists()


def test_naming_someone_already_asked_closes_the_request(programme, mentor, mentee):
    mentor_request = services.request_mentor(mentee, mentor, programme)

    exclude(mentee, mentor, reason="line_manager")

    mentor_request.refresh_from_db()
    assert mentor_request.status == MentorRequest.Status.WITHDRAWN
    assert Exclusion.objects.get().email == mentor.email.lower()


def test_a_mentee_adds_and_removes_a_name_on_their_page(client, mentee):
    client.force_login(mentee)
    url = reverse("mentorship:exclusions")

    response = client.post(
        url, {"name": "Dr Ann Lee", "email": "ann.lee@example.org", "reason": "department"}
    )

    assert response.status_code == 302
    exclusion = Exclusion.objects.get(mentee=mentee)
    assert "Dr Ann Lee" in client.get(url).content.decode()
    client.post(reverse("mentorship:remove_exclusion", args=[exclusion.pk]))
    assert not Exclusion.objects.exists()


def test_a_bad_email_is_a_clear_error_and_nothing_is_saved(client, mentee):
    client.force_login(mentee)

    response = client.post(
        reverse("mentorship:exclusions"), {"name": "X", "email": "not-an-email", "reason": "x"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in html
    assert "Select a reason" in html
    assert not Exclusion.objects.exists()


def test_another_mentee_cannot_remove_someone_elses_name(client, mentee, other_mentee, mentor):
    exclusion = exclude(mentee, mentor)
    client.force_login(other_mentee)

    response = client.post(reverse("mentorship:remove_exclusion", args=[exclusion.pk]))

    assert response.status_code == 404
    assert Exclusion.objects.filter(pk=exclusion.pk).exists()


def test_managers_see_that_an_exclusion_exists_not_who_or_why(
    manager_client, programme, mentor, mentee
):
    exclude(mentee, mentor)
    membership = mentee.mentee_memberships.get(programme=programme)

    page = manager_client.get(reverse("manage:applicant", args=[programme.slug, membership.pk]))

    html = page.content.decode()
    assert "has named 1 person they must not be matched with" in html
    assert mentor.email not in html
    assert "supervisor" not in html.lower()


def test_the_reason_radios_offer_only_real_reasons(client, mentee):
    client.force_login(mentee)

    html = client.get(reverse("mentorship:exclusions")).content.decode()

    assert "---------" not in html
    assert "My line manager" in html
