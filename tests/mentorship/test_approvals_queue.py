"""The manager's approval queue: accepted requests, oldest first, with both profiles and a
way to approve, reject or approve several at once."""

import pytest
from django.urls import reverse

from mentorship.models import MentorRequest
from tests.factories import new_accepted_request, new_mentee, new_mentor, new_request

pytestmark = pytest.mark.django_db


def queue_url(programme):
    return reverse("manage:approvals", args=[programme.slug])


def test_the_queue_shows_accepted_requests_oldest_first_with_both_profiles(
    manager_client, programme, accepted_request, mentee_gmc_number
):
    MentorRequest.objects.filter(pk=accepted_request.pk).update(
        score=81.6, reasons=["Same target specialty: General Practice"]
    )
    newer = new_accepted_request(
        new_mentee(programme, "Dr Chidi Okafor"), new_mentor(programme, "Dr Ian Moss"), programme
    )
    pending = new_request(
        new_mentee(programme, "Dr Zainab Idris"), new_mentor(programme, "Dr Kim Lee"), programme
    )

    response = manager_client.get(queue_url(programme))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Dr Amara Nwosu with Dr Gareth Pryce") < html.index(
        "Dr Chidi Okafor with Dr Ian Moss"
    )
    assert "82% match" in html
    assert "Same target specialty: General Practice" in html
    assert mentee_gmc_number in html  # the mentee's summary, with GMC, for their managers
    assert "Divisional Director for Primary Care" in html  # the mentor's summary
    assert "Dr Zainab Idris" not in html  # still waiting for the mentor
    slug = programme.slug
    assert reverse("manage:approve_request", args=[slug, accepted_request.pk]) in html
    assert reverse("manage:reject_request", args=[slug, newer.pk]) in html
    assert reverse("manage:approve_request", args=[slug, pending.pk]) not in html
    assert reverse("manage:bulk_approve", args=[slug]) in html


def test_the_programme_page_links_the_queue(manager_client, programme):
    html = manager_client.get(reverse("manage:programme", args=[programme.slug])).content.decode()

    assert queue_url(programme) in html


def test_a_long_queue_is_shown_a_page_at_a_time_oldest_first(manager_client, programme):
    from mentorship.views.approvals import PER_PAGE

    waiting = [
        new_accepted_request(
            new_mentee(programme, f"Dr Mentee {n:02d}"),
            new_mentor(programme, f"Dr Mentor {n:02d}"),
            programme,
        )
        for n in range(PER_PAGE + 2)
    ]
    slug = programme.slug

    first = manager_client.get(queue_url(programme)).content.decode()
    second = manager_client.get(queue_url(programme) + "?page=2").content.decode()
    beyond = manager_client.get(queue_url(programme) + "?page=99")

    approve = [reverse("manage:approve_request", args=[slug, r.pk]) for r in waiting]
    assert all(url in first for url in approve[:PER_PAGE])
    assert not any(url in first for url in approve[PER_PAGE:])
    assert all(url in second for url in approve[PER_PAGE:])
    assert f"{PER_PAGE + 2} matches are waiting" in first and "Page 2 of 2" in first
    # The tick boxes offer only this page's matches.
    assert first.count('name="requests"') == PER_PAGE
    assert second.count('name="requests"') == 2
    assert beyond.status_code == 200  # past the end: the last page, not an error
    assert MentorRequest.objects.filter(status=MentorRequest.Status.ACCEPTED).count() == len(
        waiting
    )


def test_ticking_matches_on_a_later_page_approves_them(manager_client, programme):
    from mentorship.models import Mentorship
    from mentorship.views.approvals import PER_PAGE

    waiting = [
        new_accepted_request(
            new_mentee(programme, f"Dr Mentee {n:02d}"),
            new_mentor(programme, f"Dr Mentor {n:02d}"),
            programme,
        )
        for n in range(PER_PAGE + 1)
    ]
    last = waiting[-1]
    url = reverse("manage:bulk_approve", args=[programme.slug])

    manager_client.post(url, {"requests": [last.pk], "confirmed": "on"})

    last.refresh_from_db()
    assert last.status == MentorRequest.Status.APPROVED
    assert Mentorship.objects.filter(mentee=last.mentee, mentor=last.mentor).exists()
    assert MentorRequest.objects.filter(status=MentorRequest.Status.ACCEPTED).count() == PER_PAGE
