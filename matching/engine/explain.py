"""One pair's score, component by component, with the reason for each as data.

A reason is a code and its parameters ({"code": "goals", "supported": 3, "of": 4, ...}), never
a sentence: the mentee, the mentor and a manager each read it in their own words, which
matching/reasons.py writes. The codes and parameters are listed there.

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
from .features import Component, Explanation, MenteeFeatures, MentorFeatures, Reason, Weights


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
    region_reason: Reason
    if same_region:
        region_reason = {"code": "region_same", "region": label(mentor.region or "")}
    elif mentee.region is None or mentor.region is None:
        region_reason = {"code": "region_unknown"}
    else:
        region_reason = {
            "code": "region_different",
            "region": label(mentor.region),
            "mentee_region": label(mentee.region),
        }

    shared = [f for f in sorted(mentee.formats & mentor.formats)]
    fmt = int(bool(shared)) * w.format * scale
    format_reason: Reason
    if shared:
        format_reason = {"code": "format_shared", "formats": shared}
    elif not mentee.formats:
        format_reason = {"code": "format_not_chosen"}
    else:
        format_reason = {"code": "format_none"}

    img_level, img_reason = _img(mentee, mentor, label)
    img = IMG_LEVELS[img_level] * w.img_experience * scale

    cap_level = capacity_level(mentor.capacity)
    cap = cap_level / FULL_CAPACITY * w.capacity * scale
    cap_reason: Reason = {"code": "capacity", "places": max(int(mentor.capacity), 0)}

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


def _specialty(mentee, mentor, families, label) -> tuple[int, Reason]:
    target = mentee.target_specialty
    if target in mentor.specialties:
        return SPEC_EXACT, {"code": "specialty_same", "specialty": label(target)}
    family = families.get(target)
    if family is not None:
        for s in mentor.specialties:
            if families.get(s) == family:
                reason = {
                    "code": "specialty_related",
                    "specialty": label(s),
                    "target": label(target),
                }
                return SPEC_FAMILY, reason
    current = mentee.current_specialty
    if current and current in mentor.specialties:
        return SPEC_CURRENT, {"code": "specialty_current", "specialty": label(current)}
    return 0, {"code": "specialty_different"}


def _goal_reason(goals, supported, top, label) -> Reason:
    """How many of the mentee's goals the mentor supports; `top_goal` is the mentee's first."""
    reason: Reason = {"code": "goals", "supported": len(supported), "of": len(goals), "top": top}
    if goals:
        reason["top_goal"] = label(goals[0])
    return reason


def _img(mentee, mentor, label) -> tuple[int, Reason]:
    if not mentor.is_img:
        return 0, {"code": "img_uk"}
    if mentee.country is not None and mentee.country == mentor.country:
        return IMG_COUNTRY, {"code": "img_country", "country": label(mentor.country)}
    shared = sorted(mentee.languages & mentor.languages)
    if shared:
        return IMG_LANGUAGE, {"code": "img_language", "language": label(shared[0])}
    return IMG_ONLY, {"code": "img_abroad"}
