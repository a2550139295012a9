"""One mentor changed: the cached pool is patched, and the patch is exactly what building the
pool again would give (matching/services.py, patched_pool)."""

import numpy as np
import pytest

from matching.engine import FeatureScores, MenteeFeatures, Weights
from matching.services import build_pool, patched_pool, programme_mentor_features
from tests.factories import MentorshipFactory, goal, language, new_mentor, region, specialty

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentors(programme):
    """Enough variety that every code used below is already in the pool's vocabularies."""
    first = new_mentor(programme, "Dr One", goals=["career-move", "leadership"])
    second = new_mentor(
        programme,
        "Dr Two",
        primary_specialty=specialty("geriatric-medicine"),
        region=region("north-west"),
        goals=["quality-improvement", "postgraduate-exams"],
        shadowing=True,
        is_img=True,
        qualification_country="IN",
    )
    second.mentor_profile.other_specialties.add(specialty("psychiatry"))
    second.mentor_profile.languages.add(language("hindi"))
    third = new_mentor(programme, "Dr Three", capacity=3)
    return first.mentor_profile, second.mentor_profile, third.mentor_profile


# Mentees that between them exercise every part of a score: exact, family and current
# specialty, region, each format, lived IMG experience (country, language), goals.
MENTEES = [
    MenteeFeatures(
        id=900 + i,
        target_specialty=target,
        current_specialty=current,
        goals=goals,
        region=where,
        formats=frozenset(formats),
        country=country,
        languages=frozenset(languages),
    )
    for i, (target, current, goals, where, formats, country, languages) in enumerate(
        [
            (
                "general-practice",
                "geriatric-medicine",
                ("career-move", "leadership"),
                "london",
                ["virtual"],
                "IN",
                ["hindi"],
            ),
            ("psychiatry", None, ("postgraduate-exams",), "north-west", ["shadowing"], "NG", []),
            (
                "geriatric-medicine",
                "psychiatry",
                ("quality-improvement", "leadership"),
                None,
                ["in_person", "virtual"],
                None,
                ["hindi"],
            ),
            ("cardiology", "general-practice", (), "north-west", [], "IN", []),
        ]
    )
]


def assert_same_pool(one, other) -> None:
    """The same mentors, scored the same for every mentee above (the vocabularies may number
    their codes differently: only what the engine makes of them must agree)."""
    np.testing.assert_array_equal(one.ids, other.ids)
    np.testing.assert_array_equal(one.capacities, other.capacities)
    weights = Weights()

    def scores(pool):
        source = FeatureScores(MENTEES, pool, weights, families=pool.families)
        return source.block(slice(0, len(MENTEES)))

    np.testing.assert_array_equal(scores(one), scores(other))


def patch(pool, programme, profile):
    return patched_pool(pool, programme_mentor_features(programme, [profile.user_id]))


def test_a_patched_pool_is_the_pool_built_again(programme, mentors):
    first, second, third = mentors
    pool = build_pool(programme)
    first.capacity = 5
    first.is_img, first.qualification_country = True, "IN"
    first.virtual, first.shadowing = False, True
    first.region = region("north-west")
    first.save()
    first.goals.set([goal("postgraduate-exams")])
    first.other_specialties.set([specialty("psychiatry")])
    first.languages.set([language("hindi")])

    patched = patch(pool, programme, first)

    assert patched is not None
    assert_same_pool(patched, build_pool(programme))
    assert pool.capacities.tolist() == [2, 2, 3]  # the cached pool itself is not changed


def test_pausing_and_a_taken_place_patch_the_free_places(programme, mentors, mentee):
    first, second, third = mentors
    pool = build_pool(programme)
    second.is_accepting_requests = False
    second.save()
    MentorshipFactory(programme=programme, mentor=third.user)

    patched = patch(pool, programme, second)
    patched = patched_pool(patched, programme_mentor_features(programme, [third.user_id]))

    assert patched.capacities.tolist() == [2, 0, 2]
    assert_same_pool(patched, build_pool(programme))


def test_a_code_no_mentor_had_cannot_be_patched(programme, mentors):
    first, *_ = mentors
    pool = build_pool(programme)
    first.primary_specialty = specialty("cardiology")
    first.save()

    assert patch(pool, programme, first) is None


def test_a_mentor_not_in_the_pool_cannot_be_patched(programme, mentors):
    pool = build_pool(programme)
    newcomer = new_mentor(programme, "Dr Newcomer").mentor_profile

    assert patch(pool, programme, newcomer) is None
