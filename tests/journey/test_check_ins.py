"""Check-ins: opened at the programme's points by beat, answered privately by each person,
read by the programme team only; a low score or "not a good fit" alerts the managers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from journey.models import CheckIn
from journey.services.checkins import answer_check_in, open_due_check_ins
from mentorship.models import Action, Mentorship, OutboxEmail
from mentorship.services import end_mentorship
from mentorship.services.errors import InvalidTransition, NotAllowed
from tests.factories import new_mentorship

pytestmark = pytest.mark.django_db

SECRET = "My mentor keeps cancelling at short notice."


def answer(check_in, by, score=4, not_a_good_fit=False, for_programme_team=""):
    return answer_check_in(
        check_in,
        by=by,
        score=score,
        meeting_as_agreed="mostly",
        for_programme_team=for_programme_team,
        not_a_good_fit=not_a_good_fit,
    )


def answer_url(check_in):
    return reverse("journey:answer_check_in", args=[check_in.mentorship_id, check_in.pk])


def page(mentorship):
    return reverse("mentorship:mentorship_detail", args=[mentorship.pk])


# --- Opening check-ins (beat) ------------------------------------------------------------


def test_the_job_opens_one_check_in_per_person_and_emails_each_once_however_often_it_runs(
    active_mentorship, mentee, mentor
):
    assert open_due_check_ins() == 2
    assert open_due_check_ins() == 0

    check_ins = CheckIn.objects.filter(mentorship=active_mentorship)
    assert sorted(c.person_id for c in check_ins) == sorted([mentee.pk, mentor.pk])
    assert {c.point for c in check_ins} == {"+14"}
    assert {c.due_on for c in check_ins} == {active_mentorship.started_on + datetime.timedelta(14)}
    invitations = OutboxEmail.objects.filter(kind="check_in_due")
    assert sorted(e.to_email for e in invitations) == sorted([mentee.email, mentor.email])
    assert reverse("journey:answer_check_in", args=[active_mentorship.pk, check_ins[0].pk]) in (
        invitations.get(to_email=check_ins[0].person.email).body_text
    )


def test_nothing_opens_before_the_first_point(mentee, mentor, programme, manager):
    new_mentorship(mentee, mentor, programme, weeks_ago=1)
    assert open_due_check_ins() == 0
    assert not CheckIn.objects.exists()


def test_a_paused_mentorship_gets_no_check_in_until_its_pause_is_over(active_mentorship):
    today = timezone.localdate()
    Mentorship.objects.filter(pk=active_mentorship.pk).update(paused_until=today)
    assert open_due_check_ins(today) == 0
    assert not OutboxEmail.objects.filter(kind="check_in_due").exists()
    assert open_due_check_ins(today + datetime.timedelta(days=1)) == 2


def test_an_ended_mentorship_gets_no_check_in(active_mentorship, mentee):
    end_mentorship(active_mentorship, by=mentee, completed=False, reason="Moving abroad")
    assert open_due_check_ins() == 0
    assert not CheckIn.objects.exists()


def test_after_several_points_pass_unnoticed_only_the_latest_is_asked(
    mentee, mentor, programme, manager
):
    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=10)  # "+14" and "half"
    assert open_due_check_ins() == 2
    assert set(CheckIn.objects.filter(mentorship=mentorship).values_list("point", flat=True)) == {
        "half"
    }


# --- Answering ---------------------------------------------------------------------------


@pytest.fixture
def mentee_check_in(active_mentorship, mentee):
    open_due_check_ins()
    return CheckIn.objects.get(mentorship=active_mentorship, person=mentee)


@pytest.fixture
def mentor_check_in(mentee_check_in, mentor):
    return CheckIn.objects.get(mentorship=mentee_check_in.mentorship, person=mentor)


def test_the_mentee_answers_their_check_in_from_the_page(mentee_client, mentee_check_in):
    form = mentee_client.get(answer_url(mentee_check_in))
    assert form.status_code == 200
    assert "Only the Northfield Clinical Fellows programme team will see your answers" in (
        form.content.decode()
    )

    response = mentee_client.post(
        answer_url(mentee_check_in),
        {"score": "4", "meeting_as_agreed": "yes", "for_programme_team": SECRET},
    )
    assert response.status_code == 302
    mentee_check_in.refresh_from_db()
    assert mentee_check_in.score == 4
    assert mentee_check_in.meeting_as_agreed == "yes"
    assert mentee_check_in.for_programme_team == SECRET
    assert mentee_check_in.answered_at is not None
    assert mentee_check_in.alerted_at is None
    event = mentee_check_in.mentorship.events.get(action=Action.CHECK_IN_ANSWERED)
    assert event.programme_team_only
    assert not OutboxEmail.objects.filter(kind="check_in_alert").exists()


def test_a_check_in_without_a_score_is_a_form_error_and_nothing_is_saved(
    mentee_client, mentee_check_in
):
    response = mentee_client.post(answer_url(mentee_check_in), {"for_programme_team": SECRET})
    assert response.status_code == 400
    assert "Select how the mentorship is going" in response.content.decode()
    mentee_check_in.refresh_from_db()
    assert mentee_check_in.answered_at is None
    assert mentee_check_in.for_programme_team == ""


def test_answering_someone_elses_check_in_is_a_404(
    mentee_client, mentor_client, manager_client, mentor_check_in, mentee_check_in
):
    assert mentee_client.get(answer_url(mentor_check_in)).status_code == 404
    post = {"score": "1", "meeting_as_agreed": "no"}
    assert mentee_client.post(answer_url(mentor_check_in), post).status_code == 404
    assert mentor_client.get(answer_url(mentee_check_in)).status_code == 404
    assert manager_client.get(answer_url(mentee_check_in)).status_code == 404
    mentor_check_in.refresh_from_db()
    assert mentor_check_in.answered_at is None
    with pytest.raises(NotAllowed):
        answer(mentor_check_in, by=mentee_check_in.person)


def test_an_outsider_gets_404(client, outsider, mentee_check_in):
    client.force_login(outsider)
    assert client.get(answer_url(mentee_check_in)).status_code == 404
    url = reverse("journey:check_in_answers", args=[mentee_check_in.mentorship_id])
    assert client.get(url).status_code == 404


def test_answering_twice_is_refused_and_the_first_answer_stands(mentee_client, mentee_check_in):
    answer(mentee_check_in, by=mentee_check_in.person, score=4)
    response = mentee_client.post(
        answer_url(mentee_check_in), {"score": "1", "meeting_as_agreed": "no"}
    )
    assert response.status_code == 409
    assert "already answered" in response.content.decode()
    mentee_check_in.refresh_from_db()
    assert mentee_check_in.score == 4
    with pytest.raises(InvalidTransition):
        answer(mentee_check_in, by=mentee_check_in.person, score=1)
    assert mentee_check_in.mentorship.events.filter(action=Action.CHECK_IN_ANSWERED).count() == 1


def test_a_check_in_cannot_be_answered_once_the_mentorship_has_ended(mentee_check_in, mentor):
    end_mentorship(mentee_check_in.mentorship, by=mentor, completed=False, reason="Moved trust")
    with pytest.raises(InvalidTransition):
        answer(mentee_check_in, by=mentee_check_in.person)


# --- Alerts ------------------------------------------------------------------------------


def test_a_low_score_alerts_the_managers_at_once_and_only_once(mentor_check_in, manager, mentee):
    answer(mentor_check_in, by=mentor_check_in.person, score=2)
    mentor_check_in.refresh_from_db()
    assert mentor_check_in.alerted_at is not None
    alert = OutboxEmail.objects.get(kind="check_in_alert")
    assert alert.to_email == manager.email
    assert "scored how it is going 2 out of 5" in alert.body_text
    assert page(mentor_check_in.mentorship) + "#check-in" in alert.body_text
    event = mentor_check_in.mentorship.events.get(action=Action.CHECK_IN_ALERT)
    assert event.programme_team_only
    # Nobody else hears of it, and a second attempt to answer changes nothing.
    assert not OutboxEmail.objects.filter(kind="check_in_alert", to_email=mentee.email).exists()
    with pytest.raises(InvalidTransition):
        answer(mentor_check_in, by=mentor_check_in.person, score=1)
    assert OutboxEmail.objects.filter(kind="check_in_alert").count() == 1


def test_not_a_good_fit_alerts_the_managers_even_with_a_good_score(mentee_check_in, manager):
    answer(mentee_check_in, by=mentee_check_in.person, score=4, not_a_good_fit=True)
    alert = OutboxEmail.objects.get(kind="check_in_alert", to_email=manager.email)
    assert "not a good fit" in alert.body_text
    assert "out of 5" not in alert.body_text


def test_a_middling_score_does_not_alert(mentee_check_in):
    answer(mentee_check_in, by=mentee_check_in.person, score=3)
    mentee_check_in.refresh_from_db()
    assert mentee_check_in.alerted_at is None
    assert not OutboxEmail.objects.filter(kind="check_in_alert").exists()


# --- Who sees the answers ----------------------------------------------------------------


def test_the_other_person_never_sees_the_answers_on_the_page_or_in_the_timeline(
    mentor_client, mentee_client, mentee_check_in, mentor
):
    answer(
        mentee_check_in,
        by=mentee_check_in.person,
        score=1,
        not_a_good_fit=True,
        for_programme_team=SECRET,
    )
    mentorship = mentee_check_in.mentorship
    seen_by_mentor = mentor_client.get(page(mentorship)).content.decode()
    assert "cancelling at short notice" not in seen_by_mentor
    assert "Check-in answered" not in seen_by_mentor
    assert "Check-in raised an alert" not in seen_by_mentor
    assert 'nhsuk-tag--red">Not a good fit' not in seen_by_mentor
    assert not OutboxEmail.objects.filter(to_email=mentor.email, kind="check_in_alert").exists()
    # Even the person who answered sees only that they did, on the shared page.
    seen_by_mentee = mentee_client.get(page(mentorship)).content.decode()
    assert "You answered a check-in on" in seen_by_mentee
    assert "Check-in raised an alert" not in seen_by_mentee


def test_the_programme_team_reads_every_answer(manager_client, mentee_check_in, mentor_check_in):
    answer(mentee_check_in, by=mentee_check_in.person, score=2, for_programme_team=SECRET)
    mentorship = mentee_check_in.mentorship
    on_page = manager_client.get(page(mentorship)).content.decode()
    assert "cancelling at short notice" in on_page
    assert "2 out of 5" in on_page
    assert "Check-in raised an alert" in on_page
    listing = manager_client.get(reverse("journey:check_in_answers", args=[mentorship.pk]))
    assert listing.status_code == 200
    assert "cancelling at short notice" in listing.content.decode()
    assert "Not answered yet" in listing.content.decode()  # the mentor's


def test_the_two_people_cannot_open_the_teams_list(mentee_client, mentor_client, mentee_check_in):
    url = reverse("journey:check_in_answers", args=[mentee_check_in.mentorship_id])
    assert mentee_client.get(url).status_code == 404
    assert mentor_client.get(url).status_code == 404


def test_the_mentorship_page_says_your_check_in_is_due_with_a_link(mentee_client, mentee_check_in):
    content = mentee_client.get(page(mentee_check_in.mentorship)).content.decode()
    assert 'id="check-in"' in content
    assert "Your check-in is due" in content
    assert answer_url(mentee_check_in) in content


# --- At the same moment (PostgreSQL, real parallel connections) --------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_of_the_job_at_once_open_each_check_in_and_send_each_invitation_once(
    active_mentorship,
):
    from tests.integration.test_concurrency import run_together

    outcomes = run_together([open_due_check_ins] * 4)
    assert outcomes == ["ok"] * 4
    assert CheckIn.objects.filter(mentorship=active_mentorship).count() == 2
    assert OutboxEmail.objects.filter(kind="check_in_due").count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_are_one_answer_and_one_alert(active_mentorship, mentee):
    from tests.integration.test_concurrency import run_together

    open_due_check_ins()
    check_in = CheckIn.objects.get(mentorship=active_mentorship, person=mentee)
    outcomes = run_together([lambda: answer(check_in, by=mentee, score=1)] * 3)
    assert sorted(outcomes) == ["InvalidTransition", "InvalidTransition", "ok"]
    assert active_mentorship.events.filter(action=Action.CHECK_IN_ANSWERED).count() == 1
    assert OutboxEmail.objects.filter(kind="check_in_alert").count() == 1
