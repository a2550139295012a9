"""Asking a mentor: every rule in services.request_mentor, each with a test. The ask page:
test_request_mentor_page.py."""

import pytest
from django.core import mail
from django.utils.html import escape

from mentorship import services
from mentorship.models import Action, Event, MentorRequest, OutboxEmail
from tests.factories import (
    MenteeMembershipFactory,
    MenteeProfileFactory,
    MentorMembershipFactory,
    MentorProfileFactory,
    MentorshipFactory,
    new_mentor,
)

pytestmark = pytest.mark.django_db


def test_a_mentee_asks_a_mentor_and_the_mentor_is_emailed(
    mentee, mentor, programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mentor_request = services.request_mentor(
            mentee, mentor, programme, message="I would value your advice on GP training."
        )

    assert mentor_request.status == MentorRequest.Status.PENDING
    assert mentor_request.score is not None and 0 <= mentor_request.score <= 100
    assert {"code": "specialty_same", "specialty": "General Practice"} in mentor_request.reasons
    assert mentor_request.expires_at is not None
    event = Event.objects.get(request=mentor_request)
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        Action.REQUESTED,
        mentee,
        "",
        "pending",
    )
    [email] = mail.outbox
    assert email.to == [mentor.email]
    assert email.subject == f"{mentee.full_name} would like you to mentor them"
    assert f"/mentor/requests/{mentor_request.pk}/" in email.body
    assert OutboxEmail.objects.get(kind="new_request").status == OutboxEmail.Status.SENT


def test_the_mentees_message_is_shown_as_text_in_the_html_email(
    mentee, mentor, programme, django_capture_on_commit_callbacks
):
    message = '<script>alert("hi")</script> Tom & Jerry\'s <b>clinic</b>'

    with django_capture_on_commit_callbacks(execute=True):
        services.request_mentor(mentee, mentor, programme, message=message)

    [email] = mail.outbox
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert escape(message) in html
    assert "<script>" not in html and "<b>clinic</b>" not in html


def test_the_request_keeps_the_score_it_had_when_made(mentee, mentor, programme):
    mentor_request = services.request_mentor(mentee, mentor, programme)
    score = mentor_request.score

    programme.weight_specialty = 0
    programme.save()
    mentor_request.refresh_from_db()

    assert mentor_request.score == score


def test_nobody_can_ask_themself(mentee, programme):
    MentorProfileFactory(user=mentee)
    MentorMembershipFactory(programme=programme, user=mentee)

    with pytest.raises(services.InvalidTransition, match="cannot ask yourself"):
        services.request_mentor(mentee, mentee, programme)


def test_a_mentee_not_yet_accepted_cannot_ask(mentor, programme):
    applicant = MenteeProfileFactory().user
    MenteeMembershipFactory(programme=programme, user=applicant, status="applied")

    with pytest.raises(services.NotAllowed, match="once the programme team has accepted you"):
        services.request_mentor(applicant, mentor, programme)
    assert not MentorRequest.objects.exists()


def test_a_mentee_cannot_ask_a_mentor_of_another_programme(mentee, programme, other_programme):
    elsewhere = new_mentor(other_programme)

    with pytest.raises(services.NotAllowed, match="not part of this programme"):
        services.request_mentor(mentee, elsewhere, programme)


def test_a_mentor_still_being_vetted_cannot_be_asked(mentee, programme):
    user = MentorProfileFactory().user
    MentorMembershipFactory(programme=programme, user=user, status="applied")

    with pytest.raises(services.NotAllowed):
        services.request_mentor(mentee, user, programme)


def test_a_paused_mentor_cannot_be_asked(mentee, programme):
    paused = new_mentor(programme, is_accepting_requests=False)

    with pytest.raises(services.InvalidTransition, match="not taking new requests"):
        services.request_mentor(mentee, paused, programme)


def test_a_full_mentor_cannot_be_asked(mentee, programme):
    full = new_mentor(programme, capacity=1)
    MentorshipFactory(programme=programme, mentor=full)

    with pytest.raises(services.NoFreePlace, match="no free place"):
        services.request_mentor(mentee, full, programme)


def test_a_second_open_request_to_the_same_mentor_is_refused(mentee, mentor, programme):
    services.request_mentor(mentee, mentor, programme)

    with pytest.raises(services.InvalidTransition, match="already asked"):
        services.request_mentor(mentee, mentor, programme)
    assert MentorRequest.objects.count() == 1


def test_a_mentor_who_declined_cannot_be_asked_again(mentee, mentor, programme):
    first = services.request_mentor(mentee, mentor, programme)
    services.decline_request(first, by=mentor, reason="no_time")

    with pytest.raises(services.InvalidTransition, match="already answered a request from you"):
        services.request_mentor(mentee, mentor, programme)
    assert MentorRequest.objects.count() == 1


def test_a_mentor_who_declined_is_never_suggested_again(client, mentee, mentor, programme):
    from django.urls import reverse

    from matching.services import rank_mentors
    from mentorship.models import MenteeProfile

    services.decline_request(
        services.request_mentor(mentee, mentor, programme), by=mentor, reason="expertise"
    )

    ranking = rank_mentors(MenteeProfile.objects.get(user=mentee), programme)
    assert ranking.score_of(mentor.pk) is None
    client.force_login(mentee)
    page = client.get(reverse("mentorship:mentor_detail", args=[programme.slug, mentor.pk]))
    assert "You cannot ask this mentor again in this programme." in page.content.decode()


def test_a_withdrawn_request_can_be_made_again(mentee, mentor, programme):
    first = services.request_mentor(mentee, mentor, programme)
    services.withdraw_request(first, by=mentee)

    second = services.request_mentor(mentee, mentor, programme)

    assert second.pk != first.pk


def test_no_more_open_requests_than_the_programme_allows(mentee, programme):
    programme.max_open_requests = 2
    programme.save()
    for _ in range(2):
        services.request_mentor(mentee, new_mentor(programme), programme)

    with pytest.raises(services.InvalidTransition, match="2 open requests at a time"):
        services.request_mentor(mentee, new_mentor(programme), programme)
    assert MentorRequest.objects.count() == 2


def test_no_request_while_the_mentee_has_an_active_mentorship(mentee, mentor, programme):
    MentorshipFactory(programme=programme, mentee=mentee, mentor=new_mentor(programme))

    with pytest.raises(services.InvalidTransition, match="already have a mentor"):
        services.request_mentor(mentee, mentor, programme)


def test_the_database_also_refuses_a_duplicate_open_request(mentee, mentor, programme):
    from django.db import IntegrityError, transaction

    services.request_mentor(mentee, mentor, programme)

    with pytest.raises(IntegrityError), transaction.atomic():
        MentorRequest.objects.create(programme=programme, mentee=mentee, mentor=mentor)
