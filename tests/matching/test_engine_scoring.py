"""Scores, explanations and recommendations agree with each other and with the formula."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.engine import (
    MenteeFeatures,
    MentorFeatures,
    MentorPool,
    Weights,
    explain,
    recommend,
    score_matrix,
)
from matching.reasons import render

from .engine_strategies import FAMILIES, mentees, mentors

weights = st.builds(
    Weights,
    specialty=st.integers(0, 50),
    goals=st.integers(0, 50),
    region=st.integers(0, 20),
    format=st.integers(0, 20),
    img_experience=st.integers(0, 20),
    capacity=st.integers(1, 10),
)
excluded_pairs = st.lists(st.tuples(st.integers(1, 8), st.integers(1, 8)), max_size=4)
FAST = settings(max_examples=150, deadline=None)


@FAST
@given(st.lists(mentees, max_size=6), st.lists(mentors, max_size=6), weights, excluded_pairs)
def test_explain_total_equals_the_matrix_entry(mentee_list, mentor_list, w, excluded):
    scores = score_matrix(mentee_list, mentor_list, w, families=FAMILIES, excluded=excluded)
    assert scores.shape == (len(mentee_list), len(mentor_list))
    assert scores.dtype == np.float64
    for i, mentee in enumerate(mentee_list):
        for j, mentor in enumerate(mentor_list):
            explanation = explain(mentee, mentor, w, families=FAMILIES)
            blocked = (mentee.id, mentor.id) in set(excluded)
            if blocked or not explanation.allowed:
                assert scores[i, j] == -math.inf
            else:
                assert abs(explanation.total - scores[i, j]) <= 1e-9
                assert 0.0 <= scores[i, j] <= 100.0
                parts = sum(c.points for c in explanation.components)
                assert abs(parts - explanation.total) <= 1e-9


@FAST
@given(st.lists(mentees, min_size=1, max_size=4), st.lists(mentors, max_size=8))
def test_a_pair_is_minus_infinity_exactly_when_full_or_the_same_person(mentee_list, mentor_list):
    scores = score_matrix(mentee_list, mentor_list, families=FAMILIES)
    for i, mentee in enumerate(mentee_list):
        for j, mentor in enumerate(mentor_list):
            blocked = mentor.capacity == 0 or mentee.id == mentor.id
            assert (scores[i, j] == -math.inf) == blocked


@FAST
@given(mentees, st.lists(mentors, max_size=10), st.integers(0, 12), excluded_pairs)
def test_recommend_agrees_with_sorting_the_matrix_row(mentee, mentor_list, k, excluded):
    row = score_matrix([mentee], mentor_list, families=FAMILIES, excluded=excluded)[0]
    expected = sorted(
        ((mentor.id, row[j]) for j, mentor in enumerate(mentor_list) if row[j] > -math.inf),
        key=lambda pair: (-pair[1], pair[0]),
    )[:k]
    got = recommend(mentee, mentor_list, k=k, families=FAMILIES, excluded=excluded)
    assert got == [(mentor_id, float(score)) for mentor_id, score in expected]
    pool = MentorPool(mentor_list, FAMILIES)
    assert recommend(mentee, pool, k=k, excluded=excluded) == got


@FAST
@given(st.lists(mentees, max_size=4), st.lists(mentors, max_size=4), weights)
def test_only_the_ratios_of_the_weights_matter(mentee_list, mentor_list, w):
    doubled = Weights(**{name: 2 * value for name, value in w.as_dict().items()})
    a = score_matrix(mentee_list, mentor_list, w, families=FAMILIES)
    b = score_matrix(mentee_list, mentor_list, doubled, families=FAMILIES)
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)


def test_default_weights_sum_to_100():
    assert Weights().total == 100


@pytest.mark.parametrize(
    "bad",
    [{"goals": -1}, {"region": float("nan")}, {"format": float("inf")}, {"capacity": "5"}],
)
def test_a_bad_weight_is_refused_with_a_clear_message(bad):
    with pytest.raises(ValueError, match="weight must be"):
        Weights(**bad)


def test_all_zero_weights_are_refused():
    zero = dict.fromkeys(Weights().as_dict(), 0)
    with pytest.raises(ValueError, match="At least one weight"):
        Weights(**zero)


LABELS = {
    "general-practice": "General Practice",
    "leadership": "Leadership development",
    "career-move": "Career move",
    "postgraduate-exams": "Exams",
    "research": "Research",
    "london": "London",
    "india": "India",
}


def test_reasons_are_data_with_display_names_that_read_as_plain_words():
    mentee = MenteeFeatures(
        id=1,
        target_specialty="general-practice",
        goals=("leadership", "career-move", "postgraduate-exams", "research"),
        region="london",
        formats=frozenset({"virtual"}),
        country="india",
    )
    mentor = MentorFeatures(
        id=2,
        specialties=("general-practice",),
        goals=frozenset({"leadership", "career-move", "postgraduate-exams"}),
        region="london",
        formats=frozenset({"virtual", "in_person"}),
        is_img=True,
        country="india",
        capacity=2,
    )
    explanation = explain(mentee, mentor, labels=LABELS)
    assert explanation.components[1].reason == {
        "code": "goals",
        "supported": 3,
        "of": 4,
        "top": True,
        "top_goal": "Leadership development",
    }
    reasons = {c.name: render(c.reason) for c in explanation.components}
    assert reasons["specialty"] == "Same target specialty: General Practice"
    assert reasons["goals"] == (
        "Supports 3 of your 4 goals, including your top goal: Leadership development"
    )
    assert reasons["region"] == "Same region: London"
    assert reasons["format"] == "Can meet the way you want: by video"
    assert reasons["img_experience"] == "Also qualified abroad, in India like you"
    assert reasons["capacity"] == "Has 2 free places"
    # 35 + 30 * 4/5 + 10 + 10 + 10 + 5 * 2/3
    assert explanation.total == pytest.approx(35 + 24 + 10 + 10 + 10 + 10 / 3, abs=1e-9)
    assert render(explanation.reasons[0]) == reasons["specialty"]


def test_a_related_specialty_scores_half_and_a_current_one_a_quarter():
    mentee = MenteeFeatures(id=1, target_specialty="cardiology", current_specialty="psychiatry")
    related = MentorFeatures(id=2, specialties=("geriatric-medicine",))
    current = MentorFeatures(id=3, specialties=("psychiatry",))
    assert explain(mentee, related, families=FAMILIES).components[0].points == 35 * 0.5
    assert explain(mentee, current, families=FAMILIES).components[0].points == 35 * 0.25


def test_a_full_mentor_and_yourself_are_not_allowed():
    mentee = MenteeFeatures(id=7, target_specialty="general-practice")
    assert explain(mentee, MentorFeatures(id=8, capacity=0)).blocked_reason == (
        "This mentor has no free places."
    )
    assert explain(mentee, MentorFeatures(id=7)).total == -math.inf


def test_a_pool_encoded_with_other_families_is_refused():
    pool = MentorPool([MentorFeatures(id=1)], FAMILIES)
    mentee = MenteeFeatures(id=2, target_specialty="cardiology")
    with pytest.raises(ValueError, match="different specialty families"):
        recommend(mentee, pool, families={"cardiology": "other"})


def test_empty_inputs_give_empty_results():
    mentee = MenteeFeatures(id=1, target_specialty="general-practice")
    assert score_matrix([], [MentorFeatures(id=2)]).shape == (0, 1)
    assert score_matrix([mentee], []).shape == (1, 0)
    assert recommend(mentee, []) == []


def test_a_perfect_match_scores_exactly_100_never_a_hair_more():
    # The exact input that scored 100.00000000000001: 6/7 + 1/7 of 100 in floating point.
    weights = Weights(specialty=0, goals=0, region=0, format=0, img_experience=6, capacity=1)
    mentee = MenteeFeatures(id=1, target_specialty="general-practice", country="india")
    mentor = MentorFeatures(id=2, is_img=True, country="india", capacity=3)

    matrix = score_matrix([mentee], [mentor], weights)
    explanation = explain(mentee, mentor, weights)

    assert matrix[0, 0] == 100.0
    assert explanation.total == 100.0
    assert recommend(mentee, [mentor], weights) == [(2, 100.0)]
    assert sum(c.points for c in explanation.components) == pytest.approx(100.0, abs=1e-9)


@FAST
@given(st.lists(mentees, max_size=4), st.lists(mentors, max_size=4), weights)
def test_every_allowed_score_is_between_0_and_100_whatever_the_weights(mentee_list, mentor_list, w):
    scores = score_matrix(mentee_list, mentor_list, w, families=FAMILIES)
    allowed = scores[scores > -math.inf]
    assert ((allowed >= 0.0) & (allowed <= 100.0)).all()
    for mentee in mentee_list:
        for mentor in mentor_list:
            total = explain(mentee, mentor, w, families=FAMILIES).total
            assert total == -math.inf or 0.0 <= total <= 100.0
