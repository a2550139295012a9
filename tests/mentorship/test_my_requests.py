"""The mentee's requests: the list, open ones first, and one request's page with its match
and what has happened."""

import pytest
from django.urls import reverse

from mentorship import services
from mentorship.models import MentorRequest
from tests.factories import MentorshipFactory, new_mentor, new_request

pytestmark = pytest.mark.django_db


def detail_url(mentor_request):
    return reverse("mentorship:request_detail", args=[mentor_request.pk])


def test_my_requests_lists_open_requests_first_with_status_tags(
    mentee_client, mentee, programme, pending_request
):
    withdrawn = new_request(mentee, new_mentor(programme, "Dr Helen Achebe"), programme)
    services.withdraw_request(withdrawn, by=mentee)

    response = mentee_client.get(reverse("mentorship:my_requests"))

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        html.index("Dr Gareth Pryce")
        < html.index("Earlier requests")
        < html.index("Dr Helen Achebe")
    )
    assert "Waiting for the mentor" in html
    assert "Withdrawn" in html
    assert detail_url(pending_request) in html
    assert detail_url(withdrawn) in html


def test_my_requests_shows_only_the_mentees_own(sign_in, pending_request):
    response = sign_in("other_mentee").get(reverse("mentorship:my_requests"))

    assert response.status_code == 200
    assert "Dr Gareth Pryce" not in response.content.decode()


def test_my_requests_links_the_mentorship(mentee_client, programme, mentee, mentor):
    mentorship = MentorshipFactory(programme=programme, mentee=mentee, mentor=mentor)

    html = mentee_client.get(reverse("mentorship:my_requests")).content.decode()

    assert reverse("mentorship:mentorship_detail", args=[mentorship.pk]) in html


def test_the_request_page_shows_the_match_kept_at_request_time_and_the_timeline(
    mentee_client, pending_request
):
    MentorRequest.objects.filter(pk=pending_request.pk).update(
        score=87.4, reasons=["Same target specialty: General Practice"]
    )

    response = mentee_client.get(detail_url(pending_request))

    html = response.content.decode()
    assert "87% match" in html
    assert "Same target specialty: General Practice" in html
    assert "Waiting for the mentor" in html
    assert "Divisional Director for Primary Care" in html
    assert "I hope to move into GP." in html
    assert "What has happened" in html
    assert "Requested</strong> by Dr Amara Nwosu" in html
    assert reverse("mentorship:withdraw_request", args=[pending_request.pk]) in html


def test_a_declined_request_shows_the_reason_and_note_kindly(
    mentee_client, pending_request, mentor
):
    services.decline_request(pending_request, by=mentor, reason="no_time", note="Try Dr Achebe.")

    html = mentee_client.get(detail_url(pending_request)).content.decode()

    assert "I do not have time at the moment" in html
    assert "Try Dr Achebe." in html
    assert "not a judgement of you" in html
    assert reverse("mentorship:withdraw_request", args=[pending_request.pk]) not in html


def test_another_mentees_request_is_404(sign_in, pending_request):
    assert sign_in("other_mentee").get(detail_url(pending_request)).status_code == 404


def test_the_mentee_home_links_to_requests(mentee_client):
    html = mentee_client.get(reverse("mentorship:mentee_home")).content.decode()

    assert reverse("mentorship:my_requests") in html
