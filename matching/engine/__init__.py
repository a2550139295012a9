"""The matching engine: pure Python and NumPy (and SciPy), never Django.

Public interface: MenteeFeatures, MentorFeatures, Weights, Explanation, score_matrix,
explain, recommend, assign. See docs/matching.md for the formula and both assignment modes.
"""

from __future__ import annotations

from .assignment import assign, assign_cohort
from .encoding import MentorPool
from .explain import explain
from .features import Component, Explanation, MenteeFeatures, MentorFeatures, Reason, Weights
from .scoring import FeatureScores, recommend, score_matrix

__all__ = [
    "Component",
    "Explanation",
    "FeatureScores",
    "MenteeFeatures",
    "MentorFeatures",
    "MentorPool",
    "Reason",
    "Weights",
    "assign",
    "assign_cohort",
    "explain",
    "recommend",
    "score_matrix",
]
