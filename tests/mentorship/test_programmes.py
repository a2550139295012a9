import pytest
from django.urls import reverse

from mentorship.models import MenteeMembership, MentorMembership
from tests.factories import (
    MenteeProfileFactory,
    MentorMembershipFactory,
    MentorProfileFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(client):
    user = MenteeProfileFactory(user__full_name="Dr Sana Malik").user
    client.force_login(user)
    return user


def test_a_mentee_applies_to_an_open_programme(client, applicant, programme):
    response = client.post(
        reverse("mentorship:apply", args=[programme.slug]),
        {"application_note": "I want to move into General Practice."},
    )

    assert response.status_code == 302
    membership = MenteeMembership.objects.get(user=applicant, programme=programme)
    assert membership.status == MenteeMembership.Status.APPLIED
    assert membership.application_note == "I want to move into General Practice."
    html = client.get(reverse("mentorship:mentee_home")).content.decode()
    assert "Waiting for a decision" in html


def test_applying_twice_is_refused_with_409_and_changes_nothing(client, applicant, programme):
    url = reverse("mentorship:apply", args=[programme.slug])
    client.post(url, {"application_note": "First"})

    response = client.post(url, {"application_note": "Second"})

    assert response.status_code == 409
    assert "already applied" in response.content.decode()
    membership = MenteeMembership.objects.get(user=applicant, programme=programme)
    assert membership.application_note == "First"


def test_a_closed_programme_takes_no_applications(client, applicant):
    closed = ProgrammeFactory(is_open=False)
    MentorMembershipFactory(programme=closed)  # not enough to see it

    response = client.post(reverse("mentorship:apply", args=[closed.slug]))

    assert response.status_code == 404
    assert not MenteeMembership.objects.exists()


def test_a_closed_programme_the_mentee_belongs_to_says_why(client, mentee, programme):
    programme.is_open = False
    programme.save()
    MenteeMembership.objects.filter(user=mentee).update(status="withdrawn")
    client.force_login(mentee)

    response = client.post(reverse("mentorship:apply", args=[programme.slug]))

    assert response.status_code == 409
    assert "not taking applications" in response.content.decode()


def test_an_over_long_application_note_is_refused(client, applicant, programme):
    response = client.post(
        reverse("mentorship:apply", args=[programme.slug]), {"application_note": "x" * 1001}
    )

    assert response.status_code == 400
    assert "1000 characters or fewer" in response.content.decode()
    assert not MenteeMembership.objects.exists()


def test_someone_without_a_mentee_profile_cannot_apply(client, outsider, programme):
    client.force_login(outsider)

    response = client.post(reverse("mentorship:apply", args=[programme.slug]))

    assert response.status_code == 403
    assert not MenteeMembership.objects.exists()


def test_a_mentor_offers_to_mentor_and_waits_for_vetting(client, programme):
    user = MentorProfileFactory().user
    client.force_login(user)

    response = client.post(reverse("mentorship:mentor_apply", args=[programme.slug]))

    assert response.status_code == 302
    membership = MentorMembership.objects.get(user=user, programme=programme)
    assert membership.status == MentorMembership.Status.APPLIED


def test_an_invited_mentor_accepts_and_is_approved(client, programme):
    user = MentorProfileFactory().user
    MentorMembershipFactory(programme=programme, user=user, status="invited")
    client.force_login(user)

    client.post(reverse("mentorship:mentor_apply", args=[programme.slug]))

    membership = MentorMembership.objects.get(user=user, programme=programme)
    assert membership.status == MentorMembership.Status.APPROVED


def test_a_mentor_already_approved_gets_409(client, mentor, programme):
    client.force_login(mentor)

    response = client.post(reverse("mentorship:mentor_apply", args=[programme.slug]))

    assert response.status_code == 409
    assert MentorMembership.objects.get(user=mentor).status == MentorMembership.Status.APPROVED


def test_applying_by_get_is_not_allowed(client, applicant, programme):
    response = client.get(reverse("mentorship:apply", args=[programme.slug]))

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (
            {
                f: 0
                for f in [
                    "weight_specialty",
                    "weight_goals",
                    "weight_region",
                    "weight_format",
                    "weight_img_experience",
                    "weight_capacity",
                ]
            },
            "At least one matching weight must be more than 0.",
        ),
        ({"weight_goals": -1}, "Enter 0 or more."),
    ],
)
def test_programme_weights_must_be_non_negative_and_not_all_zero(weights, message):
    from django.core.exceptions import ValidationError

    programme = ProgrammeFactory.build(slug="weights-check", **weights)

    with pytest.raises(ValidationError) as caught:
        programme.full_clean()

    assert message in str(caught.value)


def test_the_database_refuses_all_zero_weights_too(programme):
    from django.db import IntegrityError, transaction

    from mentorship.models.programmes import WEIGHT_FIELDS

    with pytest.raises(IntegrityError), transaction.atomic():
        type(programme).objects.filter(pk=programme.pk).update(**dict.fromkeys(WEIGHT_FIELDS, 0))


def test_a_programmes_weights_feed_the_matching_engine(programme):
    programme.weight_goals = 50
    weights = programme.matching_weights()

    assert weights.goals == 50
    assert weights.specialty == 35
