"""The managers' mentee and mentor lists: each person's stage, wait and requests, each
mentor's places and answers; sorting, filtering, paging and the downloads."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship import services
from mentorship.models import MenteeMembership, MentorRequest, Mentorship
from mentorship.views.lists import PER_PAGE
from tests.factories import (
    MenteeMembershipFactory,
    MenteeProfileFactory,
    MentorshipFactory,
    new_mentee,
    new_mentor,
    new_mentorship,
    new_request,
    specialty,
)

pytestmark = pytest.mark.django_db


def mentees_url(programme, query: str = "") -> str:
    return reverse("manage:mentees", args=[programme.slug]) + (f"?{query}" if query else "")


def mentors_url(programme, query: str = "") -> str:
    return reverse("manage:mentors", args=[programme.slug]) + (f"?{query}" if query else "")


def names(response, key: str = "memberships") -> list[str]:
    return [row.user.full_name for row in response.context[key]]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def people(programme, manager):
    """Four accepted mentees at each stage, and one who applied."""
    m1 = new_mentor(programme, "Dr Mentor Quick")
    m2 = new_mentor(programme, "Dr Mentor Slow", capacity=3)
    accepted = new_mentee(programme, "Dr Accepted Only")
    asked = new_mentee(programme, "Dr Asked Twice", target_specialty=specialty("psychiatry"))
    matched = new_mentee(programme, "Dr Matched Now")
    completed = new_mentee(programme, "Dr Completed Already")
    MenteeMembershipFactory(
        programme=programme,
        status=MenteeMembership.Status.APPLIED,
        user=MenteeProfileFactory(user__full_name="Dr Applied Here").user,
    )
    now = timezone.now()
    MenteeMembership.objects.filter(programme=programme, user=accepted).update(
        decided_at=now - datetime.timedelta(days=12)
    )
    MenteeMembership.objects.filter(programme=programme, user=matched).update(
        decided_at=now - datetime.timedelta(days=40)
    )
    new_request(asked, m1, programme)
    new_request(asked, m2, programme)
    mentorship = new_mentorship(matched, m1, programme)
    MentorRequest.objects.filter(pk=mentorship.request_id).update(
        created_at=now - datetime.timedelta(hours=6)
    )
    Mentorship.objects.filter(pk=mentorship.pk).update(created_at=now - datetime.timedelta(days=30))
    MentorshipFactory(programme=programme, mentee=completed, mentor=m2, status="completed")
    return {"m1": m1, "m2": m2, "accepted": accepted, "asked": asked, "matched": matched}


# --- Mentees -----------------------------------------------------------------------------


def test_each_mentee_shows_their_stage_wait_and_open_requests(manager_client, programme, people):
    response = manager_client.get(mentees_url(programme))

    rows = {m.user.full_name: m for m in response.context["memberships"]}
    assert set(rows) == {
        "Dr Accepted Only",
        "Dr Asked Twice",
        "Dr Matched Now",
        "Dr Completed Already",
    }
    assert rows["Dr Accepted Only"].stage == "accepted"
    assert rows["Dr Accepted Only"].waited.days == 12  # still waiting: until today
    assert rows["Dr Asked Twice"].stage == "asked"
    assert rows["Dr Asked Twice"].open_requests == 2
    assert rows["Dr Matched Now"].stage == "matched"
    assert rows["Dr Matched Now"].waited.days == 10  # from acceptance until the match
    assert rows["Dr Completed Already"].stage == "completed"
    html = response.content.decode()
    assert "Asked a mentor" in html
    assert 'aria-sort="ascending"' in html


def test_the_stage_filter_shows_applicants_too(manager_client, programme, people):
    response = manager_client.get(mentees_url(programme, "stage=applied"))

    assert names(response) == ["Dr Applied Here"]
    assert [m.stage for m in response.context["memberships"]] == ["applied"]
    assert reverse(
        "manage:applicant", args=[programme.slug, response.context["memberships"][0].pk]
    ) in (response.content.decode())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=matched", ["Dr Matched Now"]),
        ("stage=asked", ["Dr Asked Twice"]),
        ("specialty=psychiatry", ["Dr Asked Twice"]),
        ("q=only", ["Dr Accepted Only"]),
        ("q=dr&stage=completed", ["Dr Completed Already"]),
    ],
)
def test_mentees_filter_by_stage_specialty_and_name(
    manager_client, programme, people, query, expected
):
    assert names(manager_client.get(mentees_url(programme, query))) == expected


def test_mentees_sort_by_days_waited_either_way(manager_client, programme, people):
    longest_first = names(manager_client.get(mentees_url(programme, "sort=-waited")))
    shortest_first = names(manager_client.get(mentees_url(programme, "sort=waited")))

    assert longest_first[:2] == ["Dr Accepted Only", "Dr Matched Now"]
    assert shortest_first[:2] == ["Dr Matched Now", "Dr Accepted Only"]  # unknown waits last


def test_an_unknown_sort_or_filter_falls_back_to_the_default(manager_client, programme, people):
    response = manager_client.get(mentees_url(programme, "sort=user__password&stage=nonsense"))

    assert response.status_code == 200
    assert names(response) == sorted(names(response))
    assert len(names(response)) == 4


def test_mentees_are_paged(manager_client, programme, manager):
    for n in range(PER_PAGE + 2):
        new_mentee(programme, f"Dr Paged {n:03d}")

    first = manager_client.get(mentees_url(programme))
    second = manager_client.get(mentees_url(programme, "page=2"))

    assert len(first.context["memberships"]) == PER_PAGE
    assert names(second) == ["Dr Paged 050", "Dr Paged 051"]
    assert "page=2" in first.content.decode()


def test_the_mentee_download_holds_the_filtered_rows_formula_safe(
    manager_client, programme, people
):
    new_mentee(programme, '=HYPERLINK("http://evil")')

    response = manager_client.get(mentees_url(programme, "stage=accepted&download=csv"))

    rows = csv_rows(response)
    assert rows[0][:3] == ["Mentee", "Email address", "Stage"]
    assert [row[0] for row in rows[1:]] == ['\'=HYPERLINK("http://evil")', "Dr Accepted Only"]
    assert rows[2][2] == "Accepted"
    assert rows[2][8] == "12"


def test_the_mentee_download_as_excel(manager_client, programme, people):
    import openpyxl

    response = manager_client.get(mentees_url(programme, "download=xlsx"))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 5


def test_another_programmes_mentees_never_show(manager_client, programme, people, other_mentee):
    response = manager_client.get(mentees_url(programme, "download=csv"))

    assert "Dr Bilal Qureshi" not in response.content.decode("utf-8-sig")


def test_another_manager_gets_404_for_the_lists(client, other_manager, with_mfa, programme):
    with_mfa(other_manager)
    client.force_login(other_manager)

    assert client.get(mentees_url(programme)).status_code == 404
    assert client.get(mentors_url(programme, "download=csv")).status_code == 404


# --- Mentors -----------------------------------------------------------------------------


@pytest.fixture
def answers(programme, people):
    """Dr Mentor Slow let one request expire and declined another a day after it came."""
    m2 = people["m2"]
    expired = new_request(new_mentee(programme), m2, programme)
    MentorRequest.objects.filter(pk=expired.pk).update(status=MentorRequest.Status.EXPIRED)
    declined = new_request(new_mentee(programme), m2, programme)
    MentorRequest.objects.filter(pk=declined.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=24)
    )
    services.decline_request(declined, by=m2, reason="no_time")
    return people


def test_each_mentor_shows_places_response_rate_and_time(manager_client, programme, answers):
    response = manager_client.get(mentors_url(programme))

    rows = {p.user.full_name: p for p in response.context["approved"]}
    quick, slow = rows["Dr Mentor Quick"], rows["Dr Mentor Slow"]
    assert (quick.active_mentees, quick.free_places) == (1, 1)
    assert quick.requests_received == 2  # the open one and the one that became a match
    assert quick.response_rate == 100.0
    assert quick.median_response_hours == 6.0
    assert (slow.active_mentees, slow.free_places) == (0, 3)  # a pending request holds no place
    assert slow.requests_expired == 1
    assert slow.response_rate == 50.0
    assert slow.median_response_hours == 24.0
    html = response.content.decode()
    assert "50%" in html
    assert "24.0 hours" in html


def test_mentors_sort_by_response_rate_and_filter_by_places(manager_client, programme, answers):
    new_mentor(programme, "Dr Never Asked")

    by_rate = manager_client.get(mentors_url(programme, "sort=rate"))
    paused = manager_client.get(mentors_url(programme, "places=paused"))

    assert names(by_rate, "approved") == ["Dr Mentor Slow", "Dr Mentor Quick", "Dr Never Asked"]
    assert names(paused, "approved") == []


def test_the_mentor_download_holds_the_same_figures(manager_client, programme, answers):
    response = manager_client.get(mentors_url(programme, "q=slow&download=csv"))

    rows = csv_rows(response)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Mentor"] == "Dr Mentor Slow"
    assert row["Response rate %"] == "50.0"
    assert row["Median hours to respond"] == "24.0"
    assert row["Expired unanswered"] == "1"
