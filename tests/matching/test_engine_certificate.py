"""The optimal mode proves itself: its prices are checked over every pair, independently.

Also both modes against references on cases too big for brute force: SciPy's dense solver for
the optimal total, and a plain Python deferred acceptance for the stable matching.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching.engine import MenteeFeatures, MentorFeatures, assign, score_matrix, stable
from matching.engine.certificate import Certificate, certificate_errors
from matching.engine.optimal import Stats, solve_optimal
from matching.engine.scoring import FeatureScores
from matching.engine.sources import DenseScores
from matching.engine.stable import solve_stable

from . import engine_strategies as vocab
from .engine_strategies import FAMILIES, mentees, mentors, score_problems

FAST = settings(max_examples=150, deadline=None)


def _scipy_best(scores: np.ndarray, caps) -> tuple[int, float]:
    """Most pairs, then the highest total, by SciPy on the capacity-expanded matrix."""
    slots = np.repeat(np.arange(scores.shape[1]), np.maximum(np.asarray(caps), 0))
    if not len(slots):
        return 0, 0.0
    expanded = scores[:, slots]
    allowed = np.isfinite(expanded)
    bonus = np.where(allowed, np.where(allowed, expanded, 0.0) + 1e6, 0.0)
    rows, cols = linear_sum_assignment(bonus, maximize=True)
    real = allowed[rows, cols]
    return int(real.sum()), float(expanded[rows, cols][real].sum())


def _value(scores: np.ndarray, match: np.ndarray) -> tuple[int, float]:
    i = np.flatnonzero(match >= 0)
    return len(i), float(scores[i, match[i]].sum())


def _solve_and_check(scores: np.ndarray, caps, **options) -> np.ndarray:
    source = DenseScores(scores)
    caps = np.maximum(np.asarray(caps, dtype=np.int64), 0)
    stats = Stats()
    match = solve_optimal(source, caps, stats=stats, **options)
    assert stats.certificate is not None
    assert certificate_errors(source, caps, match, stats.certificate) == []
    return match


@FAST
@given(score_problems(max_mentees=7, max_mentors=5, max_capacity=3), st.sampled_from([1, 3, 24]))
def test_optimal_total_equals_scipy_and_its_prices_hold_for_every_pair(problem, candidates):
    scores, caps = problem
    match = _solve_and_check(scores, caps, candidates=candidates, per_mentor=1)
    count, total = _value(scores, match)
    best_count, best_total = _scipy_best(scores, caps)
    assert count == best_count
    assert total == pytest.approx(best_total, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(20, 60),
    st.integers(5, 25),
    st.sampled_from([0.0, 0.1, 0.5]),
)
def test_optimal_on_larger_random_cases_equals_scipy_with_a_valid_certificate(seed, n, m, holes):
    rng = np.random.default_rng(seed)
    scores = np.round(rng.random((n, m)) * 8) * 12.5  # coarse: many ties
    scores[rng.random((n, m)) < holes] = -np.inf
    caps = rng.integers(0, 4, m)
    match = _solve_and_check(scores, caps, candidates=2, per_mentor=1, extra=1)
    count, total = _value(scores, match)
    best_count, best_total = _scipy_best(scores, caps)
    assert count == best_count
    assert total == pytest.approx(best_total, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.lists(mentees, min_size=1, max_size=8), st.lists(mentors, min_size=1, max_size=5))
def test_cohort_certificate_holds_over_every_feature_scored_pair(mentee_list, mentor_list):
    source = FeatureScores(mentee_list, mentor_list, families=FAMILIES)
    stats = Stats()
    match = solve_optimal(source, source.capacities, stats=stats, candidates=1)
    assert certificate_errors(source, source.capacities, match, stats.certificate) == []
    scores = score_matrix(mentee_list, mentor_list, families=FAMILIES)
    assert _value(scores, match)[0] == _scipy_best(scores, source.capacities)[0]
    assert _value(scores, match)[1] == pytest.approx(
        _scipy_best(scores, source.capacities)[1], abs=1e-9
    )


def test_a_certificate_with_a_price_too_low_is_refused():
    rng = np.random.default_rng(7)
    scores = np.round(rng.random((30, 10)) * 10)
    caps = np.full(10, 2)
    source = DenseScores(scores)
    stats = Stats()
    match = solve_optimal(source, caps, stats=stats)
    cert = stats.certificate
    assert certificate_errors(source, caps, match, cert) == []
    # Lower one full mentor's price: some mentee now prefers that mentor to its prices.
    j = int(np.flatnonzero(cert.mentor_price > 0)[0])
    cheaper = cert.mentor_price.copy()
    cheaper[j] -= 1.0
    broken = Certificate(cert.mentor_level, cheaper, cert.mentee_level, cert.mentee_price)
    errors = certificate_errors(source, caps, match, broken)
    assert errors
    assert any("not tight" in e or "worth more" in e for e in errors)


def test_a_certificate_for_a_worse_matching_is_refused():
    scores = np.array([[10.0, 2.0], [9.0, 0.0]])
    caps = np.array([1, 1])
    source = DenseScores(scores)
    stats = Stats()
    match = solve_optimal(source, caps, stats=stats)
    assert match.tolist() == [1, 0]  # 2 + 9 beats 10 + 0
    swapped = np.array([0, 1])
    assert certificate_errors(source, caps, swapped, stats.certificate)


def _deferred_acceptance(scores: np.ndarray, caps) -> list[int | None]:
    """Textbook mentee-proposing deferred acceptance: higher score, then lower index."""
    n, m = scores.shape
    prefs = [
        sorted(
            (j for j in range(m) if scores[i, j] > -math.inf and caps[j] > 0),
            key=lambda j, i=i: (-scores[i, j], j),
        )
        for i in range(n)
    ]
    nxt = [0] * n
    held: list[list[int]] = [[] for _ in range(m)]
    free = list(range(n))
    while free:
        i = free.pop()
        if nxt[i] >= len(prefs[i]):
            continue
        j = prefs[i][nxt[i]]
        nxt[i] += 1
        held[j].append(i)
        held[j].sort(key=lambda k: (-scores[k, j], k))
        if len(held[j]) > caps[j]:
            free.append(held[j].pop())
    result: list[int | None] = [None] * n
    for j, ks in enumerate(held):
        for k in ks:
            result[k] = j
    return result


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(10, 80),
    st.integers(3, 40),
    st.sampled_from([1, 2, 5, 32]),
)
def test_stable_equals_textbook_deferred_acceptance_on_larger_cases(seed, n, m, batch):
    rng = np.random.default_rng(seed)
    scores = np.round(rng.random((n, m)) * 6) * 5.0  # few values: ties everywhere
    scores[rng.random((n, m)) < 0.15] = -np.inf
    caps = rng.integers(0, 4, m)
    got = solve_stable(DenseScores(scores), caps, batch=batch)
    want = _deferred_acceptance(scores, caps)
    assert [None if j < 0 else int(j) for j in got] == want
    assert assign(scores, caps, "stable", batch=batch) == want


@settings(max_examples=60, deadline=None)
@given(
    st.lists(mentees, min_size=1, max_size=40),
    st.lists(mentors, min_size=1, max_size=25),
    st.sampled_from([1, 2, 3, 32]),
)
def test_stable_from_features_scoring_by_specialty_ceiling_equals_deferred_acceptance(
    mentee_list, mentor_list, batch
):
    # Feature scores let stable mode score the high-ceiling specialty band first and skip
    # mentors who could not take the mentee: the matching must not change.
    source = FeatureScores(mentee_list, mentor_list, families=FAMILIES)
    scores = score_matrix(mentee_list, mentor_list, families=FAMILIES)
    with pytest.MonkeyPatch.context() as mp:  # every class by class, however small
        mp.setattr(stable, "_CLASS_PAIRS", 0)
        got = solve_stable(source, source.capacities, batch=batch)
    want = _deferred_acceptance(scores, source.capacities)
    assert [None if j < 0 else int(j) for j in got] == want
    assert np.array_equal(got, solve_stable(DenseScores(scores), source.capacities, batch=batch))


def _random_cohort(rng, n: int, m: int):
    """Many mentees on few mentors, so mentors fill up and mentees go far down their lists."""

    def some(values, most):
        return frozenset(rng.choice(values, rng.integers(0, most + 1), replace=False).tolist())

    specialties = vocab.SPECIALTIES
    mentee_list = [
        MenteeFeatures(
            id=1000 + i,
            target_specialty=str(rng.choice(specialties)),
            current_specialty=str(rng.choice(specialties)) if rng.random() < 0.5 else None,
            goals=tuple(rng.permutation(vocab.GOALS)[: rng.integers(0, 4)].tolist()),
            region=str(rng.choice(vocab.REGIONS)),
            formats=some(vocab.FORMATS, 2),
            country=str(rng.choice(vocab.COUNTRIES)),
            languages=some(vocab.LANGUAGES, 1),
        )
        for i in range(n)
    ]
    mentor_list = [
        MentorFeatures(
            id=(1000 + j) if j < 3 else 5000 + j,  # a few mentors are also mentees
            specialties=tuple(rng.permutation(specialties)[: rng.integers(0, 3)].tolist()),
            goals=some(vocab.GOALS, 3),
            region=str(rng.choice(vocab.REGIONS)),
            formats=some(vocab.FORMATS, 2),
            is_img=bool(rng.random() < 0.6),
            country=str(rng.choice(vocab.COUNTRIES)),
            languages=some(vocab.LANGUAGES, 1),
            capacity=int(rng.integers(0, 4)),
        )
        for j in range(m)
    ]
    return mentee_list, mentor_list


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("batch", [1, 2, 5])
@pytest.mark.parametrize("class_pairs", [0, stable._CLASS_PAIRS])  # by class / whole rows
def test_stable_from_features_equals_deferred_acceptance_when_mentors_fill_up(
    seed, batch, class_pairs, monkeypatch
):
    monkeypatch.setattr(stable, "_CLASS_PAIRS", class_pairs)
    rng = np.random.default_rng(seed)
    mentee_list, mentor_list = _random_cohort(rng, 400, 60)
    source = FeatureScores(mentee_list, mentor_list, families=FAMILIES)
    scores = score_matrix(mentee_list, mentor_list, families=FAMILIES)
    got = solve_stable(source, source.capacities, batch=batch)
    want = _deferred_acceptance(scores, source.capacities)
    assert [None if j < 0 else int(j) for j in got] == want
    assert 0 < (got >= 0).sum() < len(mentee_list)  # mentors were full before the end
