"""Completing a mentorship takes both people: one asks, the other confirms (or a programme
manager completes it directly), each through a page that says what will happen. Never on
day one: a confirmed meeting, or four weeks since the start."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from journey.models import Meeting, MeetingKind
from mentorship import services
from mentorship.models import Action, MentorProfile, Mentorship, OutboxEmail
from tests.factories import new_mentorship
from tests.mentorship.helpers import refreshed

pytestmark = pytest.mark.django_db
Status = Mentorship.Status


@pytest.fixture
def mentorship(mentee, mentor, programme, manager):
    """Five weeks in: old enough to be completed."""
    return new_mentorship(mentee, mentor, programme, weeks_ago=5)


def propose_url(mentorship):
    return reverse("mentorship:propose_completion", args=[mentorship.pk])


def confirm_url(mentorship):
    return reverse("mentorship:confirm_completion", args=[mentorship.pk])


def withdraw_url(mentorship):
    return reverse("mentorship:withdraw_completion", args=[mentorship.pk])


def page_url(mentorship):
    return reverse("mentorship:mentorship_detail", args=[mentorship.pk])


def actions(mentorship):
    return [e.action for e in mentorship.events.exclude(action=Action.STARTED)]


def emails_to(kind):
    return sorted(OutboxEmail.objects.filter(kind=kind).values_list("to_email", flat=True))


# --- The services ---------------------------------------------------------------------------


def test_one_person_asking_does_not_complete_it(mentorship, mentee, mentor):
    services.propose_completion(mentorship, by=mentee)

    mentorship = refreshed(mentorship)
    assert mentorship.status == Status.ACTIVE
    assert mentorship.completion_proposed_by == mentee
    assert mentorship.completion_proposed_at is not None
    assert actions(mentorship) == [Action.COMPLETION_PROPOSED]
    assert emails_to("completion_proposed") == [mentor.email]


def test_the_person_who_asked_cannot_confirm_it_alone(mentorship, mentee):
    services.propose_completion(mentorship, by=mentee)

    with pytest.raises(services.InvalidTransition, match="needs to confirm it"):
        services.confirm_completion(mentorship, by=mentee)

    assert refreshed(mentorship).status == Status.ACTIVE


def test_nobody_can_confirm_what_nobody_asked(mentorship, mentor):
    with pytest.raises(services.InvalidTransition, match="Nobody has asked"):
        services.confirm_completion(mentorship, by=mentor)

    assert refreshed(mentorship).status == Status.ACTIVE


def test_the_other_person_confirms_and_it_is_completed(mentorship, mentee, mentor, manager):
    services.propose_completion(mentorship, by=mentee)

    services.confirm_completion(mentorship, by=mentor)

    mentorship = refreshed(mentorship)
    assert mentorship.status == Status.COMPLETED
    assert (mentorship.ended_on, mentorship.ended_by) == (timezone.localdate(), mentor)
    assert (mentorship.ended_because, mentorship.end_reason) == ("", "")
    assert actions(mentorship) == [Action.COMPLETION_PROPOSED, Action.COMPLETED]
    assert emails_to("mentorship_completed") == sorted([mentee.email, mentor.email])
    assert emails_to("mentorship_ended") == [manager.email]


def test_the_completion_email_points_each_person_to_their_certificate(mentorship, mentee, mentor):
    services.propose_completion(mentorship, by=mentee)
    services.confirm_completion(mentorship, by=mentor)

    link = reverse("journey:download_certificate", args=[mentorship.pk])
    for email in OutboxEmail.objects.filter(kind="mentorship_completed"):
        assert link in email.body_text and link in email.body_html
        assert "certificate" in email.body_text.lower()


def test_a_manager_completes_it_directly(mentorship, manager):
    services.confirm_completion(mentorship, by=manager)

    mentorship = refreshed(mentorship)
    assert (mentorship.status, mentorship.ended_by) == (Status.COMPLETED, manager)
    assert actions(mentorship) == [Action.COMPLETED]


def test_completing_frees_the_mentors_place(mentorship, mentee, mentor):
    def free_places():
        return MentorProfile.objects.with_free_places().get(user=mentor).free_places

    before = free_places()
    services.propose_completion(mentorship, by=mentor)
    assert free_places() == before
    services.confirm_completion(mentorship, by=mentee)

    assert free_places() == before + 1


def test_the_person_who_asked_can_withdraw_it(mentorship, mentee, mentor):
    services.propose_completion(mentorship, by=mentee)
    with pytest.raises(services.InvalidTransition, match="You have not asked"):
        services.withdraw_completion_proposal(mentorship, by=mentor)

    services.withdraw_completion_proposal(mentorship, by=mentee)

    mentorship = refreshed(mentorship)
    assert mentorship.status == Status.ACTIVE
    assert (mentorship.completion_proposed_by, mentorship.completion_proposed_at) == (None, None)
    assert actions(mentorship) == [Action.COMPLETION_PROPOSED, Action.COMPLETION_WITHDRAWN]
    with pytest.raises(services.InvalidTransition, match="Nobody has asked"):
        services.confirm_completion(mentorship, by=mentor)


def test_asking_again_after_withdrawing_emails_the_other_person_again(mentorship, mentee, mentor):
    services.propose_completion(mentorship, by=mentee)
    services.withdraw_completion_proposal(mentorship, by=mentee)

    services.propose_completion(mentorship, by=mentee)

    assert emails_to("completion_proposed") == [mentor.email, mentor.email]


def test_the_other_person_cannot_ask_a_second_time(mentorship, mentee, mentor):
    services.propose_completion(mentorship, by=mentee)

    with pytest.raises(services.InvalidTransition, match="Confirm it instead"):
        services.propose_completion(mentorship, by=mentor)
    with pytest.raises(services.InvalidTransition, match="already asked"):
        services.propose_completion(mentorship, by=mentee)


def test_a_manager_does_not_ask_they_complete(mentorship, manager):
    with pytest.raises(services.NotAllowed):
        services.propose_completion(mentorship, by=manager)


# --- Not on day one -------------------------------------------------------------------------


def test_completion_is_refused_before_a_meeting_or_four_weeks(mentee, mentor, programme, manager):
    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=3)
    earliest = mentorship.started_on + datetime.timedelta(weeks=4)

    for person, call in (
        (mentee, services.propose_completion),
        (manager, services.confirm_completion),
    ):
        with pytest.raises(services.InvalidTransition) as refused:
            call(mentorship, by=person)
        assert "too early" in refused.value.message
        assert f"{earliest:%-d %B %Y}" in refused.value.message

    mentorship = refreshed(mentorship)
    assert (mentorship.status, mentorship.completion_proposed_by) == (Status.ACTIVE, None)
    assert actions(mentorship) == []


def test_one_confirmed_meeting_is_enough_to_complete_sooner(mentee, mentor, programme, manager):
    mentorship = new_mentorship(mentee, mentor, programme)  # started today
    meeting = Meeting.objects.create(
        mentorship=mentorship,
        held_on=timezone.localdate(),
        minutes=60,
        mode="video",
        kind=MeetingKind.ONE_TO_ONE,
        logged_by=mentor,
    )
    with pytest.raises(services.InvalidTransition, match="too early"):
        services.propose_completion(mentorship, by=mentee)  # logged, not yet confirmed

    Meeting.objects.filter(pk=meeting.pk).update(confirmed_by=mentee, confirmed_at=timezone.now())
    services.propose_completion(mentorship, by=mentee)
    services.confirm_completion(mentorship, by=mentor)

    assert refreshed(mentorship).status == Status.COMPLETED


def test_a_finished_mentorship_cannot_be_completed_again(mentorship, mentee, mentor, manager):
    services.confirm_completion(mentorship, by=manager)

    for person, call in (
        (mentee, services.propose_completion),
        (mentor, services.confirm_completion),
        (manager, services.confirm_completion),
    ):
        with pytest.raises(services.InvalidTransition, match="already completed"):
            call(mentorship, by=person)
    assert actions(refreshed(mentorship)) == [Action.COMPLETED]


@pytest.mark.parametrize("person", ["outsider", "other_manager", "other_mentee", "other_mentor"])
def test_nobody_else_can_complete_it_even_calling_the_service(request, mentorship, person):
    someone = request.getfixturevalue(person)

    with pytest.raises(services.NotAllowed):
        services.propose_completion(mentorship, by=someone)
    with pytest.raises(services.NotAllowed):
        services.confirm_completion(mentorship, by=someone)

    assert refreshed(mentorship).status == Status.ACTIVE
    assert actions(mentorship) == []


# --- The pages ------------------------------------------------------------------------------


def test_the_ask_page_says_what_will_happen_and_changes_nothing(mentee_client, mentorship):
    response = mentee_client.get(propose_url(mentorship))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Is the mentorship complete?" in html
    assert "We will email Dr Gareth Pryce and ask them to confirm" in html
    assert '<form method="post"' in html
    mentorship = refreshed(mentorship)
    assert (mentorship.status, mentorship.completion_proposed_by) == (Status.ACTIVE, None)
    assert actions(mentorship) == []


def test_asking_then_confirming_through_the_pages(sign_in, mentorship, mentee, mentor):
    client = sign_in("mentee")
    response = client.post(propose_url(mentorship))
    assert response.status_code == 302
    assert response["Location"] == page_url(mentorship) + "#end"
    page = client.get(page_url(mentorship)).content.decode()
    assert "We are waiting for Dr Gareth Pryce to confirm" in page
    assert withdraw_url(mentorship) in page
    assert refreshed(mentorship).status == Status.ACTIVE

    client = sign_in("mentor")
    page = client.get(page_url(mentorship)).content.decode()
    assert "Dr Amara Nwosu asked on" in page
    assert confirm_url(mentorship) in page
    confirm_page = client.get(confirm_url(mentorship))
    assert confirm_page.status_code == 200
    assert "Confirm the mentorship is complete" in confirm_page.content.decode()
    assert refreshed(mentorship).status == Status.ACTIVE  # GET changes nothing

    response = client.post(confirm_url(mentorship))

    assert response.status_code == 302
    assert response["Location"] == page_url(mentorship) + "#feedback"
    mentorship = refreshed(mentorship)
    assert (mentorship.status, mentorship.ended_by) == (Status.COMPLETED, mentor)


def test_the_manager_completes_it_through_the_page(manager_client, mentorship, manager):
    page = manager_client.get(confirm_url(mentorship))
    assert page.status_code == 200
    assert "Neither of them has asked" in page.content.decode()

    response = manager_client.post(confirm_url(mentorship))

    assert response.status_code == 302
    assert refreshed(mentorship).status == Status.COMPLETED


def test_the_person_who_asked_sees_a_plain_refusal_on_the_confirm_page(
    mentee_client, mentorship, mentee
):
    services.propose_completion(mentorship, by=mentee)

    for response in (
        mentee_client.get(confirm_url(mentorship)),
        mentee_client.post(confirm_url(mentorship)),
    ):
        assert response.status_code == 409
        assert "Dr Gareth Pryce needs to confirm it." in response.content.decode()
    assert refreshed(mentorship).status == Status.ACTIVE


def test_withdrawing_through_the_page(mentee_client, mentorship, mentee):
    services.propose_completion(mentorship, by=mentee)

    response = mentee_client.post(withdraw_url(mentorship))

    assert response.status_code == 302
    assert refreshed(mentorship).completion_proposed_by is None
    assert mentee_client.get(withdraw_url(mentorship)).status_code == 405


def test_too_early_the_page_says_when_and_offers_no_completion(mentee_client, active_mentorship):
    page = mentee_client.get(page_url(active_mentorship)).content.decode()

    assert "It is too early to mark this mentorship as complete" in page
    assert propose_url(active_mentorship) not in page
    response = mentee_client.get(propose_url(active_mentorship))
    assert response.status_code == 409
    assert "too early" in response.content.decode()


def test_a_manager_has_no_ask_page(manager_client, mentorship):
    assert manager_client.get(propose_url(mentorship)).status_code == 404
    assert manager_client.post(propose_url(mentorship)).status_code == 404
    assert refreshed(mentorship).completion_proposed_by is None


@pytest.mark.parametrize("person", ["outsider", "other_mentee", "other_mentor", "other_manager"])
def test_strangers_and_other_programmes_managers_get_404(sign_in, person, mentorship, mentee):
    services.propose_completion(mentorship, by=mentee)
    client = sign_in(person)

    for url in (propose_url(mentorship), confirm_url(mentorship), withdraw_url(mentorship)):
        assert client.get(url).status_code in (404, 405)
        assert client.post(url).status_code == 404
    mentorship = refreshed(mentorship)
    assert (mentorship.status, mentorship.completion_proposed_by) == (Status.ACTIVE, mentee)


def test_the_emails_have_text_and_html_and_link_to_the_pages(
    mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.propose_completion(mentorship, by=mentee)
    [asked] = mail.outbox
    assert asked.to == [mentor.email]
    assert asked.subject == "Dr Amara Nwosu thinks your mentorship is complete: please confirm"
    assert confirm_url(mentorship) in asked.body
    assert confirm_url(mentorship) in asked.alternatives[0][0]

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_completion(mentorship, by=mentor)
    thanks = [m for m in mail.outbox if m.subject.startswith("Thank you")]
    assert sorted(m.to[0] for m in thanks) == sorted([mentee.email, mentor.email])
    for message in thanks:
        assert page_url(mentorship) + "#feedback" in message.body
        assert page_url(mentorship) + "#feedback" in message.alternatives[0][0]
