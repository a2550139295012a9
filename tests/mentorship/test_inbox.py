"""The mentor's inbox: requests waiting for an answer first, and one request's page with the
mentee's profile (never their GMC number) and the actions."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from mentorship import services
from mentorship.models import MentorRequest
from tests.factories import new_mentee, new_request
from tests.mentorship.helpers import refreshed

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status

INBOX = reverse("mentorship:inbox")


def detail_url(mentor_request):
    return reverse("mentorship:inbox_detail", args=[mentor_request.pk])


def action_url(name, mentor_request):
    return reverse(f"mentorship:{name}", args=[mentor_request.pk])


def test_the_inbox_shows_waiting_requests_first_with_profile_and_reasons(
    mentor_client, mentor, programme, pending_request, mentee_gmc_number
):
    decided = new_request(new_mentee(programme, "Dr Zainab Idris"), mentor, programme)
    services.decline_request(decided, by=mentor, reason="no_time")
    MentorRequest.objects.filter(pk=pending_request.pk).update(
        reasons=["Supports 2 of your 2 goals"]
    )

    response = mentor_client.get(INBOX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Dr Amara Nwosu") < html.index("Earlier requests")
    assert html.index("Earlier requests") < html.index("Dr Zainab Idris")
    assert "Supports 2 of your 2 goals" in html
    assert "I hope to move into GP." in html
    assert "General Practice" in html  # the mentee's target specialty, from the summary
    assert mentee_gmc_number not in html  # a mentor never sees the GMC number
    assert detail_url(pending_request) in html


def test_the_oldest_waiting_request_comes_first(mentor_client, mentor, programme, pending_request):
    newer = new_request(new_mentee(programme), mentor, programme)

    html = mentor_client.get(INBOX).content.decode()

    assert html.index(detail_url(pending_request)) < html.index(detail_url(newer))


def test_the_inbox_shows_only_the_mentors_own_requests(sign_in, pending_request):
    html = sign_in("other_mentor").get(INBOX).content.decode()

    assert "Dr Amara Nwosu" not in html


def test_the_mentees_message_is_shown_as_text_not_html(mentor_client, mentee, mentor, programme):
    message = '<script>alert("hi")</script>\nTom & Jerry\'s <b>clinic</b>'
    mentor_request = new_request(mentee, mentor, programme, message=message)
    shown = "<br>".join(escape(line) for line in message.split("\n"))

    for url in (INBOX, detail_url(mentor_request)):
        html = mentor_client.get(url).content.decode()

        assert shown in html, url
        assert '<script>alert("hi")' not in html, url
        assert "<b>clinic</b>" not in html, url


def test_the_mentor_home_links_the_inbox_with_a_count_and_the_mentees(
    mentor_client, pending_request
):
    html = mentor_client.get(reverse("mentorship:mentor_home")).content.decode()

    assert INBOX in html
    assert reverse("mentorship:my_mentees") in html
    assert "1 waiting" in html
    assert "Pause new requests" in html


def test_the_request_page_shows_the_mentee_without_gmc_and_the_actions(
    mentor_client, pending_request, mentee_gmc_number
):
    html = mentor_client.get(detail_url(pending_request)).content.decode()

    assert "Request from Dr Amara Nwosu" in html
    assert "I hope to move into GP." in html
    assert mentee_gmc_number not in html
    for name in ("accept_request", "decline_request", "ask_question"):
        assert action_url(name, pending_request) in html
    for label in MentorRequest.DeclineReason.labels:
        assert escape(label) in html


def test_another_mentor_gets_404_and_nothing_changes(sign_in, pending_request):
    client = sign_in("other_mentor")

    responses = [
        client.get(detail_url(pending_request)),
        client.post(action_url("accept_request", pending_request)),
        client.post(action_url("decline_request", pending_request), {"reason": "no_time"}),
        client.post(action_url("ask_question", pending_request), {"question": "Why me?"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    pending_request = refreshed(pending_request)
    assert (pending_request.status, pending_request.question) == (Status.PENDING, "")
    assert pending_request.events.count() == 1
