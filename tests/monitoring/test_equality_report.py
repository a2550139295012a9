"""The managers' equality page: figures by group, correct on a hand-built programme, with
small groups hidden, no one named, and only for the programme's own managers."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mentorship.models import Mentorship
from monitoring.aggregates import equality_report

from .conftest import hand_built_mentee

D = datetime.date


def _row(report, key, label):
    table = next(t for t in report["tables"] if t.key == key)
    return next(r for r in table.rows if r.label == label)


@pytest.fixture
def hand_built(programme):
    """Seven women and four men who answered, and one who did not.

    Women (Black African, qualified in Nigeria): 6 matched, waits 10 to 60 days; 5 finished,
    4 of them completed; feedback averages 4, 3, 2, 3, 3; and one (Asian, India) waiting.
    Men (Asian, India): 4, fewer than 5. Not answered: 1 (qualified in the UK).
    """
    people = []
    jan = D(2026, 1, 1)
    spec = [
        (10, Mentorship.Status.COMPLETED, {"teaching": 4, "coaching": 4}),
        (20, Mentorship.Status.COMPLETED, {"teaching": 3}),
        (30, Mentorship.Status.COMPLETED, {"teaching": 2, "coaching": 2}),
        (40, Mentorship.Status.ENDED_EARLY, {"teaching": 3}),
        (50, Mentorship.Status.ACTIVE, {"teaching": 3}),
        (60, Mentorship.Status.COMPLETED, None),
    ]
    for days, status, ratings in spec:
        ended = None if status == Mentorship.Status.ACTIVE else D(2026, 5, 1)
        people.append(
            hand_built_mentee(
                programme,
                sex="female",
                ethnicity="black_african",
                disability="no",
                accepted_on=jan,
                started_on=jan + datetime.timedelta(days=days),
                status=status,
                ended_on=ended,
                ratings=ratings,
            )
        )
    people.append(
        hand_built_mentee(programme, sex="female", ethnicity="asian_indian", country="IN")
    )
    for _ in range(4):
        people.append(
            hand_built_mentee(
                programme,
                sex="male",
                ethnicity="asian_indian",
                country="IN",
                accepted_on=jan,
                started_on=jan + datetime.timedelta(days=5),
                status=Mentorship.Status.COMPLETED,
                ended_on=D(2026, 5, 1),
            )
        )
    people.append(hand_built_mentee(programme, country="GB"))
    return people


def test_the_figures_of_a_group_are_right(hand_built, programme):
    women = _row(equality_report(programme), "sex", "Female")
    # 7 women, 6 matched (86%), median wait (30 + 40) / 2 = 35 days, 4 of the 5 finished
    # completed (80%), feedback: mean of 4, 3, 2, 3, 3 = 3.0
    assert women.values == [7, 86, 35, 80, 3.0]
    assert women.cells == ["7", "86%", "35", "80%", "3"]


def test_a_group_of_four_shows_fewer_than_5_and_hides_its_figures(hand_built, programme):
    report = equality_report(programme)
    men = _row(report, "sex", "Male")
    assert men.cells == ["fewer than 5"] * 5
    # Not answered is 1 (fewer than 5); the men (4) and it together hold 5: women stay shown.
    assert _row(report, "sex", "Not answered").cells[0] == "fewer than 5"
    assert _row(report, "sex", "Female").cells[0] == "7"


def test_a_lone_small_group_takes_the_next_smallest_with_it(hand_built, programme):
    report = equality_report(programme)
    # Ethnic group: Black 6, Asian 5, not answered 1. The lone hidden group (1) could be
    # found by subtraction, so the next smallest (Asian, 5) is hidden with it.
    table = next(t for t in report["tables"] if t.key == "ethnicity")
    ethnic = {row.label: row.cells[0] for row in table.rows}
    assert ethnic["Black, Black British, Caribbean or African"] == "6"
    assert ethnic["Asian or Asian British"] == "fewer than 5"
    assert ethnic["Not answered"] == "fewer than 5"
    assert ethnic["White"] == "fewer than 5"  # 0 is hidden like 1 to 4


def test_a_figure_about_fewer_than_5_people_within_a_group_is_hidden(programme):
    for _ in range(5):
        hand_built_mentee(programme, disability="yes")
        hand_built_mentee(programme, disability="no")
    hand_built_mentee(
        programme,
        disability="yes",
        accepted_on=D(2026, 1, 1),
        started_on=D(2026, 1, 11),
        status=Mentorship.Status.COMPLETED,
        ended_on=D(2026, 5, 1),
        ratings={"teaching": 4},
    )
    row = _row(equality_report(programme), "disability", "Yes")
    assert row.values[0] == 6 and row.values[1] == 17  # 1 of 6 matched
    # One matched mentee's wait, completion and feedback would be that person's own.
    assert row.cells[2:] == ["fewer than 5", "fewer than 5", "fewer than 5"]


def test_country_of_qualification_comes_from_the_profile(hand_built, programme):
    report = equality_report(programme)
    assert _row(report, "country", "Nigeria").values[0] == 6
    # India has 5, but "Other countries" (the UK's 1) would be found by subtraction alone.
    assert _row(report, "country", "India").cells[0] == "fewer than 5"
    assert _row(report, "country", "Other countries (each with fewer than 5 mentees)").cells[0] == (
        "fewer than 5"
    )


def test_another_programmes_people_are_never_counted(hand_built, programme, other_programme):
    for _ in range(7):
        hand_built_mentee(other_programme, sex="female")
    hand_built_mentee(other_programme, sex="female", started_on=D(2026, 2, 1))
    report = equality_report(programme)
    assert report["total"] == 12
    assert _row(report, "sex", "Female").values[0] == 7


def test_the_page_shows_groups_and_names_no_one(hand_built, programme, manager_client):
    response = manager_client.get(reverse("monitoring:equality_report", args=[programme.slug]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "fewer than 5" in text and "Female" in text
    for person in hand_built:
        assert person.full_name not in text
        assert person.email not in text


def test_the_download_has_the_same_suppression_and_names_no_one(
    hand_built, programme, manager_client
):
    url = reverse("monitoring:equality_download", args=[programme.slug])
    response = manager_client.get(url + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "Sex,Male,fewer than 5,fewer than 5" in text
    assert "Sex,Female,7,86,35,80,3.0" in text
    assert text.startswith("Question,Group,People,Matched")
    for person in hand_built:
        assert person.full_name not in text
    excel = manager_client.get(url + "?format=xlsx")
    assert excel.status_code == 200
    assert excel["Content-Disposition"].endswith('.xlsx"')


@pytest.mark.parametrize("name", ["monitoring:equality_report", "monitoring:equality_download"])
def test_another_programmes_manager_gets_404(sign_in, programme, name):
    browser = sign_in("other_manager")
    assert browser.get(reverse(name, args=[programme.slug])).status_code == 404


@pytest.mark.parametrize("role", ["mentee", "mentor", "outsider"])
def test_people_who_manage_nothing_get_403(sign_in, programme, role):
    browser = sign_in(role)
    url = reverse("monitoring:equality_report", args=[programme.slug])
    assert browser.get(url).status_code == 403


def test_a_manager_without_mfa_is_sent_to_set_it_up(sign_in, programme):
    browser = sign_in("manager_without_mfa")
    response = browser.get(reverse("monitoring:equality_report", args=[programme.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_mentors_are_counted_by_group_with_the_same_suppression(programme, other_programme):
    from monitoring.models import EqualityAnswers
    from tests.factories import new_mentor

    for sex in ["female"] * 6 + ["male"] * 3 + [""] * 2:
        # The last two answer only the ethnicity question.
        EqualityAnswers.objects.create(
            user=new_mentor(programme), sex=sex, ethnicity="asian_pakistani"
        )
    for _ in range(4):
        EqualityAnswers.objects.create(user=new_mentor(other_programme), sex="male")
    tables = {t.key: t for t in equality_report(programme)["mentor_tables"]}
    sex = {row.label: row.cells[0] for row in tables["mentors-sex"].rows}
    assert sex == {
        "Female": "6",
        "Male": "fewer than 5",
        "Prefer not to say": "fewer than 5",
        "Not answered": "fewer than 5",
    }
    # All 11 gave the same ethnic group: showing it would give away each one's answer.
    ethnic = {row.label: row.cells[0] for row in tables["mentors-ethnicity"].rows}
    assert set(ethnic.values()) == {"fewer than 5"}
