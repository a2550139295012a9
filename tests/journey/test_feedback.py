"""Feedback at the end: each person gives it once, after the mentorship has ended; it is the
programme team's unless its author shares it with the other person."""

import pytest
from django.urls import reverse
from django.utils import timezone

from journey.models import MENTORSHIP_FUNCTIONS, Feedback
from journey.services.endings import give_feedback
from mentorship.models import Action, Mentorship, OutboxEmail
from mentorship.services.errors import InvalidTransition, NotAllowed

pytestmark = pytest.mark.django_db


def ended(mentorship, status=Mentorship.Status.COMPLETED):
    mentorship.status = status
    mentorship.ended_on = timezone.localdate()
    mentorship.save(update_fields=["status", "ended_on"])
    return mentorship


def answers(**overrides):
    data = {f"function_{code}": "3" for code, _ in MENTORSHIP_FUNCTIONS}
    data.update(
        function_sponsoring="na",
        function_teaching="4",
        reflection_inquisitive="I asked to sit in on the PCN board meetings.",
        what_changed=["career_decision", "application"],
        what_changed_detail="I am applying for GP training.",
        would_recommend="yes",
        comment="Shadowing home visits opened my eyes.",
    )
    data.update(overrides)
    return data


def form_url(mentorship):
    return reverse("journey:give_feedback", args=[mentorship.pk])


def page(mentorship):
    return reverse("mentorship:mentorship_detail", args=[mentorship.pk])


def service_answers(**overrides):
    data = {
        "function_ratings": {code: 2 for code, _ in MENTORSHIP_FUNCTIONS},
        "attribute_reflections": {"humble": "I took feedback on my consultations well."},
        "what_changed": ["project"],
        "would_recommend": "maybe",
        "comment": "A private word for the programme team.",
    }
    data.update(overrides)
    return data


def test_the_mentee_gives_feedback_once_the_mentorship_is_completed(
    active_mentorship, mentee, mentee_client
):
    ended(active_mentorship)
    response = mentee_client.post(form_url(active_mentorship), answers())
    assert response.status_code == 302
    feedback = Feedback.objects.get(mentorship=active_mentorship, person=mentee)
    assert feedback.function_ratings["teaching"] == 4
    assert feedback.function_ratings["sponsoring"] is None  # not applicable
    assert len(feedback.function_ratings) == 14
    assert feedback.attribute_reflections == {
        "inquisitive": "I asked to sit in on the PCN board meetings."
    }
    assert feedback.what_changed == ["career_decision", "application"]
    assert feedback.would_recommend == "yes"
    assert feedback.shared_with_other is False
    event = active_mentorship.events.get(action=Action.FEEDBACK_GIVEN)
    assert event.actor == mentee and event.programme_team_only is True


def test_the_mentor_gives_feedback_after_an_early_end(active_mentorship, mentor):
    ended(active_mentorship, Mentorship.Status.ENDED_EARLY)
    feedback = give_feedback(active_mentorship, by=mentor, **service_answers())
    assert feedback.person == mentor
    assert Feedback.objects.filter(mentorship=active_mentorship).count() == 1


def test_the_mentor_is_asked_about_what_they_gave_and_what_they_saw(
    active_mentorship, mentee, mentor_client
):
    ended(active_mentorship)
    html = mentor_client.get(form_url(active_mentorship)).content.decode()
    assert "What you gave as a mentor" in html
    assert f"What you saw in {mentee.full_name}" in html
    assert f"Share my feedback with {mentee.full_name}" in html


def test_feedback_cannot_be_given_while_the_mentorship_is_active(active_mentorship, mentee_client):
    assert mentee_client.get(form_url(active_mentorship)).status_code == 409
    response = mentee_client.post(form_url(active_mentorship), answers())
    assert response.status_code == 409
    assert "once the mentorship has ended" in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_second_feedback_is_refused_with_a_clear_message(
    active_mentorship, mentee, mentee_client
):
    ended(active_mentorship)
    mentee_client.post(form_url(active_mentorship), answers(comment="First"))
    response = mentee_client.post(form_url(active_mentorship), answers(comment="Second"))
    assert response.status_code == 409
    assert "already given feedback" in response.content.decode()
    assert Feedback.objects.get(person=mentee).comment == "First"
    with pytest.raises(InvalidTransition):
        give_feedback(active_mentorship, by=mentee, **service_answers())


def test_after_giving_feedback_the_page_shows_what_was_given(active_mentorship, mentee_client):
    ended(active_mentorship)
    mentee_client.post(form_url(active_mentorship), answers())
    html = mentee_client.get(form_url(active_mentorship)).content.decode()
    assert "Your feedback on your mentorship" in html
    assert "Shadowing home visits opened my eyes." in html
    assert "Only the programme team can read it." in html


@pytest.mark.parametrize("role", ["outsider", "other_mentee", "manager", "anonymous"])
def test_only_the_two_people_reach_the_feedback_form(active_mentorship, sign_in, role):
    ended(active_mentorship)
    client = sign_in(role)
    response = client.get(form_url(active_mentorship))
    assert response.status_code == (302 if role == "anonymous" else 404)
    assert client.post(form_url(active_mentorship), answers()).status_code in (302, 404)
    assert not Feedback.objects.exists()


def test_someone_else_cannot_give_feedback_through_the_service(active_mentorship, outsider):
    ended(active_mentorship)
    with pytest.raises(NotAllowed):
        give_feedback(active_mentorship, by=outsider, **service_answers())


def test_a_missing_rating_is_a_form_error_and_nothing_is_saved(active_mentorship, mentee_client):
    ended(active_mentorship)
    data = answers()
    del data["function_coaching"]
    response = mentee_client.post(form_url(active_mentorship), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_function_coaching_0"' in html
    assert "Select how much the mentorship gave you in coaching, or not applicable" in html
    assert not Feedback.objects.exists()


def test_something_else_changed_needs_a_word_on_what(active_mentorship, mentee_client):
    ended(active_mentorship)
    data = answers(what_changed=["other"], what_changed_detail="")
    response = mentee_client.post(form_url(active_mentorship), data)
    assert response.status_code == 400
    assert "Tell us what else changed" in response.content.decode()
    assert not Feedback.objects.exists()


def test_unshared_feedback_stays_away_from_the_other_person(
    active_mentorship, mentee, mentor, mentee_client, mentor_client
):
    ended(active_mentorship)
    mentee_client.post(form_url(active_mentorship), answers(comment="Just for the team"))
    mentorship_page = mentor_client.get(page(active_mentorship)).content.decode()
    assert "Just for the team" not in mentorship_page
    assert "shared their feedback with you" not in mentorship_page
    assert "Feedback given" not in mentorship_page  # the event is the programme team's
    shared = reverse("journey:shared_feedback", args=[active_mentorship.pk])
    assert mentor_client.get(shared).status_code == 404
    assert not OutboxEmail.objects.filter(kind="feedback_shared").exists()


def test_shared_feedback_is_shown_to_the_other_person_who_is_told_by_email(
    active_mentorship, mentee, mentor, mentee_client, mentor_client
):
    ended(active_mentorship)
    mentee_client.post(
        form_url(active_mentorship), answers(comment="Thank you, Gareth", shared_with_other="on")
    )
    assert Feedback.objects.get(person=mentee).shared_with_other is True
    mentorship_page = mentor_client.get(page(active_mentorship)).content.decode()
    assert f"{mentee.full_name} shared their feedback with you" in mentorship_page
    shared = reverse("journey:shared_feedback", args=[active_mentorship.pk])
    html = mentor_client.get(shared).content.decode()
    assert "Thank you, Gareth" in html
    assert "What the mentorship gave them" in html
    email = OutboxEmail.objects.get(kind="feedback_shared")
    assert email.to_email == mentor.email
    assert shared in email.body_text and shared in email.body_html
    # The author's own shared page would be the mentor's feedback, which is not given.
    assert mentee_client.get(shared).status_code == 404


def test_the_programme_team_reads_both_feedbacks_shared_or_not(
    active_mentorship, mentee, mentor, manager_client
):
    ended(active_mentorship)
    give_feedback(
        active_mentorship, by=mentee, **service_answers(comment="The mentee private word")
    )
    give_feedback(
        active_mentorship,
        by=mentor,
        **service_answers(comment="The mentor shared word", shared_with_other=True),
    )
    team_page = reverse("journey:team_feedback", args=[active_mentorship.pk])
    html = manager_client.get(team_page).content.decode()
    assert "The mentee private word" in html
    assert "The mentor shared word" in html
    assert "What they think they gave as a mentor" in html
    mentorship_page = manager_client.get(page(active_mentorship)).content.decode()
    assert "2 of 2 people gave feedback" in mentorship_page
    timeline_events = manager_client.get(page(active_mentorship)).context["events"]
    assert [e.action for e in timeline_events].count(Action.FEEDBACK_GIVEN) == 2


@pytest.mark.parametrize("role", ["mentee", "mentor", "other_manager", "outsider"])
def test_nobody_but_the_programme_team_reaches_the_team_feedback_page(
    active_mentorship, sign_in, role
):
    ended(active_mentorship)
    team_page = reverse("journey:team_feedback", args=[active_mentorship.pk])
    assert sign_in(role).get(team_page).status_code == 404


def test_the_mentorship_page_asks_for_feedback_only_once_it_has_ended(
    active_mentorship, mentee, mentee_client
):
    assert "Give feedback" not in mentee_client.get(page(active_mentorship)).content.decode()
    ended(active_mentorship)
    html = mentee_client.get(page(active_mentorship)).content.decode()
    assert 'id="feedback"' in html
    assert "Give feedback" in html
    give_feedback(active_mentorship, by=mentee, **service_answers())
    html = mentee_client.get(page(active_mentorship)).content.decode()
    assert "Give feedback" not in html
    assert "See your feedback" in html
