"""The lists sort a narrow query first and read only the page's rows (views/lists.py): the
order, across pages and with the filters, is exactly the order of the figures each row shows
(models/progress.py), answers in other programmes and other people's actions not counted."""

import csv
import io

import pytest
from django.urls import reverse

from mentorship.models import Action, Event, MentorMembership, MentorProfile, MentorRequest
from mentorship.views import lists
from tests.factories import new_mentee, new_mentor, new_request

pytestmark = pytest.mark.django_db


def answered(request, by) -> None:
    Event.objects.create(
        programme=request.programme, request=request, actor=by, action=Action.DECLINED
    )
    MentorRequest.objects.filter(pk=request.pk).update(status=MentorRequest.Status.DECLINED)


def expired(request) -> None:
    MentorRequest.objects.filter(pk=request.pk).update(status=MentorRequest.Status.EXPIRED)


@pytest.fixture
def mentors(programme, other_programme, manager):
    """Mentors with 0 to 3 answered and expired requests; one answers only elsewhere; one's
    expired request was acted on by a manager, not by them."""
    plan = {  # name: (answered, expired unanswered, still open)
        "Dr A Perfect": (2, 0, 0),
        "Dr B Half": (1, 1, 0),
        "Dr C Half Too": (2, 2, 1),
        "Dr D Never": (0, 2, 0),
        "Dr E Third": (1, 2, 0),
        "Dr F Untested": (0, 0, 1),
        "Dr G Idle": (0, 0, 0),
    }
    for name, (n_answered, n_expired, n_open) in plan.items():
        mentor = new_mentor(programme, name, capacity=10)
        for _ in range(n_answered):
            answered(new_request(new_mentee(programme), mentor, programme), mentor)
        for _ in range(n_expired):
            expired(new_request(new_mentee(programme), mentor, programme))
        for _ in range(n_open):
            new_request(new_mentee(programme), mentor, programme)
    idle = MentorProfile.objects.get(user__full_name="Dr G Idle").user
    assert not MentorMembership.objects.filter(programme=other_programme, user=idle).exists()
    new_mentor(other_programme, "Dr Elsewhere")
    MentorMembership.objects.create(programme=other_programme, user=idle, status="approved")
    answered(new_request(new_mentee(other_programme), idle, other_programme), idle)
    never = MentorProfile.objects.get(user__full_name="Dr D Never").user
    request = MentorRequest.objects.filter(mentor=never).first()
    Event.objects.create(
        programme=programme, request=request, actor=manager, action=Action.DECLINED
    )
    return plan


def every_page(manager_client, programme, query: str) -> list[str]:
    shown, page = [], 1
    while True:
        url = reverse("manage:mentors", args=[programme.slug]) + f"?{query}&page={page}"
        response = manager_client.get(url)
        shown += [p.user.full_name for p in response.context["approved"]]
        if not response.context["page"].has_next():
            return shown
        page += 1


def expected(programme, key: str, descending: bool) -> list[str]:
    rows = list(
        MentorProfile.objects.filter(user__mentor_memberships__programme=programme).with_responses(
            programme
        )
    )
    with_value = [r for r in rows if getattr(r, key) is not None]
    without = [r for r in rows if getattr(r, key) is None]
    with_value.sort(key=lambda r: r.user.full_name)
    with_value.sort(key=lambda r: getattr(r, key), reverse=descending)
    without.sort(key=lambda r: r.user.full_name)
    return [r.user.full_name for r in with_value + without]


@pytest.mark.parametrize(
    ("query", "key", "descending"),
    [
        ("sort=rate", "response_rate", False),
        ("sort=-rate", "response_rate", True),
        ("sort=-received", "requests_received", True),
    ],
)
def test_sorting_mentors_by_answers_orders_every_page_by_the_rows_figures(
    manager_client, programme, mentors, monkeypatch, query, key, descending
):
    monkeypatch.setattr(lists, "PER_PAGE", 3)

    shown = every_page(manager_client, programme, query)

    assert shown == expected(programme, key, descending)
    assert len(shown) == 7


def test_the_rate_is_the_rows_figure_and_ignores_other_programmes_and_people(
    manager_client, programme, mentors
):
    response = manager_client.get(reverse("manage:mentors", args=[programme.slug]) + "?sort=rate")

    rows = {p.user.full_name: p for p in response.context["approved"]}
    assert rows["Dr D Never"].response_rate == 0.0  # the manager's action is not an answer
    assert rows["Dr E Third"].response_rate == pytest.approx(100 / 3)
    assert rows["Dr C Half Too"].requests_received == 5
    assert rows["Dr G Idle"].response_rate is None  # answered only in another programme
    assert rows["Dr F Untested"].response_rate is None
    assert "Dr Elsewhere" not in rows


def test_sorting_by_rate_keeps_the_places_filter_and_the_count(
    manager_client, programme, mentors, monkeypatch
):
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    MentorProfile.objects.filter(user__full_name="Dr B Half").update(is_accepting_requests=False)

    free = every_page(manager_client, programme, "sort=rate&places=free")
    first = manager_client.get(
        reverse("manage:mentors", args=[programme.slug]) + "?sort=rate&places=free"
    )

    assert "Dr B Half" not in free
    assert free == [n for n in expected(programme, "response_rate", False) if n != "Dr B Half"]
    assert first.context["page"].paginator.count == 6


def test_the_download_sorted_by_rate_holds_every_mentor_in_that_order(
    manager_client, programme, mentors
):
    response = manager_client.get(
        reverse("manage:mentors", args=[programme.slug]) + "?sort=rate&download=csv"
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == expected(programme, "response_rate", False)
    by_name = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_name["Dr E Third"]["Response rate %"] == "33.3"
    assert by_name["Dr C Half Too"]["Requests received"] == "5"
