"""Match reasons in words, for whoever reads them: the mentee, the mentor or a manager.

The engine gives each reason as data ({"code": "goals", "supported": 3, "of": 4, ...}, see
matching/engine/explain.py), and requests and proposals store that data. Every page, email and
the CSV words it here, so the mentee reads "Supports 3 of your 4 goals", the mentor "You
support 3 of Amara's 4 goals" and a manager "Supports 3 of the mentee's 4 goals".

Names inside a reason (specialties, goals, regions, countries, languages) are shown as they
are, capitals and all. Reasons stored as sentences before reasons were data are shown as they
were written. Pure Python: no Django, so the engine's tests can use it too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, Literal

log = logging.getLogger(__name__)

Reader = Literal["mentee", "mentor", "manager"]
READERS: tuple[Reader, ...] = ("mentee", "mentor", "manager")

# One sentence per reader: (mentee, mentor, manager). In the mentor's sentences {mentee} is the
# mentee's first name and {whose} its possessive ("Amara's").
SENTENCES: dict[str, tuple[str, str, str]] = {
    "specialty_same": (
        "Same target specialty: {specialty}",
        "You work in {whose} target specialty: {specialty}",
        "Works in the mentee's target specialty: {specialty}",
    ),
    "specialty_related": (
        "Related specialty: {specialty}, close to {target}",
        "Your specialty, {specialty}, is close to {whose} target: {target}",
        "Related specialty: {specialty}, close to the mentee's target: {target}",
    ),
    "specialty_current": (
        "Works in your current specialty: {specialty}",
        "You work in {whose} current specialty: {specialty}",
        "Works in the mentee's current specialty: {specialty}",
    ),
    "specialty_different": (
        "Works in a different specialty",
        "You work in a different specialty from {mentee}",
        "Works in a different specialty from the mentee",
    ),
    "goals_not_chosen": (
        "You have not chosen any goals yet",
        "{mentee} has not chosen any goals yet",
        "The mentee has not chosen any goals yet",
    ),
    "goals_none": (
        "Does not list any of your goals",
        "You do not list any of {whose} goals",
        "Does not list any of the mentee's goals",
    ),
    "goals_one": (
        "Supports your goal: {top_goal}",
        "You support {whose} goal: {top_goal}",
        "Supports the mentee's goal: {top_goal}",
    ),
    "goals_both": (
        "Supports both of your goals",
        "You support both of {whose} goals",
        "Supports both of the mentee's goals",
    ),
    "goals_all": (
        "Supports all {of} of your goals",
        "You support all {of} of {whose} goals",
        "Supports all {of} of the mentee's goals",
    ),
    "goals_top": (
        "Supports {supported} of your {of} goals, including your top goal: {top_goal}",
        "You support {supported} of {whose} {of} goals, including their top goal: {top_goal}",
        "Supports {supported} of the mentee's {of} goals, including their top goal: {top_goal}",
    ),
    "goals_some": (
        "Supports {supported} of your {of} goals",
        "You support {supported} of {whose} {of} goals",
        "Supports {supported} of the mentee's {of} goals",
    ),
    "region_same": (
        "Same region: {region}",
        "You are in the same region: {region}",
        "Same region: {region}",
    ),
    "region_different": (
        "Different region: {region}",
        "{mentee} is in a different region: {mentee_region}",
        "Different regions: the mentee is in {mentee_region}, the mentor in {region}",
    ),
    "region_unknown": (
        "Region not known",
        "Region not known",
        "Region not known",
    ),
    "format_shared": (
        "Can meet the way you want: {ways}",
        "You can meet the way {mentee} wants: {ways}",
        "Can meet the way the mentee wants: {ways}",
    ),
    "format_not_chosen": (
        "You have not said how you want to meet",
        "{mentee} has not said how they want to meet",
        "The mentee has not said how they want to meet",
    ),
    "format_none": (
        "Does not offer the way you want to meet",
        "You do not offer the way {mentee} wants to meet",
        "Does not offer the way the mentee wants to meet",
    ),
    "img_uk": (
        "Qualified in the UK",
        "You qualified in the UK",
        "Qualified in the UK",
    ),
    "img_country": (
        "Also qualified abroad, in {country} like you",
        "You qualified in {country} too",
        "Also qualified abroad, in {country} like the mentee",
    ),
    "img_language": (
        "Also qualified abroad, and speaks {language} like you",
        "You also qualified abroad, and speak {language} like {mentee}",
        "Also qualified abroad, and speaks {language} like the mentee",
    ),
    "img_abroad": (
        "Also qualified abroad",
        "You also qualified abroad",
        "Also qualified abroad",
    ),
    "capacity": (
        "Has {free_places}",
        "You have {free_places}",
        "Has {free_places}",
    ),
}

WAYS_TO_MEET = {"in_person": "in person", "virtual": "by video", "shadowing": "shadowing"}


def render(
    reason: Mapping[str, Any] | str, reader: Reader = "mentee", *, mentee_name: str | None = None
) -> str | None:
    """One reason in the reader's words; None if it cannot be worded (an unknown code)."""
    if reader not in READERS:
        raise ValueError(f"Reasons are worded for {', '.join(READERS)}, not {reader!r}.")
    if isinstance(reason, str):
        return reason  # stored before reasons were data: shown as it was written
    params = dict(reason)
    key = _sentence_key(params)
    if key not in SENTENCES:
        log.warning("No words for the match reason %r", reason)
        return None
    params["mentee"] = mentee_name or "the mentee"
    params["whose"] = f"{mentee_name}'s" if mentee_name else "the mentee's"
    params["ways"] = _ways(params.get("formats") or ())
    params["free_places"] = _free_places(params.get("places", 0))
    try:
        text = SENTENCES[key][READERS.index(reader)].format_map(params)
    except (KeyError, IndexError, ValueError):
        log.warning("The match reason %r lacks a part its sentence needs", reason)
        return None
    return text[:1].upper() + text[1:]  # "the mentee has ..." starts a sentence


def render_all(
    reasons: Iterable[Mapping[str, Any] | str] | None,
    reader: Reader = "mentee",
    *,
    mentee_name: str | None = None,
) -> list[str]:
    """Every reason that can be worded, in order, in the reader's words."""
    said = (render(r, reader, mentee_name=mentee_name) for r in reasons or ())
    return [text for text in said if text]


def _sentence_key(params: Mapping[str, Any]) -> str:
    code = str(params.get("code", ""))
    if code != "goals":
        return code
    supported, of = int(params.get("supported", 0)), int(params.get("of", 0))
    if of == 0:
        return "goals_not_chosen"
    if supported == 0:
        return "goals_none"
    if of == 1:
        return "goals_one"
    if supported == of:
        return "goals_both" if of == 2 else "goals_all"
    return "goals_top" if params.get("top") else "goals_some"


def _ways(formats: Iterable[str]) -> str:
    words = [WAYS_TO_MEET.get(f, str(f)) for f in formats]
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _free_places(places: object) -> str:
    count = max(int(places), 0) if isinstance(places, int | float) else 0
    if count == 0:
        return "no free places"
    return f"{count} free place{'' if count == 1 else 's'}"
