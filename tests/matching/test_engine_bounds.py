"""The specialty bounds that let the optimal mode skip pairs: never below a real score."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.engine import Weights
from matching.engine.scoring import FeatureScores

from .engine_strategies import FAMILIES, mentees, mentors

weights = st.builds(
    Weights,
    specialty=st.sampled_from([0.0, 35.0, 60.0]),
    goals=st.sampled_from([0.0, 30.0, 5.0]),
    region=st.sampled_from([0.0, 10.0]),
    format=st.sampled_from([0.0, 10.0, 25.0]),
    img_experience=st.sampled_from([0.0, 10.0]),
    capacity=st.sampled_from([1.0, 5.0]),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(mentees, min_size=1, max_size=10),
    st.lists(mentors, min_size=1, max_size=8),
    weights,
    st.data(),
)
def test_no_pair_scores_above_its_specialty_bound_and_subsets_score_the_same(
    mentee_list, mentor_list, w, data
):
    source = FeatureScores(mentee_list, mentor_list, w, families=FAMILIES)
    full = source.block(slice(0, len(mentee_list)))
    bound = source.spec_bounds()[source.spec_rows()[source.spec_classes]]
    assert (full <= bound).all()
    assert np.isfinite(bound[np.isfinite(full)]).all()
    for c in np.unique(source.spec_classes):
        rows = np.flatnonzero(source.spec_classes == c)
        cols = np.array(
            sorted(data.draw(st.sets(st.integers(0, len(mentor_list) - 1), min_size=1))),
            dtype=np.int64,
        )
        assert np.array_equal(source.block_cols(rows, cols), full[np.ix_(rows, cols)])
