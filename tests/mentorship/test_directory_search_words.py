"""Searching the directory finds specialties and goals by name, abbreviation or synonym, with
the same results on PostgreSQL and SQLite (issue 10, item 10). Other filters and search:
test_directory_filters.py."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.models import Goal, MentorProfile, Specialty
from mentorship.reference_data import GOALS, SEARCH_SYNONYMS, SPECIALTIES
from mentorship.search_words import STOP_WORDS, Term, read_query
from tests.factories import new_mentor, specialty
from tests.mentorship.helpers import directory

pytestmark = pytest.mark.django_db

SYNONYM_PHRASES = [phrase for group in SEARCH_SYNONYMS for phrase in group]


@pytest.fixture
def mentors(programme):
    """Seven mentors whose names, job titles and bios say nothing of their specialty or goals,
    so only the search document's specialty and goal names can find them."""

    def mentor(name, main, goals, others=(), bio="Happy to help colleagues new to the NHS."):
        user = new_mentor(
            programme,
            name,
            primary_specialty=specialty(main),
            goals=goals,
            job_title="Consultant",
            organisation="Riverside Trust",
            bio=bio,
        )
        user.mentor_profile.other_specialties.add(*[specialty(code) for code in others])
        return user.mentor_profile

    return {
        "gp": mentor("Dr Alice Okafor", "general-practice", ["career-move", "leadership"]),
        "cardio": mentor("Dr Dan Mensah", "cardiology", ["training-applications"]),
        "paeds": mentor("Dr Efe Adeyemi", "paediatrics", ["portfolio-pathway"]),
        "ed": mentor(
            "Dr Fola Bello",
            "emergency-medicine",
            ["quality-improvement"],
            others=["intensive-care-medicine"],
            bio="Trained in Edinburgh; enjoys teaching.",
        ),
        "obs": mentor("Dr Gita Rao", "obstetrics-gynaecology", ["wellbeing"]),
        "psych": mentor("Dr Cara Ismail", "psychiatry", ["postgraduate-exams"]),
        "surgeon": mentor(
            "Dr Hana Saleh", "paediatric-surgery", ["leadership"], others=["general-practice"]
        ),
    }


def found(client, programme, **params) -> list[str]:
    response = directory(client, programme, order="name", **params)
    assert response.status_code == 200
    return sorted(p.user.full_name for p in response.context["page"].object_list)


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        ("cardiology", {"specialty": "cardiology"}),
        ("Cardiology", {"specialty": "cardiology"}),
        ("general practice", {"specialty": "general-practice"}),
        ("GP", {"specialty": "general-practice"}),
        ("psychiatry", {"specialty": "psychiatry"}),
        ("emergency medicine", {"specialty": "emergency-medicine"}),
        ("A&E", {"specialty": "emergency-medicine"}),
        ("a & e", {"specialty": "emergency-medicine"}),
        ("ED", {"specialty": "emergency-medicine"}),
        ("O&G", {"specialty": "obstetrics-gynaecology"}),
        ("obs and gynae", {"specialty": "obstetrics-gynaecology"}),
        ("ICU", {"specialty": "intensive-care-medicine"}),
        ("critical care", {"specialty": "intensive-care-medicine"}),
        ("leadership", {"goal": "leadership"}),
        ("QI", {"goal": "quality-improvement"}),
        ("quality improvement", {"goal": "quality-improvement"}),
        ("MRCP", {"goal": "postgraduate-exams"}),
        ("MRCPsych", {"goal": "postgraduate-exams"}),
        ("MSRA", {"goal": "training-applications"}),
        ("CESR", {"goal": "portfolio-pathway"}),
        ("wellbeing", {"goal": "wellbeing"}),
    ],
)
def test_a_search_for_a_specialty_or_goal_finds_the_mentors_its_filter_finds(
    mentee_client, programme, mentors, query, same_as
):
    by_filter = found(mentee_client, programme, **same_as)

    assert by_filter  # the comparison means something
    assert found(mentee_client, programme, q=query) == by_filter


def test_a_search_for_paediatrics_also_finds_paediatric_surgery(mentee_client, programme, mentors):
    assert found(mentee_client, programme, specialty="paediatrics") == ["Dr Efe Adeyemi"]
    assert found(mentee_client, programme, q="paediatrics") == ["Dr Efe Adeyemi", "Dr Hana Saleh"]
    assert found(mentee_client, programme, q="paeds") == ["Dr Efe Adeyemi", "Dr Hana Saleh"]


def test_every_word_or_phrase_must_be_found(mentee_client, programme, mentors):
    assert found(mentee_client, programme, q="GP leadership") == [
        "Dr Alice Okafor",
        "Dr Hana Saleh",
    ]
    assert found(mentee_client, programme, q="cardiology MSRA") == ["Dr Dan Mensah"]
    assert found(mentee_client, programme, q="cardiology leadership") == []


def test_a_short_abbreviation_is_found_only_as_itself(mentee_client, programme, mentors):
    # Dr Bello trained in Edinburgh: "ED" finds her only as an emergency medicine doctor.
    mentors["ed"].primary_specialty = specialty("anaesthetics")
    mentors["ed"].other_specialties.clear()
    mentors["ed"].save()

    assert found(mentee_client, programme, q="ED") == []
    assert found(mentee_client, programme, q="edinburgh") == ["Dr Fola Bello"]


def test_a_word_is_found_in_its_singular_or_plural_and_whole(mentee_client, programme, mentors):
    assert found(mentee_client, programme, q="exam") == ["Dr Cara Ismail"]
    assert found(mentee_client, programme, q="paediatric") == ["Dr Efe Adeyemi", "Dr Hana Saleh"]
    assert found(mentee_client, programme, q="cardiologies") == ["Dr Dan Mensah"]
    assert found(mentee_client, programme, q="cardio") == []
    assert found(mentee_client, programme, q="edinburg") == []


def test_a_search_with_no_result_says_so_plainly(mentee_client, programme, mentors):
    response = directory(mentee_client, programme, q="dermatology")

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    html = response.content.decode()
    assert "0 mentors match your filters" in html
    assert "No mentors match. Try removing a filter or searching for fewer words." in html


def test_the_search_box_says_what_it_finds(mentee_client, programme):
    html = directory(mentee_client, programme).content.decode()

    assert "A name, specialty, goal or any word from their profile, like cardiology, GP" in html


def test_a_search_with_synonyms_runs_as_many_queries_as_a_search_for_one_word(
    mentee_client, programme, mentors
):
    def queries(q):
        with CaptureQueriesContext(connection) as ctx:
            directory(mentee_client, programme, q=q)
        return len(ctx.captured_queries)

    directory(mentee_client, programme)  # the mentor pool is cached from here on

    assert queries("GP leadership") == queries("riverside")
    assert queries("A&E QI") == queries("riverside")


def test_a_search_of_only_small_words_finds_nobody(mentee_client, programme, mentors):
    assert found(mentee_client, programme, q="the and of") == []


def test_the_search_document_holds_the_specialties_and_goals(mentors):
    document = MentorProfile.objects.get(pk=mentors["ed"].pk).search_document

    assert document == (
        "Dr Fola Bello Consultant Riverside Trust Emergency Medicine Intensive Care Medicine "
        "Quality improvement Trained in Edinburgh; enjoys teaching."
    )


def test_a_change_of_goals_or_other_specialties_is_searchable_at_once(
    mentee_client, programme, mentors
):
    cardio = mentors["cardio"]
    cardio.goals.add(Goal.objects.get(code="leadership"))
    cardio.other_specialties.set([specialty("geriatric-medicine")])

    assert "Dr Dan Mensah" in found(mentee_client, programme, q="leadership")
    assert found(mentee_client, programme, q="geriatrics") == ["Dr Dan Mensah"]

    cardio.goals.remove(Goal.objects.get(code="leadership"))
    cardio.other_specialties.clear()

    assert "Dr Dan Mensah" not in found(mentee_client, programme, q="leadership")
    assert found(mentee_client, programme, q="geriatrics") == []


def test_a_new_main_specialty_is_searchable_once_saved(mentee_client, programme, mentors):
    cardio = mentors["cardio"]
    cardio.primary_specialty = specialty("neurology")
    cardio.save()

    assert found(mentee_client, programme, q="cardiology") == []
    assert found(mentee_client, programme, q="neurologist") == ["Dr Dan Mensah"]


def test_a_specialty_or_goal_renamed_in_the_admin_is_searchable_by_its_new_name(
    mentee_client, programme, mentors
):
    cardiology = Specialty.objects.get(code="cardiology")
    cardiology.name = "Cardiology and Heart Failure"
    cardiology.save()
    wellbeing = Goal.objects.get(code="wellbeing")
    wellbeing.name = "Wellbeing and avoiding burnout at work"
    wellbeing.save()

    assert found(mentee_client, programme, q="heart failure") == ["Dr Dan Mensah"]
    assert found(mentee_client, programme, q="avoiding") == ["Dr Gita Rao"]


def test_saving_a_profile_without_searched_fields_keeps_its_search_document(mentors):
    profile = MentorProfile.objects.get(pk=mentors["gp"].pk)
    MentorProfile.objects.filter(pk=profile.pk).update(search_document="as it was")

    profile.capacity = 3
    profile.save(update_fields=["capacity"])

    assert MentorProfile.objects.get(pk=profile.pk).search_document == "as it was"


# --- How a search is read ---------------------------------------------------------------


def test_a_search_is_read_into_terms_with_their_synonyms():
    gp, leadership = read_query("GP and leadership")

    assert ("general", "practice") in gp.phrases
    assert ("gp",) in gp.phrases
    assert leadership == Term((("leadership",),))
    assert read_query("general practice") == [gp]
    assert read_query("the of and") == []


def test_an_abbreviation_with_an_ampersand_is_understood_however_it_is_typed():
    assert read_query("A&E") == read_query("a & e") == read_query("A and E")
    assert ("emergency", "medicine") in read_query("A&E")[0].phrases
    assert read_query("R&D") == [Term((("r",),)), Term((("d",),))]


def test_every_synonym_group_reaches_a_specialty_or_goal_name():
    names = [name for _, name, _ in SPECIALTIES] + [name for _, name, _ in GOALS]
    for group in SEARCH_SYNONYMS:
        regexes = [r for phrase in group for term in read_query(phrase) for r in term.regexes()]
        assert any(re.search(r, name, re.IGNORECASE) for r in regexes for name in names), group


def test_a_synonym_with_an_ampersand_or_a_small_word_at_an_end_is_never_looked_for():
    # The search engines read "A&E" as the letters a and e, and PostgreSQL leaves out small
    # words, so "a and e" would be searched as "e" there but as "a and e" on SQLite.
    looked_for = {p for term in map(read_query, SYNONYM_PHRASES) for t in term for p in t.phrases}

    assert ("a&e",) not in looked_for
    assert ("a", "and", "e") not in looked_for
    for phrase in looked_for:
        assert phrase[0] not in STOP_WORDS and phrase[-1] not in STOP_WORDS, phrase
        assert not any("&" in word for word in phrase), phrase


BIOS = [
    "Ten years in A&E before moving into general practice; GP trainer. I supervise PAs.",
    "MRCP PACES examiner. I help with portfolios and interviews.",
    "Psychiatric liaison work and teaching of medical students.",
    "Consultant paediatrician; I supervise paediatric trainees.",
    "Surgeons' tutor. Orthopaedic and trauma rotas, leading a QI project.",
    "I moved from Sudan in 2015 and did the CESR route; happy to share how.",
    "Clinical lead for critical care outreach and the ICU follow-up clinic.",
    "Interested in wellbeing, resilience and avoiding burnout.",
]


@pytest.fixture
def every_specialty(programme):
    """A mentor in each specialty, each supporting a goal and with a bio of their own words."""
    return [
        new_mentor(
            programme,
            f"Dr Test {n:02d}",
            primary_specialty=specialty(code),
            goals=[GOALS[n % len(GOALS)][0]],
            job_title="Consultant" if n % 3 else "Specialty doctor",
            organisation="Riverside Trust",
            bio=BIOS[n % len(BIOS)],
        )
        for n, (code, _, _) in enumerate(SPECIALTIES)
    ]


QUERIES = [
    "cardiology",
    "general practice",
    "GP",
    "paediatrics",
    "psychiatry",
    "QI",
    "leadership",
    "edinburgh teaching",
    "colleagues",
    "consultant riverside",
    "trainees",
    "surgeon",
    "examiner",
    "medicine",
    "pathology",
] + SYNONYM_PHRASES


@pytest.mark.postgres
def test_on_postgres_full_text_search_finds_what_the_word_match_finds(every_specialty):
    """The word match is what SQLite runs; here it runs in Python over the same documents,
    for every name, abbreviation and synonym."""
    from mentorship.directory import search

    documents = dict(MentorProfile.objects.values_list("user__full_name", "search_document"))
    queries = QUERIES + [name for _, name, _ in SPECIALTIES] + [name for _, name, _ in GOALS]
    differences = {}
    for query in queries:
        by_words = sorted(
            name
            for name, document in documents.items()
            if all(
                any(re.search(r, document, re.IGNORECASE) for r in term.regexes())
                for term in read_query(query)
            )
        )
        by_postgres = sorted(
            search(MentorProfile.objects.all(), query).values_list("user__full_name", flat=True)
        )
        if by_postgres != by_words:
            differences[query] = (
                set(by_postgres) - set(by_words),
                set(by_words) - set(by_postgres),
            )
    assert differences == {}, "\n".join(f"{q}: {d}" for q, d in differences.items())
