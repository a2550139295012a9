"""Both assignment modes against brute force on small instances full of ties and holes."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching.engine import assign, assign_cohort, score_matrix

from .engine_strategies import FAMILIES, mentees, mentors, score_problems

FAST = settings(max_examples=200, deadline=None)


def _feasible(scores, caps, result) -> bool:
    load = np.zeros(len(caps), dtype=int)
    for i, j in enumerate(result):
        if j is None:
            continue
        if scores[i, j] == -math.inf:
            return False
        load[j] += 1
    return bool((load <= np.asarray(caps)).all())


def _all_matchings(scores, caps):
    n, m = scores.shape
    for choice in itertools.product(range(-1, m), repeat=n):
        result = [None if j < 0 else j for j in choice]
        if _feasible(scores, caps, result):
            yield result


def _value(scores, result) -> tuple[int, float]:
    pairs = [(i, j) for i, j in enumerate(result) if j is not None]
    return len(pairs), float(sum(scores[i, j] for i, j in pairs))


def _mentee_prefers(scores, i, j, current) -> bool:
    if current is None:
        return True
    return (scores[i, j], -j) > (scores[i, current], -current)


def _blocking_pair(scores, caps, result):
    n, m = scores.shape
    for i, j in itertools.product(range(n), range(m)):
        if scores[i, j] == -math.inf or result[i] == j:
            continue
        if not _mentee_prefers(scores, i, j, result[i]):
            continue
        held = [k for k in range(n) if result[k] == j]
        if len(held) < caps[j] or any((scores[i, j], -i) > (scores[k, j], -k) for k in held):
            return i, j
    return None


@FAST
@given(score_problems(), st.sampled_from([1, 2, 24]))
def test_optimal_matches_the_most_mentees_then_the_highest_total(problem, candidates):
    scores, caps = problem
    result = assign(scores, caps, "optimal", candidates=candidates)
    assert len(result) == scores.shape[0]
    assert _feasible(scores, caps, result)
    best = max((_value(scores, r) for r in _all_matchings(scores, caps)), key=lambda v: v)
    got = _value(scores, result)
    assert got[0] == best[0]
    assert got[1] == pytest.approx(best[1], abs=1e-9)


@FAST
@given(score_problems(), st.sampled_from([1, 2, 32]))
def test_stable_is_the_mentee_optimal_stable_matching(problem, batch):
    scores, caps = problem
    result = assign(scores, caps, "stable", batch=batch)
    assert _feasible(scores, caps, result)
    assert _blocking_pair(scores, caps, result) is None
    stable = [r for r in _all_matchings(scores, caps) if _blocking_pair(scores, caps, r) is None]
    # The mentee-optimal one: every mentee does at least as well as in any stable matching.
    best = [
        r
        for r in stable
        if all(
            r[i] == other[i] or (r[i] is not None and _mentee_prefers(scores, i, r[i], other[i]))
            for other in stable
            for i in range(len(r))
        )
    ]
    assert best == [result]


@settings(max_examples=40, deadline=None)
@given(st.lists(mentees, min_size=1, max_size=5), st.lists(mentors, min_size=1, max_size=4))
def test_cohort_assignment_from_features_agrees_with_the_matrix(mentee_list, mentor_list):
    scores = score_matrix(mentee_list, mentor_list, families=FAMILIES)
    caps = [m.capacity for m in mentor_list]
    for method in ("optimal", "stable"):
        direct = assign(scores, caps, method)
        cohort = assign_cohort(mentee_list, mentor_list, method=method, families=FAMILIES)
        if method == "stable":
            assert cohort == direct
        else:
            assert _value(scores, cohort) == pytest.approx(_value(scores, direct), abs=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_optimal_equals_scipy_on_the_capacity_expanded_matrix(seed):
    rng = np.random.default_rng(seed)
    n, m = 300, 120
    scores = np.round(rng.random((n, m)) * 20) * 2.5  # coarse values: many ties
    scores[rng.random((n, m)) < 0.2] = -np.inf
    caps = rng.integers(0, 4, m)
    result = assign(scores, caps, "optimal", candidates=3)
    assert _feasible(scores, caps, result)
    slots = np.repeat(np.arange(m), caps)
    expanded = scores[:, slots]
    finite = np.where(np.isfinite(expanded), expanded, 0.0)
    # SciPy needs a full matching, so give real pairs a large bonus over the forbidden ones.
    bonus = np.where(np.isfinite(expanded), finite + 1e6, 0.0)
    rows, cols = linear_sum_assignment(bonus, maximize=True)
    real = np.isfinite(expanded[rows, cols])
    got = _value(scores, result)
    assert got[0] == real.sum()
    assert got[1] == pytest.approx(expanded[rows, cols][real].sum(), abs=1e-6)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="Unknown method"):
        assign(np.zeros((1, 1)), [1], "greedy")


def test_capacities_must_match_the_columns():
    with pytest.raises(ValueError, match="one per mentor"):
        assign(np.zeros((2, 3)), [1, 1])


def test_nobody_to_assign():
    assert assign(np.zeros((0, 3)), [1, 1, 1]) == []
    assert assign(np.zeros((2, 0)), [], "stable") == [None, None]
