"""Why a mentee was left without a mentor in a match run, in plain words worked out from
the scores, never guessed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .engine import MenteeFeatures, MentorFeatures, MentorPool, Weights
from .engine.scoring import FeatureScores

TOLERANCE = 1e-9 * 100  # the engine's: 1e-9 of the largest possible score


@dataclass
class UnmatchedReasons:
    """Plain, honest reasons for each mentee the engine left without a mentor, worked out
    from the scores (never a guess): nobody with a free place at all, nobody allowed, the
    specialty not covered, or every possible mentor given to someone else, and why."""

    mentees: Sequence[MenteeFeatures]
    mentors: Sequence[MentorFeatures]
    pool: MentorPool
    weights: Weights
    excluded: list[tuple[int, int]]
    assigned: list[int | None]
    lowest: np.ndarray  # each mentor's lowest score among the mentees given to them
    labels: dict[str, str] = field(default_factory=dict)

    def reasons(self) -> dict[int, str]:
        """Mentee index -> reason, for every unmatched mentee."""
        unmatched = np.array([i for i, j in enumerate(self.assigned) if j is None], dtype=np.int64)
        if not len(unmatched):
            return {}
        caps = np.array([max(m.capacity, 0) for m in self.mentors], dtype=np.int64)
        if not len(self.mentors) or caps.sum() == 0:
            return {int(i): "No mentor in the programme has a free place." for i in unmatched}

        taken = Counter(j for j in self.assigned if j is not None)
        left = caps - np.array([taken.get(j, 0) for j in range(len(caps))], dtype=np.int64)
        covers: dict[str, np.ndarray] = {}
        for j, m in enumerate(self.mentors):
            for s in m.specialties:
                covers.setdefault(s, np.zeros(len(self.mentors), dtype=bool))[j] = True
        fewer_places = int(caps.sum()) < len(self.mentees)
        nobody = np.zeros(len(self.mentors), dtype=bool)

        source = FeatureScores(
            [self.mentees[i] for i in unmatched],
            self.pool,
            self.weights,
            families=self.pool.families,
            excluded=self.excluded,
        )
        found: dict[int, str] = {}
        step = source.block_rows
        for lo in range(0, len(unmatched), step):
            block = source.block(slice(lo, min(lo + step, len(unmatched))))
            for offset, row in enumerate(block):
                i = int(unmatched[lo + offset])
                mentee = self.mentees[i]
                allowed = row > -np.inf
                covering = covers.get(mentee.target_specialty, nobody)
                found[i] = self._reason(mentee, row, allowed, covering, left, fewer_places)
        return found

    def _reason(
        self,
        mentee: MenteeFeatures,
        row: np.ndarray,
        allowed: np.ndarray,
        covering: np.ndarray,
        left: np.ndarray,
        fewer_places: bool,
    ) -> str:
        target = mentee.target_specialty
        specialty = self.labels.get(target, target)
        if not allowed.any():
            with_places = [m for m in self.mentors if m.capacity > 0]
            if all(m.id == mentee.id for m in with_places):
                return "The only mentor with a free place is themself."
            return (
                "Every mentor with a free place has declined them before, so none can be proposed."
            )
        if (allowed & (left > 0)).any():
            # Never expected: both methods fill a free place that someone could take.
            return "Not matched in this run, although a mentor with a free place was available."

        lowest, mine = self.lowest[allowed], row[allowed]
        outscored = bool(np.all(lowest >= mine - TOLERANCE))
        strictly = bool(np.all(lowest > mine + TOLERANCE))
        if strictly:
            given = "mentees who scored higher with them"
        elif outscored:
            given = "mentees who scored at least as high with them"
        else:
            given = (
                "other mentees, because that matched more people or gave a higher total "
                "score for the programme"
            )

        if not (allowed & covering).any():
            barred = [m for j, m in enumerate(self.mentors) if covering[j] and m.capacity > 0]
            if barred and all(m.id == mentee.id for m in barred):
                head = f"The only mentor with a free place who covers {specialty} is themself"
            elif len(barred) == 1:
                head = f"The only mentor with a free place who covers {specialty} declined them"
            elif barred:
                head = f"Every mentor with a free place who covers {specialty} declined them"
            elif covering.any():
                head = f"All mentors who cover {specialty} are full or paused"
            else:
                head = f"No mentor in the programme covers {specialty}"
            return f"{head}, and every other mentor with a free place was given to {given}."
        start = "Fewer places than mentees: every" if fewer_places else "Every"
        return f"{start} mentor who could take them was given to {given}."
