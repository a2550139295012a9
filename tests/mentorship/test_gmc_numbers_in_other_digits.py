"""A GMC number written in other Unicode digits is the same number (issue 9, item 12)."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from mentorship.models import MenteeProfile, MentorProfile
from tests.factories import MenteeProfileFactory, MentorProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

MENTEE_PROFILE = reverse("mentorship:mentee_profile")
MENTEE = {
    "qualification_country": "IN",
    "gmc_number": "7012345",
    "grade": "trust_grade",
    "target_specialty": "general-practice",
    "goals": ["leadership"],
    "region": "north-west",
    "formats": ["in_person"],
}

# 9238559 in fullwidth, Arabic-Indic, Devanagari, Bengali and Tamil digits.
OTHER_DIGITS = {
    "fullwidth": "９２３８５５９",
    "arabic-indic": "٩٢٣٨٥٥٩",
    "devanagari": "९२३८५५९",
    "bengali": "৯২৩৮৫৫৯",
    "tamil": "௯௨௩௮௫௫௯",
}


@pytest.fixture
def newcomer(client):
    user = UserFactory(full_name="Dr Hiba Elamin")
    client.force_login(user)
    return user


@pytest.mark.parametrize("written", OTHER_DIGITS.values(), ids=OTHER_DIGITS.keys())
def test_a_number_in_other_digits_is_refused_when_someone_already_has_it(client, newcomer, written):
    MentorProfileFactory(gmc_number="9238559")

    response = client.post(MENTEE_PROFILE, {**MENTEE, "gmc_number": written})

    assert response.status_code == 200
    assert "already used by another account" in response.content.decode()
    assert not MenteeProfile.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("written", OTHER_DIGITS.values(), ids=OTHER_DIGITS.keys())
def test_a_number_in_other_digits_is_saved_in_ascii_digits(client, newcomer, written):
    response = client.post(MENTEE_PROFILE, {**MENTEE, "gmc_number": written})

    assert response.status_code == 302
    assert MenteeProfile.objects.get(user=newcomer).gmc_number == "9238559"


def test_superscript_digits_are_not_a_gmc_number(client, newcomer):
    # "²" passes str.isdigit() but is not a decimal digit.
    response = client.post(MENTEE_PROFILE, {**MENTEE, "gmc_number": "²²²²²²²"})

    assert response.status_code == 200
    assert "exactly 7 digits" in response.content.decode()
    assert not MenteeProfile.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("model", [MenteeProfile, MentorProfile], ids=lambda m: m.__name__)
def test_the_model_validator_refuses_non_ascii_digits(model):
    field = model._meta.get_field("gmc_number")

    with pytest.raises(Exception, match="exactly 7 digits"):
        field.run_validators(OTHER_DIGITS["fullwidth"])
    field.run_validators("9238559")


@pytest.mark.parametrize(
    "factory", [MenteeProfileFactory, MentorProfileFactory], ids=["mentee", "mentor"]
)
def test_the_database_refuses_a_gmc_number_in_non_ascii_digits(factory):
    profile = factory(gmc_number="9238559")

    profile.gmc_number = OTHER_DIGITS["arabic-indic"]
    with pytest.raises(IntegrityError), transaction.atomic():
        profile.save(update_fields=["gmc_number"])

    profile.refresh_from_db()
    assert profile.gmc_number == "9238559"


@pytest.mark.parametrize(
    "factory", [MenteeProfileFactory, MentorProfileFactory], ids=["mentee", "mentor"]
)
def test_the_database_still_accepts_no_gmc_number_or_an_ascii_one(factory):
    without = factory(gmc_number=None)
    with_number = factory(gmc_number="7654321")

    assert type(without).objects.get(pk=without.pk).gmc_number is None
    assert type(with_number).objects.get(pk=with_number.pk).gmc_number == "7654321"
