"""The managers' outcomes page: answers by cohort (the year the mentorship ended), with
counts and percentages, small cells hidden, and only for the programme's own managers."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mentorship.models import Mentorship
from monitoring.aggregates import outcomes_report
from monitoring.models import OutcomeSurvey

from .conftest import hand_built_mentee

D = datetime.date


def _surveys(programme, ended_on, answers, *, wave=6, closed=0, open_=0):
    """One mentee per answer (still_in_nhs, training, helped), plus closed and open ones."""
    made = []
    for status, answer in (
        [("answered", a) for a in answers] + [("closed", None)] * closed + [("open", None)] * open_
    ):
        mentee = hand_built_mentee(
            programme, started_on=D(2024, 1, 1), status="completed", ended_on=ended_on
        )
        mentorship = Mentorship.objects.get(mentee=mentee)
        survey = OutcomeSurvey(mentorship=mentorship, mentee=mentee, wave=wave, due_on=ended_on)
        survey.status = status
        if answer:
            survey.still_in_nhs, survey.training, survey.helped = answer
        survey.save()
        made.append(mentee)
    return made


def _table(waves, wave, key):
    found = next(w for w in waves if w["wave"] == wave)
    if key == "response":
        return found["response"]
    return next(t for t in found["questions"] if t.key.startswith(key))


@pytest.fixture
def cohorts(programme):
    """2024: 8 answers (6 yes and 2 no to the NHS), 1 closed, 1 open. 2025: 3 answers."""
    people = _surveys(
        programme,
        D(2024, 6, 30),
        [("yes", "in_post", "yes")] * 6 + [("no", "neither", "partly")] * 2,
        closed=1,
        open_=1,
    )
    people += _surveys(programme, D(2025, 3, 1), [("yes", "applying", "yes")] * 3)
    return people


def test_the_cohort_table_counts_surveys_and_answers(cohorts, programme):
    waves = outcomes_report(programme)
    response = _table(waves, 6, "response")
    assert [(r.label, r.values) for r in response.rows] == [
        ("2024", [10, 8, 1, 1]),
        ("2025", [3, 3, 0, 0]),
    ]
    assert _table(waves, 12, "response").rows == []


def test_answers_show_counts_and_percentages_with_small_cells_hidden(cohorts, programme):
    nhs = _table(outcomes_report(programme), 6, "still_in_nhs")
    row_2024 = nhs.rows[0]
    assert nhs.columns == ["Cohort (year ended)", "Answered", "Yes", "No", "Prefer not to say"]
    # 2 said no and 0 preferred not to say: together fewer than 5, so "yes" is hidden too
    # (otherwise 8 - 6 would give the 2 away).
    assert row_2024.cells == ["8", "fewer than 5", "fewer than 5", "fewer than 5"]
    helped = _table(outcomes_report(programme), 6, "helped").rows[0]
    assert helped.cells == ["8", "fewer than 5", "fewer than 5", "fewer than 5"]


def test_a_cohort_with_fewer_than_5_answers_shows_no_breakdown(cohorts, programme):
    row_2025 = _table(outcomes_report(programme), 6, "training").rows[1]
    assert row_2025.label == "2025"
    assert row_2025.cells[0] == "3"
    assert set(row_2025.cells[1:]) == {"fewer than 5"}


def test_counts_of_5_or_more_show_with_their_percentage(programme):
    _surveys(
        programme,
        D(2024, 6, 30),
        [("yes", "in_post", "yes")] * 6
        + [("no", "in_post", "no")] * 5
        + [("prefer_not_to_say", "in_post", "no")] * 5,
    )
    row = _table(outcomes_report(programme), 6, "still_in_nhs").rows[0]
    assert row.cells == ["16", "6 (38%)", "5 (31%)", "5 (31%)"]
    assert row.values == [16, 6, 5, 5]


def test_another_programmes_surveys_are_never_counted(cohorts, programme, other_programme):
    _surveys(other_programme, D(2024, 6, 30), [("no", "neither", "no")] * 9)
    response = _table(outcomes_report(programme), 6, "response")
    assert response.rows[0].values == [10, 8, 1, 1]


def test_the_page_and_download_show_cohorts_and_name_no_one(cohorts, programme, manager_client):
    page = manager_client.get(reverse("monitoring:outcomes_report", args=[programme.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "2024" in text and "fewer than 5" in text
    download = manager_client.get(
        reverse("monitoring:outcomes_download", args=[programme.slug]) + "?format=csv"
    )
    csv = download.content.decode("utf-8-sig")
    assert "6 months,2024,Still working in the NHS,No,fewer than 5" in csv
    for person in cohorts:
        assert person.full_name not in text and person.full_name not in csv


@pytest.mark.parametrize("name", ["monitoring:outcomes_report", "monitoring:outcomes_download"])
def test_another_programmes_manager_gets_404(sign_in, programme, name):
    browser = sign_in("other_manager")
    assert browser.get(reverse(name, args=[programme.slug])).status_code == 404
