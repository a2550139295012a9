"""The programme's mentor directory: who is listed, in which order, 20 to a page. Filters and
search: test_directory_filters.py; one mentor's page: test_mentor_page.py."""

import pytest

from tests.factories import MentorMembershipFactory, MentorProfileFactory, bulk_mentors
from tests.mentorship.helpers import directory, names

pytestmark = pytest.mark.django_db


def test_accepted_mentees_see_the_programmes_vetted_mentors_by_name(
    mentee_client, programme, directory_mentors
):
    unvetted = MentorProfileFactory(user__full_name="Dr Aaron Unvetted")
    MentorMembershipFactory(programme=programme, user=unvetted.user, status="applied")

    response = directory(mentee_client, programme)

    assert response.status_code == 200
    assert names(response) == ["Dr Alice Gp", "Dr Bola Geri", "Dr Cara Psych"]
    html = response.content.decode()
    assert "3 mentors" in html
    assert "Dr Aaron Unvetted" not in html


def test_mentees_see_mentors_ranked_by_match_with_the_reasons(
    mentee_client, programme, directory_mentors
):
    response = directory(mentee_client, programme)

    # The mentee wants General Practice, with career move and leadership as goals.
    assert names(response)[0] == "Dr Alice Gp"
    html = response.content.decode()
    assert "% match" in html
    assert "Same target specialty: General Practice" in html
    shown = response.context["page"].object_list
    assert shown[0].match == max(p.match or 0 for p in shown)


def test_a_full_mentor_comes_last_without_a_score(mentee_client, programme, directory_mentors):
    page = directory(mentee_client, programme).context["page"]

    assert page.object_list[-1].user.full_name == "Dr Cara Psych"
    assert page.object_list[-1].match is None


def test_name_order_is_still_available(mentee_client, programme, directory_mentors):
    response = directory(mentee_client, programme, order="name")

    assert names(response) == ["Dr Alice Gp", "Dr Bola Geri", "Dr Cara Psych"]
    assert "% match" not in response.content.decode()


def test_managers_see_name_order_without_scores(manager_client, programme, directory_mentors):
    response = directory(manager_client, programme)

    assert names(response) == ["Dr Alice Gp", "Dr Bola Geri", "Dr Cara Psych"]
    assert "% match" not in response.content.decode()


def test_a_mentee_who_also_mentors_does_not_see_themself(
    mentee_client, mentee, programme, directory_mentors
):
    MentorProfileFactory(user=mentee)
    MentorMembershipFactory(programme=programme, user=mentee)

    for order in ("match", "name"):
        assert mentee.full_name not in names(directory(mentee_client, programme, order=order))


def test_the_directory_shows_20_mentors_a_page(mentee_client, programme):
    bulk_mentors(programme, 45)

    first = directory(mentee_client, programme)
    third = directory(mentee_client, programme, page=3)
    beyond = directory(mentee_client, programme, page=99)

    assert len(names(first)) == 20
    assert len(names(third)) == 5
    assert names(beyond) == names(third)
    assert "Page 2 of 3" in first.content.decode()
