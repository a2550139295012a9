"""A programme's matching weights: never negative, never all zero, and what the engine uses."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mentorship.models.programmes import WEIGHT_FIELDS
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (dict.fromkeys(WEIGHT_FIELDS, 0), "At least one matching weight must be more than 0."),
        ({"weight_goals": -1}, "Enter 0 or more."),
    ],
)
def test_programme_weights_must_be_non_negative_and_not_all_zero(weights, message):
    programme = ProgrammeFactory.build(slug="weights-check", **weights)

    with pytest.raises(ValidationError) as caught:
        programme.full_clean()

    assert message in str(caught.value)


def test_the_database_refuses_all_zero_weights_too(programme):
    with pytest.raises(IntegrityError), transaction.atomic():
        type(programme).objects.filter(pk=programme.pk).update(**dict.fromkeys(WEIGHT_FIELDS, 0))


def test_a_programmes_weights_feed_the_matching_engine(programme):
    programme.weight_goals = 50
    weights = programme.matching_weights()

    assert weights.goals == 50
    assert weights.specialty == 35
