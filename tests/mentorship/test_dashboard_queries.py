"""The dashboard and both lists run the same number of queries for a programme of 3 or of 30
mentees and mentors, each with requests, mentorships, meetings, check-ins and feedback."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journey.models import CheckIn, Feedback, Meeting
from mentorship.models import MentorRequest, Mentorship
from tests.factories import MentorshipFactory, new_mentee, new_mentor, new_mentorship, new_request

pytestmark = pytest.mark.django_db


def grow(programme, start: int, count: int) -> None:
    """`count` more of everything: a mentor with an active mentorship (two meetings, a
    check-in), a completed one with feedback, and an open and an expired request."""
    today = timezone.localdate()
    for n in range(start, start + count):
        mentor = new_mentor(programme, f"Dr Mentor {n:03d}", capacity=3)
        active = new_mentorship(
            new_mentee(programme, f"Dr Active {n:03d}"), mentor, programme, weeks_ago=4
        )
        done = MentorshipFactory(
            programme=programme,
            mentor=mentor,
            mentee=new_mentee(programme, f"Dr Done {n:03d}"),
            status=Mentorship.Status.COMPLETED,
            started_on=today - datetime.timedelta(weeks=20),
            ended_on=today - datetime.timedelta(weeks=3),
        )
        new_request(new_mentee(programme, f"Dr Asking {n:03d}"), mentor, programme)
        expired = new_request(new_mentee(programme, f"Dr Expired {n:03d}"), mentor, programme)
        MentorRequest.objects.filter(pk=expired.pk).update(status=MentorRequest.Status.EXPIRED)
        for mentorship in (active, done):
            Meeting.objects.create(
                mentorship=mentorship, held_on=today, minutes=60, mode="video",
                kind="one_to_one", confirmed_at=timezone.now(),
            )  # fmt: skip
            CheckIn.objects.create(
                mentorship=mentorship, person=mentorship.mentee, point="+14", due_on=today,
                score=1 + n % 5, answered_at=timezone.now(),
            )  # fmt: skip
        Feedback.objects.create(
            mentorship=done, person=done.mentee, function_ratings={"teaching": n % 5},
            would_recommend="yes",
        )  # fmt: skip


def pages(programme) -> dict[str, str]:
    slug = programme.slug
    return {
        "dashboard": reverse("manage:dashboard", args=[slug]) + "?start=2000-01-01",
        "all programmes": reverse("manage:dashboard_all"),
        "mentees": reverse("manage:mentees", args=[slug]) + "?sort=-waited",
        "mentors": reverse("manage:mentors", args=[slug]) + "?sort=rate",
        "dashboard download": reverse("manage:dashboard", args=[slug]) + "?download=xlsx",
    }


def count_queries(client, urls: dict[str, str]) -> dict[str, int]:
    # Both measurements start equally cold: with Redis the session and the signed-in user
    # are cached after the first page (accounts/auth_backends.py).
    cache.clear()
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries.captured_queries)
    return counts


def test_every_page_runs_the_same_queries_for_3_or_30(manager_client, programme, manager):
    grow(programme, 0, 3)
    few = count_queries(manager_client, pages(programme))

    grow(programme, 3, 27)
    many = count_queries(manager_client, pages(programme))

    assert many == few
    response = manager_client.get(pages(programme)["dashboard"])
    assert response.context["figures"].active_mentorships == 30
    assert response.context["figures"].feedback_given == 30
