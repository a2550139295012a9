"""Hypothesis strategies shared by the engine tests: small vocabularies, so ties are common."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from matching.engine import MenteeFeatures, MentorFeatures

SPECIALTIES = ["general-practice", "cardiology", "geriatric-medicine", "psychiatry", "radiology"]
FAMILIES = {
    "general-practice": "primary-care",
    "cardiology": "medicine",
    "geriatric-medicine": "medicine",
    "psychiatry": "mental-health",
}  # radiology has no family on purpose
GOALS = ["leadership", "career-move", "postgraduate-exams", "research", "teaching"]
REGIONS = ["london", "midlands", "scotland"]
FORMATS = ["in_person", "virtual", "shadowing"]
COUNTRIES = ["india", "pakistan", "nigeria"]
LANGUAGES = ["hindi", "urdu", "yoruba"]


def _maybe(values):
    return st.none() | st.sampled_from(values)


def _set(values):
    return st.frozensets(st.sampled_from(values), max_size=len(values))


mentees = st.builds(
    MenteeFeatures,
    id=st.integers(1, 8),
    target_specialty=st.sampled_from(SPECIALTIES + ["unknown-specialty"]),
    current_specialty=_maybe(SPECIALTIES),
    goals=st.lists(st.sampled_from(GOALS + ["wellbeing"]), max_size=5).map(tuple),
    region=_maybe(REGIONS),
    formats=_set(FORMATS),
    country=_maybe(COUNTRIES + ["egypt"]),
    languages=_set(LANGUAGES),
)

mentors = st.builds(
    MentorFeatures,
    id=st.integers(1, 8),
    specialties=st.lists(st.sampled_from(SPECIALTIES), max_size=3, unique=True).map(tuple),
    goals=_set(GOALS),
    region=_maybe(REGIONS),
    formats=_set(FORMATS),
    is_img=st.booleans(),
    country=_maybe(COUNTRIES),
    languages=_set(LANGUAGES),
    capacity=st.integers(0, 3),
)


@st.composite
def score_problems(draw, max_mentees: int = 5, max_mentors: int = 4, max_capacity: int = 2):
    """A small score matrix with many ties and -inf holes, and capacities including zero."""
    n = draw(st.integers(1, max_mentees))
    m = draw(st.integers(1, max_mentors))
    values = draw(
        st.lists(
            st.sampled_from([0.0, 1.0, 2.0, 2.5, 3.0, -np.inf]), min_size=n * m, max_size=n * m
        )
    )
    caps = draw(st.lists(st.integers(0, max_capacity), min_size=m, max_size=m))
    return np.array(values).reshape(n, m), caps
