"""One pair's score, component by component, with reasons in plain words.

Written with plain Python sets on purpose: it is a second, independent implementation of the
formula, and the property tests check that it agrees with the vectorised score_matrix.
"""

from __future__ import annotations

from collections.abc import Mapping

from .encoding import (
    FULL_CAPACITY,
    IMG_COUNTRY,
    IMG_LANGUAGE,
    IMG_LEVELS,
    IMG_ONLY,
    SPEC_CURRENT,
    SPEC_EXACT,
    SPEC_FAMILY,
    SPECIALTY_LEVELS,
    capacity_level,
    clamp_score,
    goal_fraction,
    unique_goals,
)
from .features import Component, Explanation, MenteeFeatures, MentorFeatures, Weights

FORMAT_LABELS = {"in_person": "in person", "virtual": "by video", "shadowing": "shadowing"}


def explain(
    mentee: MenteeFeatures,
    mentor: MentorFeatures,
    weights: Weights = Weights(),
    *,
    families: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> Explanation:
    """The score of one pair, its points per component and the reason for each."""
    names = labels or {}

    def label(code: str) -> str:
        return names.get(code, code)

    w = weights
    scale = 100.0 / w.total
    families = families or {}

    spec_level, spec_reason = _specialty(mentee, mentor, families, label)
    spec = SPECIALTY_LEVELS[spec_level] * w.specialty * scale

    goals = unique_goals(mentee.goals)
    supported = [g for g in goals if g in mentor.goals]
    top = bool(goals) and goals[0] in mentor.goals
    goal = scale * w.goals * goal_fraction(len(goals), len(supported), top)

    same_region = mentee.region is not None and mentee.region == mentor.region
    region = int(same_region) * w.region * scale
    if same_region:
        region_reason = f"Same region: {label(mentor.region or '')}"
    elif mentee.region is None or mentor.region is None:
        region_reason = "Region not known"
    else:
        region_reason = f"Different region: {label(mentor.region)}"

    shared = [f for f in sorted(mentee.formats & mentor.formats)]
    fmt = int(bool(shared)) * w.format * scale
    if shared:
        ways = ", ".join(FORMAT_LABELS.get(f, label(f)) for f in shared)
        format_reason = f"Can meet the way you want: {ways}"
    elif not mentee.formats:
        format_reason = "You have not said how you want to meet"
    else:
        format_reason = "Does not offer the way you want to meet"

    img_level, img_reason = _img(mentee, mentor, label)
    img = IMG_LEVELS[img_level] * w.img_experience * scale

    cap_level = capacity_level(mentor.capacity)
    cap = cap_level / FULL_CAPACITY * w.capacity * scale
    places = max(int(mentor.capacity), 0)
    cap_reason = f"Has {places} free place{'' if places == 1 else 's'}"

    total = spec  # the same order of addition as the score table
    total += goal
    total += region
    total += fmt
    total += img
    total += cap
    total = clamp_score(total)  # as the score table does

    blocked = None
    if mentee.id == mentor.id:
        blocked = "This is you."
    elif cap_level == 0:
        blocked = "This mentor has no free places."
    components = (
        Component("specialty", spec, w.specialty * scale, spec_reason),
        Component("goals", goal, w.goals * scale, _goal_reason(goals, supported, top, label)),
        Component("region", region, w.region * scale, region_reason),
        Component("format", fmt, w.format * scale, format_reason),
        Component("img_experience", img, w.img_experience * scale, img_reason),
        Component("capacity", cap, w.capacity * scale, cap_reason),
    )
    return Explanation(
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        total=float("-inf") if blocked else total,
        components=components,
        allowed=blocked is None,
        blocked_reason=blocked,
    )


def _specialty(mentee, mentor, families, label) -> tuple[int, str]:
    target = mentee.target_specialty
    if target in mentor.specialties:
        return SPEC_EXACT, f"Same target specialty: {label(target)}"
    family = families.get(target)
    if family is not None:
        for s in mentor.specialties:
            if families.get(s) == family:
                return SPEC_FAMILY, f"Related specialty: {label(s)}, close to {label(target)}"
    current = mentee.current_specialty
    if current and current in mentor.specialties:
        return SPEC_CURRENT, f"Works in your current specialty: {label(current)}"
    return 0, "Works in a different specialty"


def _goal_reason(goals, supported, top, label) -> str:
    n, s = len(goals), len(supported)
    if n == 0:
        return "You have not chosen any goals yet"
    if s == 0:
        return "Does not list any of your goals"
    if n == 1:
        return f"Supports your goal: {label(goals[0])}"
    if s == n:
        return "Supports both of your goals" if n == 2 else f"Supports all {n} of your goals"
    if top:
        return f"Supports {s} of your {n} goals, including your top goal: {label(goals[0])}"
    return f"Supports {s} of your {n} goals"


def _img(mentee, mentor, label) -> tuple[int, str]:
    if not mentor.is_img:
        return 0, "Qualified in the UK"
    if mentee.country is not None and mentee.country == mentor.country:
        return IMG_COUNTRY, f"Also qualified abroad, in {label(mentor.country)} like you"
    shared = sorted(mentee.languages & mentor.languages)
    if shared:
        return IMG_LANGUAGE, f"Also qualified abroad, and speaks {label(shared[0])}"
    return IMG_ONLY, "Also qualified abroad"
