"""The download of a programme's mentorships with their meetings and hours: one row per
mentorship, the journey's running totals, the needs-attention reason, no private words,
formula-safe, the same queries however many mentorships."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from journey.models import Agreement, CheckIn, Meeting, MeetingKind
from journey.services.meetings import totals
from mentorship.mentorship_export import HEADERS, totals_of, with_totals
from mentorship.models import Mentorship
from tests.factories import new_mentee, new_mentor, new_mentorship

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def meeting(mentorship, days_ago: int, minutes: int = 60, confirmed: bool = True, **extra):
    return Meeting.objects.create(
        mentorship=mentorship,
        held_on=TODAY - datetime.timedelta(days=days_ago),
        minutes=minutes,
        mode="video",
        kind=MeetingKind.ONE_TO_ONE,
        logged_by=mentorship.mentee,
        confirmed_by=mentorship.mentor if confirmed else None,
        confirmed_at=timezone.now() if confirmed else None,
        **extra,
    )


def rows(client, programme, file_format: str = "csv") -> list[list[str]]:
    url = reverse("manage:mentorships_download", args=[programme.slug])
    response = client.get(url, {"format": file_format})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_one_row_per_mentorship_with_meetings_hours_and_check_ins(
    manager_client, programme, active_mentorship, mentee
):
    meeting(active_mentorship, 14, minutes=90, topics="Private topic", notes="Private notes")
    meeting(active_mentorship, 7, minutes=30)
    meeting(active_mentorship, 1, confirmed=False)
    CheckIn.objects.create(
        mentorship=active_mentorship,
        person=mentee,
        point="+14",
        due_on=TODAY,
        score=4,
        meeting_as_agreed="yes",
        answered_at=timezone.now(),
    )
    Agreement.objects.create(
        mentorship=active_mentorship,
        cadence="fortnightly",
        duration_weeks=16,
        proposed_by=mentee,
        proposed_at=timezone.now(),
    )

    header, row = rows(manager_client, programme)

    assert header == list(HEADERS)
    found = dict(zip(header, row, strict=True))
    assert found["Mentee"] == "Dr Amara Nwosu" and found["Mentor"] == "Dr Gareth Pryce"
    assert found["Status"] == "Active"
    assert found["Started"] == str(active_mentorship.started_on)
    assert found["Planned end"] == str(active_mentorship.planned_end_on)
    assert found["Ended"] == ""
    assert found["Agreed cadence"] == "every 2 weeks"
    assert (found["Meetings logged"], found["Meetings confirmed"]) == ("3", "2")
    assert found["Confirmed hours"] == "2.0"
    assert found["Expected meetings to date"] == "1"  # three weeks at every two weeks
    assert found["Last confirmed meeting"] == str(TODAY - datetime.timedelta(days=7))
    assert found["Check-ins answered"] == "1"
    assert found["Needs attention"] == ""
    assert "Private" not in str(row)


def test_the_totals_agree_with_the_journeys_running_totals(programme, manager):
    made = []
    for weeks, confirmed in ((1, 0), (6, 2), (20, 5)):
        m = new_mentorship(new_mentee(programme), new_mentor(programme), programme, weeks_ago=weeks)
        for n in range(confirmed):
            meeting(m, days_ago=n * 7 + 1, minutes=45)
        meeting(m, days_ago=2, confirmed=False)
        made.append(m)
    made[1].ended_on = TODAY - datetime.timedelta(days=3)
    made[1].status = Mentorship.Status.COMPLETED
    made[1].save(update_fields=["ended_on", "status"])

    annotated = with_totals(Mentorship.objects.filter(programme=programme))
    for m in annotated:
        assert totals_of(m, TODAY) == totals(m, TODAY)


def test_a_quiet_mentorship_says_why_it_needs_attention(
    manager_client, programme, active_mentorship
):
    active_mentorship.started_on = TODAY - datetime.timedelta(days=30)
    active_mentorship.save(update_fields=["started_on"])

    [_, row] = rows(manager_client, programme)

    assert row[-1].startswith("No confirmed meeting since it started on")


def test_names_that_look_like_formulas_are_made_safe(manager_client, programme, manager):
    mentee = new_mentee(programme, "=cmd|'/c calc'!A1")
    new_mentorship(mentee, new_mentor(programme), programme)

    [_, row] = rows(manager_client, programme)

    assert row[0] == "'=cmd|'/c calc'!A1"


def test_another_programmes_mentorships_are_not_in_it(
    manager_client, programme, other_programme, other_manager, active_mentorship
):
    new_mentorship(new_mentee(other_programme), new_mentor(other_programme), other_programme)
    assert len(rows(manager_client, programme)) == 2


def test_the_excel_file_is_a_real_workbook(manager_client, programme, active_mentorship):
    url = reverse("manage:mentorships_download", args=[programme.slug])
    response = manager_client.get(url, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_the_download_takes_the_same_queries_at_two_sizes(
    manager_client, programme, manager, active_mentorship, django_assert_max_num_queries
):
    url = reverse("manage:mentorships_download", args=[programme.slug])
    meeting(active_mentorship, 3)
    with django_assert_max_num_queries(100) as small:
        manager_client.get(url)
    for _ in range(4):
        m = new_mentorship(new_mentee(programme), new_mentor(programme), programme, weeks_ago=5)
        meeting(m, 3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        manager_client.get(url)
