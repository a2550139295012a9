"""Every match reason reads right for each of its three readers: the mentee, the mentor and a
manager. The engine gives reasons as data; matching/reasons.py words them."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from matching.engine import MenteeFeatures, MentorFeatures, explain
from matching.reasons import READERS, render, render_all

from .engine_strategies import FAMILIES, mentees, mentors

# (reason, what the mentee reads, what the mentor reads about Amara, what a manager reads)
SENTENCES = [
    (
        {"code": "specialty_same", "specialty": "General Practice"},
        "Same target specialty: General Practice",
        "You work in Amara's target specialty: General Practice",
        "Works in the mentee's target specialty: General Practice",
    ),
    (
        {"code": "specialty_related", "specialty": "Cardiology", "target": "Geriatric Medicine"},
        "Related specialty: Cardiology, close to Geriatric Medicine",
        "Your specialty, Cardiology, is close to Amara's target: Geriatric Medicine",
        "Related specialty: Cardiology, close to the mentee's target: Geriatric Medicine",
    ),
    (
        {"code": "specialty_current", "specialty": "Psychiatry"},
        "Works in your current specialty: Psychiatry",
        "You work in Amara's current specialty: Psychiatry",
        "Works in the mentee's current specialty: Psychiatry",
    ),
    (
        {"code": "specialty_different"},
        "Works in a different specialty",
        "You work in a different specialty from Amara",
        "Works in a different specialty from the mentee",
    ),
    (
        {"code": "goals", "supported": 3, "of": 4, "top": False, "top_goal": "Research"},
        "Supports 3 of your 4 goals",
        "You support 3 of Amara's 4 goals",
        "Supports 3 of the mentee's 4 goals",
    ),
    (
        {
            "code": "goals",
            "supported": 3,
            "of": 4,
            "top": True,
            "top_goal": "Leadership development",
        },
        "Supports 3 of your 4 goals, including your top goal: Leadership development",
        "You support 3 of Amara's 4 goals, including their top goal: Leadership development",
        "Supports 3 of the mentee's 4 goals, including their top goal: Leadership development",
    ),
    (
        {"code": "goals", "supported": 4, "of": 4, "top": True, "top_goal": "Research"},
        "Supports all 4 of your goals",
        "You support all 4 of Amara's goals",
        "Supports all 4 of the mentee's goals",
    ),
    (
        {"code": "goals", "supported": 2, "of": 2, "top": True, "top_goal": "Research"},
        "Supports both of your goals",
        "You support both of Amara's goals",
        "Supports both of the mentee's goals",
    ),
    (
        {"code": "goals", "supported": 1, "of": 1, "top": True, "top_goal": "Postgraduate exams"},
        "Supports your goal: Postgraduate exams",
        "You support Amara's goal: Postgraduate exams",
        "Supports the mentee's goal: Postgraduate exams",
    ),
    (
        {"code": "goals", "supported": 0, "of": 3, "top": False, "top_goal": "Research"},
        "Does not list any of your goals",
        "You do not list any of Amara's goals",
        "Does not list any of the mentee's goals",
    ),
    (
        {"code": "goals", "supported": 0, "of": 0, "top": False},
        "You have not chosen any goals yet",
        "Amara has not chosen any goals yet",
        "The mentee has not chosen any goals yet",
    ),
    (
        {"code": "region_same", "region": "London"},
        "Same region: London",
        "You are in the same region: London",
        "Same region: London",
    ),
    (
        {"code": "region_different", "region": "North West", "mentee_region": "London"},
        "Different region: North West",
        "Amara is in a different region: London",
        "Different regions: the mentee is in London, the mentor in North West",
    ),
    (
        {"code": "region_unknown"},
        "Region not known",
        "Region not known",
        "Region not known",
    ),
    (
        {"code": "format_shared", "formats": ["virtual"]},
        "Can meet the way you want: by video",
        "You can meet the way Amara wants: by video",
        "Can meet the way the mentee wants: by video",
    ),
    (
        {"code": "format_shared", "formats": ["in_person", "shadowing", "virtual"]},
        "Can meet the way you want: in person, shadowing and by video",
        "You can meet the way Amara wants: in person, shadowing and by video",
        "Can meet the way the mentee wants: in person, shadowing and by video",
    ),
    (
        {"code": "format_not_chosen"},
        "You have not said how you want to meet",
        "Amara has not said how they want to meet",
        "The mentee has not said how they want to meet",
    ),
    (
        {"code": "format_none"},
        "Does not offer the way you want to meet",
        "You do not offer the way Amara wants to meet",
        "Does not offer the way the mentee wants to meet",
    ),
    (
        {"code": "img_uk"},
        "Qualified in the UK",
        "You qualified in the UK",
        "Qualified in the UK",
    ),
    (
        {"code": "img_country", "country": "India"},
        "Also qualified abroad, in India like you",
        "You qualified in India too",
        "Also qualified abroad, in India like the mentee",
    ),
    (
        {"code": "img_language", "language": "English"},
        "Also qualified abroad, and speaks English like you",
        "You also qualified abroad, and speak English like Amara",
        "Also qualified abroad, and speaks English like the mentee",
    ),
    (
        {"code": "img_abroad"},
        "Also qualified abroad",
        "You also qualified abroad",
        "Also qualified abroad",
    ),
    (
        {"code": "capacity", "places": 2},
        "Has 2 free places",
        "You have 2 free places",
        "Has 2 free places",
    ),
    (
        {"code": "capacity", "places": 1},
        "Has 1 free place",
        "You have 1 free place",
        "Has 1 free place",
    ),
    (
        {"code": "capacity", "places": 0},
        "Has no free places",
        "You have no free places",
        "Has no free places",
    ),
]


@pytest.mark.parametrize(("reason", "mentee", "mentor", "manager"), SENTENCES)
def test_each_reader_reads_the_reason_in_their_own_words(reason, mentee, mentor, manager):
    assert render(reason, "mentee") == mentee
    assert render(reason, "mentor", mentee_name="Amara") == mentor
    assert render(reason, "manager", mentee_name="Amara") == manager


def test_every_kind_of_reason_has_a_sentence_for_each_reader():
    codes = {reason["code"] for reason, *_ in SENTENCES}
    assert codes == {
        "specialty_same",
        "specialty_related",
        "specialty_current",
        "specialty_different",
        "goals",
        "region_same",
        "region_different",
        "region_unknown",
        "format_shared",
        "format_not_chosen",
        "format_none",
        "img_uk",
        "img_country",
        "img_language",
        "img_abroad",
        "capacity",
    }


def test_the_mentor_reads_the_mentee_when_no_name_is_known():
    reason = {"code": "goals", "supported": 3, "of": 4, "top": False}

    assert render(reason, "mentor") == "You support 3 of the mentee's 4 goals"
    assert render({"code": "goals", "supported": 0, "of": 0}, "mentor") == (
        "The mentee has not chosen any goals yet"
    )


def test_names_keep_their_capitals_whoever_reads_them():
    reason = {"code": "specialty_related", "specialty": "ENT", "target": "General Surgery"}

    for reader in READERS:
        said = render(reason, reader, mentee_name="Amara")
        assert "ENT" in said and "General Surgery" in said


def test_a_reason_stored_as_a_sentence_reads_as_it_was_written():
    old = ["Same target specialty: General Practice", "Supports 3 of your 4 goals"]

    for reader in READERS:
        assert render_all(old, reader, mentee_name="Amara") == old


def test_a_reason_of_an_unknown_kind_is_left_out_rather_than_shown_as_data():
    reasons = [{"code": "moon_phase"}, {"code": "region_same"}, {"code": "img_abroad"}]

    assert render_all(reasons, "manager") == ["Also qualified abroad"]


def test_an_unknown_reader_is_a_mistake_in_the_code():
    with pytest.raises(ValueError, match="not 'admin'"):
        render({"code": "img_uk"}, "admin")  # type: ignore[arg-type]


def test_the_engines_reasons_are_plain_json_with_display_names():
    mentee = MenteeFeatures(
        id=1,
        target_specialty="geriatric-medicine",
        goals=("leadership", "research"),
        region="london",
        country="NG",
        languages=frozenset({"english", "yoruba"}),
    )
    mentor = MentorFeatures(
        id=2,
        specialties=("cardiology",),
        goals=frozenset({"research"}),
        region="north-west",
        is_img=True,
        country="IN",
        languages=frozenset({"english"}),
    )
    labels = {
        "cardiology": "Cardiology",
        "geriatric-medicine": "Geriatric Medicine",
        "leadership": "Leadership development",
        "london": "London",
        "north-west": "North West",
        "english": "English",
    }

    explanation = explain(mentee, mentor, families=FAMILIES, labels=labels)

    reasons = [c.reason for c in explanation.components]
    assert json.loads(json.dumps(reasons)) == reasons
    assert render_all(reasons, "mentor", mentee_name="Amara") == [
        "Your specialty, Cardiology, is close to Amara's target: Geriatric Medicine",
        "You support 1 of Amara's 2 goals",
        "Amara is in a different region: London",
        "Amara has not said how they want to meet",
        "You also qualified abroad, and speak English like Amara",
        "You have 1 free place",
    ]


@settings(max_examples=200, deadline=None)
@given(mentees, mentors)
def test_every_reason_the_engine_gives_reads_as_a_sentence_for_every_reader(mentee, mentor):
    explanation = explain(mentee, mentor, families=FAMILIES)

    for component in explanation.components:
        for reader in READERS:
            said = render(component.reason, reader, mentee_name="Amara")
            assert said and said[0].isupper()
            assert "{" not in said and "None" not in said
