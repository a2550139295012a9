"""The engine's inputs and outputs: plain frozen dataclasses, no Django."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, TypeAlias

FORMATS = ("in_person", "virtual", "shadowing")


@dataclass(frozen=True)
class MenteeFeatures:
    """What the engine knows about a mentee. `id` is the user id (see docs/matching.md)."""

    id: int
    target_specialty: str
    current_specialty: str | None = None
    goals: tuple[str, ...] = ()  # goal codes, most important first
    region: str | None = None
    formats: frozenset[str] = frozenset()  # among "in_person", "virtual", "shadowing"
    country: str | None = None  # country of primary medical qualification
    languages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MentorFeatures:
    """What the engine knows about a mentor. `id` is the user id: nobody is matched to themself."""

    id: int
    specialties: tuple[str, ...] = ()  # primary first
    goals: frozenset[str] = frozenset()  # goals the mentor can support
    region: str | None = None
    formats: frozenset[str] = frozenset()
    is_img: bool = False
    country: str | None = None
    languages: frozenset[str] = frozenset()
    capacity: int = 1  # free places now; 0 means full


@dataclass(frozen=True)
class Weights:
    """How much each component counts. Only the ratios matter: scores are scaled to 0-100."""

    specialty: float = 35.0
    goals: float = 30.0
    region: float = 10.0
    format: float = 10.0
    img_experience: float = 10.0
    capacity: float = 5.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise ValueError(f"The {f.name} weight must be a number, not {value!r}.")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"The {f.name} weight must be zero or more, not {value!r}.")
        if self.total == 0:
            raise ValueError("At least one weight must be more than zero.")

    @property
    def total(self) -> float:
        return float(sum(getattr(self, f.name) for f in fields(self)))

    def as_dict(self) -> dict[str, float]:
        return {f.name: float(getattr(self, f.name)) for f in fields(self)}


Reason: TypeAlias = dict[str, Any]
"""Why a part of a score is what it is, as data: {"code": "goals", "supported": 3, "of": 4, ...}.

Plain JSON, so it is stored as it is (MentorRequest.reasons, MatchProposal.reasons), and worded
for each reader (the mentee, the mentor, a manager) by matching/reasons.py. Names in it
(specialties, goals, regions, countries, languages) are display names, as the engine was given.
"""


@dataclass(frozen=True)
class Component:
    """One part of a score: its points out of `max_points`, and why (a Reason)."""

    name: str  # "specialty", "goals", "region", "format", "img_experience", "capacity"
    points: float
    max_points: float
    reason: Reason


@dataclass(frozen=True)
class Explanation:
    """A pair's score with its reasons. `total` is -inf when the pair is not allowed."""

    mentee_id: int
    mentor_id: int
    total: float
    components: tuple[Component, ...]
    allowed: bool = True
    blocked_reason: str | None = None

    @property
    def reasons(self) -> list[Reason]:
        """Reasons that earned points, biggest first: what a card shows."""
        earned = sorted((c for c in self.components if c.points > 0), key=lambda c: -c.points)
        return [c.reason for c in earned]
