"""Narrowing the directory: filters by specialty, region, goal, format and free place, and
search, for the ranked list and the list by name alike."""

import pytest

from tests.mentorship.helpers import directory, names

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"specialty": "geriatric-medicine"}, ["Dr Bola Geri"]),
        ({"specialty": "acute-internal-medicine"}, ["Dr Bola Geri"]),  # an "other" specialty
        ({"region": "north-west"}, ["Dr Bola Geri"]),
        ({"goal": "leadership"}, ["Dr Alice Gp"]),
        ({"format": "shadowing"}, ["Dr Bola Geri"]),
        ({"format": "in_person"}, ["Dr Alice Gp", "Dr Cara Psych"]),
        ({"free_place": "on"}, ["Dr Alice Gp", "Dr Bola Geri"]),
        ({"q": "pennine"}, ["Dr Cara Psych"]),
        ({"q": "geriatrician"}, ["Dr Bola Geri"]),
        ({"q": "calderdale network"}, ["Dr Alice Gp"]),
        ({"q": "FRAILTY"}, ["Dr Bola Geri"]),
        ({"q": "bola"}, ["Dr Bola Geri"]),
        ({"q": "nobody-matches-this"}, []),
        ({"region": "london", "goal": "postgraduate-exams"}, ["Dr Cara Psych"]),
    ],
)
def test_filters_and_search_narrow_the_list(
    mentee_client, programme, directory_mentors, params, expected
):
    assert names(directory(mentee_client, programme, **params)) == expected


@pytest.mark.postgres
def test_postgres_search_matches_word_forms(mentee_client, programme, directory_mentors):
    assert names(directory(mentee_client, programme, q="leading networks")) == ["Dr Alice Gp"]


def test_filters_apply_to_the_ranked_list_too(mentee_client, programme, directory_mentors):
    ranked = names(directory(mentee_client, programme, free_place="on"))

    assert ranked == ["Dr Alice Gp", "Dr Bola Geri"]
    assert names(directory(mentee_client, programme, q="frailty")) == ["Dr Bola Geri"]


def test_a_paused_mentor_is_not_counted_as_having_a_free_place(
    mentee_client, programme, directory_mentors
):
    directory_mentors["gp"].is_accepting_requests = False
    directory_mentors["gp"].save()

    response = directory(mentee_client, programme, free_place="on")

    assert names(response) == ["Dr Bola Geri"]
    assert "Not taking requests" in directory(mentee_client, programme).content.decode()


def test_an_unknown_filter_code_gets_a_message_not_an_error(
    mentee_client, programme, directory_mentors
):
    response = directory(mentee_client, programme, specialty="astrology")

    assert response.status_code == 200
    assert "Select a specialty from the list" in response.content.decode()
    assert len(names(response)) == 3


def test_search_finds_a_mentor_by_their_new_name(mentee_client, programme, directory_mentors):
    user = directory_mentors["geri"].user
    user.full_name = "Dr Bolanle Adeyemi-Hart"
    user.save()

    assert names(directory(mentee_client, programme, q="adeyemi")) == ["Dr Bolanle Adeyemi-Hart"]
