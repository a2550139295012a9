"""The dashboard pages: who may see them, what they show, the date range, the charts under
the Content-Security-Policy, and the downloads of the same figures."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from journey.models import Feedback
from tests.factories import MentorshipFactory, new_mentee, new_mentorship

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(programme, manager, mentee, mentor):
    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=2)
    new_mentee(programme, "Dr Still Waiting")
    return mentorship


def url(programme, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("manage:dashboard", args=[programme.slug]) + (f"?{query}" if query else "")


def rows_of_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_manager_sees_the_figures_with_charts_and_tables(manager_client, programme, busy):
    response = manager_client.get(url(programme))

    assert response.status_code == 200
    html = response.content.decode()
    figs = response.context["figures"]
    assert [s.count for s in figs.path] == [2, 2, 1, 1, 0]
    assert figs.active_mentorships == 1
    assert "From application to completion" in html
    assert html.count('role="img"') >= 1
    assert '<title id="path-chart-title">' in html
    assert 'aria-labelledby="path-chart-title path-chart-desc"' in html
    assert "Mentees at each step" in html  # the table beside the chart
    assert "Feedback on each mentorship function" in html


def test_the_charts_need_no_script_style_or_cdn(manager_client, programme, busy):
    html = manager_client.get(url(programme)).content.decode()

    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert svgs
    for svg in svgs:
        assert "style=" not in svg
        assert "<script" not in svg
    assert "cdn" not in html.lower()


def test_another_programmes_manager_gets_404(client, other_manager, programme, with_mfa):
    with_mfa(other_manager)
    client.force_login(other_manager)

    assert client.get(url(programme)).status_code == 404
    assert client.get(url(programme, download="csv")).status_code == 404


@pytest.mark.parametrize("role", ["mentee", "mentor", "outsider"])
def test_people_who_manage_nothing_are_refused(sign_in, programme, role):
    assert sign_in(role).get(url(programme)).status_code == 403
    assert sign_in(role).get(reverse("manage:dashboard_all")).status_code == 403


def test_a_manager_without_mfa_sets_it_up_first(client, manager, programme):
    client.force_login(manager)

    response = client.get(url(programme))

    assert response.status_code == 302
    assert "figures" not in (response.context or {})


def test_the_date_range_is_respected_and_shown(manager_client, programme, busy):
    response = manager_client.get(url(programme, start="2020-01-01", end="2020-12-31"))

    assert response.status_code == 200
    assert response.context["figures"].path[0].count == 0
    assert "1 January 2020 to 31 December 2020" in response.content.decode()


def test_a_backwards_range_is_a_clear_error_not_a_500(manager_client, programme, busy):
    response = manager_client.get(url(programme, start="2026-05-01", end="2026-04-01"))

    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in (response.content.decode())
    assert response.context["figures"].period.label == "all time"


def test_a_date_that_is_not_a_date_is_a_clear_error(manager_client, programme):
    response = manager_client.get(url(programme, start="yesterday"))

    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()


def test_the_figures_download_as_csv_for_the_range(manager_client, programme, busy):
    response = manager_client.get(url(programme, start="2000-01-01", download="csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "northfield-fellows-dashboard-from-1-january-2000" in response["Content-Disposition"]
    rows = rows_of_csv(response)
    assert rows[0] == ["Section", "Figure", "Value"]
    assert ["Period", "Dates", "from 1 January 2000"] in rows
    assert ["Path", "Applied: mentees", "2"] in rows
    assert ["Path", "Matched: mentees", "1"] in rows
    assert ["Mentorships", "Active today", "1"] in rows


def test_the_figures_download_as_excel_with_numbers_as_numbers(manager_client, programme, busy):
    response = manager_client.get(url(programme, download="xlsx"))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {(row[0], row[1]): row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[("Path", "Applied: mentees")] == 2
    assert values[("Mentorships", "Active today")] == 1


def test_feedback_by_function_downloads(manager_client, programme, manager, mentor):
    done = MentorshipFactory(programme=programme, mentor=mentor, status="completed")
    Feedback.objects.create(
        mentorship=done,
        person=done.mentee,
        function_ratings={"teaching": 4, "guiding": 1},
        would_recommend="yes",
    )

    response = manager_client.get(url(programme, download="csv", table="feedback"))

    rows = rows_of_csv(response)
    assert rows[0][0] == "Mentorship function"
    assert ["Teaching", "4.0", "1", "", "0"] in rows
    assert ["Guiding", "1.0", "1", "", "0"] in rows
    assert "feedback-by-function" in response["Content-Disposition"]


def test_the_dashboard_across_programmes_counts_only_mine(
    manager_client, programme, other_programme, busy, other_mentee
):
    response = manager_client.get(reverse("manage:dashboard_all"))

    assert response.status_code == 200
    assert response.context["programmes"] == [programme]
    assert response.context["figures"].path[0].count == 2  # not the other programme's mentee
    assert reverse("manage:dashboard", args=[programme.slug]) in response.content.decode()


def test_the_dashboard_across_programmes_adds_up_every_programme_i_run(
    manager_client, manager, programme, other_programme, busy, other_mentee
):
    other_programme.managers.add(manager)

    response = manager_client.get(reverse("manage:dashboard_all") + "?download=csv")

    assert ["Path", "Applied: mentees", "3"] in rows_of_csv(response)
    assert "all-programmes-dashboard" in response["Content-Disposition"]


def test_the_programme_pages_link_to_the_dashboards(manager_client, programme):
    detail = manager_client.get(reverse("manage:programme", args=[programme.slug]))
    home = manager_client.get(reverse("manage:home"))

    assert reverse("manage:dashboard", args=[programme.slug]) in detail.content.decode()
    assert reverse("manage:dashboard_all") in home.content.decode()
