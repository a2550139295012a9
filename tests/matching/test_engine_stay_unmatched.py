"""The optimal solver's "stay unmatched" places, on instances small enough to check by hand:
both the shared-column and the private-column ways (issue 9, item 25)."""

from __future__ import annotations

import math

import numpy as np

from matching.engine import assign

X = -math.inf


def test_when_two_mentees_want_one_place_the_better_pair_wins_and_the_other_stays_unmatched():
    # Three mentees, three mentors with one place each. Mentees 0 and 1 can only have
    # mentor 0; mentee 2 only mentor 1; mentor 2 suits nobody. The most that can be matched
    # is two, so one row must use a "stay unmatched" place (the shared-column way).
    scores = np.array([[40.0, X, X], [70.0, X, X], [X, 50.0, X]])

    result = assign(scores, [1, 1, 1], method="optimal")

    assert result == [None, 0, 1]


def test_a_mentee_nobody_can_take_stays_unmatched_while_the_rest_are_matched():
    # Six mentees and seven places, but only mentee 3 has an allowed pair: five rows must
    # stay unmatched, more than the edges, so each gets a private column.
    scores = np.full((6, 7), X)
    scores[3, 4] = 12.5

    result = assign(scores, [1] * 7, method="optimal")

    assert result == [None, None, None, 4, None, None]


def test_two_matches_beat_one_and_then_the_higher_total_wins():
    # Two places, three mentees: one must stay unmatched. Of the two-match answers, 95 + 20
    # beats 95 + 10 (mentee 0 taking the second mentor).
    scores = np.array([[95.0, 10.0], [95.0, X], [X, 20.0]])

    result = assign(scores, [1, 1], method="optimal")

    assert sorted(j for j in result if j is not None) == [0, 1]
    assert result[2] == 1
    total = sum(scores[i, j] for i, j in enumerate(result) if j is not None)
    assert total == 115.0
