"""The mentoring agreement: one person proposes it, the other confirms it; a revision asks the
other again; the programme team sees that it exists, not what it says."""

import pytest
from django.urls import reverse

from journey.models import AgreedGoal, Agreement
from journey.services.agreements import (
    confirm_agreement,
    default_confidentiality,
    propose_agreement,
    update_goal,
)
from mentorship import services as mentorship_services
from mentorship.models import Action, OutboxEmail
from mentorship.services.errors import InvalidTransition, NotAllowed
from tests.factories import goal

pytestmark = pytest.mark.django_db

PRIVATE = {
    "how_we_meet": "Tuesday mornings at Larkfield Surgery, and home visits on Thursdays.",
    "confidentiality": "Nothing about my visa worries leaves this room.",
    "ending": "We say so at the end of a meeting, face to face.",
}
GOALS = ["Decide whether General Practice is for me", "Lead the PCN change project"]


def propose(mentorship, by, **changes):
    terms = {"goals": GOALS, "cadence": "fortnightly", "duration_weeks": 12, **PRIVATE}
    return propose_agreement(mentorship, by=by, **{**terms, **changes})


def events(mentorship, action):
    return list(mentorship.events.filter(action=action))


def outbox(kind):
    return list(OutboxEmail.objects.filter(kind=kind).order_by("pk"))


def post_form(client, mentorship, **data):
    form = {
        "goal_1": GOALS[0],
        "goal_2": GOALS[1],
        "cadence": "weekly",
        "duration_weeks": "16",
        **PRIVATE,
        **data,
    }
    return client.post(reverse("journey:agreement", args=[mentorship.pk]), form)


# --- Proposing ------------------------------------------------------------------------------


def test_proposing_without_terms_takes_the_programme_and_profile_defaults(
    active_mentorship, mentee, mentor, programme
):
    programme.meeting_cadence, programme.duration_weeks = "monthly", 20
    programme.freedom_to_speak_up = "Priya Raman, speakup@example.org"
    programme.save()

    agreement = propose_agreement(active_mentorship, by=mentee)

    assert (agreement.cadence, agreement.duration_weeks) == ("monthly", 20)
    goals = list(active_mentorship.agreed_goals.all())
    assert [(g.goal, g.text) for g in goals] == [
        (goal("career-move"), goal("career-move").name),
        (goal("leadership"), goal("leadership").name),
    ]
    assert "Priya Raman, speakup@example.org" in agreement.confidentiality
    assert agreement.ending.startswith("Either of us can end it at any time")
    assert agreement.proposed_by == mentee
    assert agreement.mentee_confirmed_at is not None
    assert agreement.mentor_confirmed_at is None


def test_the_proposer_has_confirmed_and_the_other_is_emailed_once(
    active_mentorship, mentee, mentor
):
    propose(active_mentorship, by=mentor)

    agreement = Agreement.objects.get(mentorship=active_mentorship)
    assert agreement.mentor_confirmed_at is not None
    assert agreement.mentee_confirmed_at is None
    [event] = events(active_mentorship, Action.AGREEMENT_PROPOSED)
    assert event.actor == mentor
    [email] = outbox("agreement_proposed")
    assert email.to_email == mentee.email
    assert email.subject == (
        f"{mentor.full_name} proposed your mentoring agreement – review and confirm"
    )
    assert GOALS[0] in email.body_text and GOALS[0] in email.body_html
    assert f"/mentorships/{active_mentorship.pk}/#agreement" in email.body_text
    assert f"/mentorships/{active_mentorship.pk}/#agreement" in email.body_html


def test_a_goal_worded_as_a_profile_goal_is_linked_to_it(active_mentorship, mentee):
    shouted = f"  {goal('leadership').name.upper()} "
    propose(active_mentorship, by=mentee, goals=[shouted, "Sit the MRCGP AKT", ""])

    goals = list(active_mentorship.agreed_goals.all())
    assert [(g.text, g.goal) for g in goals] == [
        (shouted.strip(), goal("leadership")),
        ("Sit the MRCGP AKT", None),
    ]


def test_the_mentor_confirms_and_both_are_told(active_mentorship, mentee, mentor):
    propose(active_mentorship, by=mentee)

    agreement = confirm_agreement(active_mentorship, by=mentor)

    assert agreement.is_confirmed
    [event] = events(active_mentorship, Action.AGREEMENT_CONFIRMED)
    assert event.actor == mentor
    emails = outbox("agreement_confirmed")
    assert sorted(e.to_email for e in emails) == sorted([mentee.email, mentor.email])
    assert all(e.body_text and e.body_html for e in emails)
    to_mentee = next(e for e in emails if e.to_email == mentee.email)
    assert f"You and {mentor.full_name} have both confirmed" in to_mentee.body_text


def test_confirming_twice_changes_nothing(active_mentorship, mentee, mentor):
    propose(active_mentorship, by=mentee)
    first = confirm_agreement(active_mentorship, by=mentor).mentor_confirmed_at

    again = confirm_agreement(active_mentorship, by=mentor)

    assert again.mentor_confirmed_at == first
    assert len(events(active_mentorship, Action.AGREEMENT_CONFIRMED)) == 1
    assert len(outbox("agreement_confirmed")) == 2


def test_the_proposer_confirming_their_own_proposal_changes_nothing(active_mentorship, mentee):
    propose(active_mentorship, by=mentee)

    agreement = confirm_agreement(active_mentorship, by=mentee)

    assert agreement.mentor_confirmed_at is None
    assert events(active_mentorship, Action.AGREEMENT_CONFIRMED) == []


def test_there_is_nothing_to_confirm_before_a_proposal(active_mentorship, mentor):
    with pytest.raises(InvalidTransition):
        confirm_agreement(active_mentorship, by=mentor)


# --- Revising ------------------------------------------------------------------------------


def test_revising_resets_the_other_persons_confirmation_and_asks_again(
    active_mentorship, mentee, mentor
):
    propose(active_mentorship, by=mentee)
    confirm_agreement(active_mentorship, by=mentor)

    revised = propose(active_mentorship, by=mentor, cadence="weekly")

    assert revised.cadence == "weekly"
    assert revised.proposed_by == mentor
    assert revised.mentor_confirmed_at is not None
    assert revised.mentee_confirmed_at is None
    assert Agreement.objects.count() == 1
    assert len(events(active_mentorship, Action.AGREEMENT_PROPOSED)) == 2
    proposals = outbox("agreement_proposed")
    assert [e.to_email for e in proposals] == [mentor.email, mentee.email]
    assert proposals[1].subject.startswith(f"{mentor.full_name} revised your mentoring agreement")


def test_a_revision_keeps_unchanged_goals_progress_adds_new_ones_and_drops_cleared_ones(
    active_mentorship, mentee, mentor
):
    propose(active_mentorship, by=mentee)
    kept = AgreedGoal.objects.get(text=GOALS[1])
    update_goal(kept, by=mentor, status="in_progress", reflection="Chaired the first meeting.")

    propose(active_mentorship, by=mentor, goals=[GOALS[1], "Apply for GP training"])

    goals = list(active_mentorship.agreed_goals.all())
    assert [g.text for g in goals] == [GOALS[1], "Apply for GP training"]
    assert goals[0].pk == kept.pk
    assert (goals[0].status, goals[0].reflection) == ("in_progress", "Chaired the first meeting.")
    assert goals[1].status == "not_started"


# --- Who and when ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "outsider", "other_mentor"])
def test_only_the_two_people_can_propose_or_confirm(role, request, active_mentorship, mentee):
    person = request.getfixturevalue(role)
    with pytest.raises(NotAllowed):
        propose(active_mentorship, by=person)
    propose(active_mentorship, by=mentee)
    with pytest.raises(NotAllowed):
        confirm_agreement(active_mentorship, by=person)
    assert Agreement.objects.get().mentor_confirmed_at is None


def test_an_ended_mentorship_refuses_a_proposal_and_a_confirmation(
    active_mentorship, mentee, mentor
):
    propose(active_mentorship, by=mentee)
    mentorship_services.end_mentorship(
        active_mentorship, by=mentee, completed=False, reason="Moved"
    )

    with pytest.raises(InvalidTransition):
        confirm_agreement(active_mentorship, by=mentor)
    with pytest.raises(InvalidTransition):
        propose(active_mentorship, by=mentor, cadence="monthly")
    agreement = Agreement.objects.get()
    assert (agreement.cadence, agreement.mentor_confirmed_at) == ("fortnightly", None)


@pytest.mark.parametrize(
    "changes",
    [{"goals": ["", "   "]}, {"duration_weeks": 0}, {"duration_weeks": 105}, {"cadence": "daily"}],
)
def test_the_service_refuses_bad_terms_and_saves_nothing(active_mentorship, mentee, changes):
    with pytest.raises(InvalidTransition):
        propose(active_mentorship, by=mentee, **changes)
    assert not Agreement.objects.exists()
    assert not AgreedGoal.objects.exists()
    assert events(active_mentorship, Action.AGREEMENT_PROPOSED) == []
    assert outbox("agreement_proposed") == []


# --- Pages ------------------------------------------------------------------------------------


def test_the_form_starts_from_profile_goals_programme_terms_and_stated_limits(
    active_mentorship, mentee_client, programme
):
    programme.freedom_to_speak_up = "Priya Raman, speakup@example.org"
    programme.safeguarding_lead = "Tom Ellis, safeguarding@example.org"
    programme.save()

    response = mentee_client.get(reverse("journey:agreement", args=[active_mentorship.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{goal("career-move").name}"' in page
    assert 'name="goal_5"' in page  # room to add
    assert 'value="16"' in page
    assert "Priya Raman, speakup@example.org" in page
    assert "Tom Ellis, safeguarding@example.org" in page
    assert "risk to patients" in page
    assert "Either of us can end it at any time through the mentorship page" in page


def test_proposing_through_the_page_saves_it_and_returns_to_the_agreement(
    active_mentorship, mentee_client, mentee
):
    response = post_form(mentee_client, active_mentorship, goal_2="", goal_4=GOALS[1])

    assert response.status_code == 302
    assert response.url.endswith(f"/mentorships/{active_mentorship.pk}/#agreement")
    agreement = Agreement.objects.get(mentorship=active_mentorship)
    assert (agreement.cadence, agreement.duration_weeks) == ("weekly", 16)
    assert agreement.how_we_meet == PRIVATE["how_we_meet"]
    assert [g.text for g in active_mentorship.agreed_goals.all()] == GOALS
    assert agreement.mentee_confirmed_at is not None


@pytest.mark.parametrize(
    "data, error",
    [
        ({"goal_1": "", "goal_2": ""}, "Enter at least one goal to work on"),
        ({"duration_weeks": "0"}, "Enter a number of weeks between 1 and 104"),
        ({"duration_weeks": "many"}, "Enter the number of weeks as a number"),
        ({"cadence": ""}, "Choose how often you will meet"),
        ({"confidentiality": ""}, "Say what stays between you, and its limits"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(
    active_mentorship, mentee_client, data, error
):
    response = post_form(mentee_client, active_mentorship, **data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert error in page
    assert not Agreement.objects.exists()
    assert not AgreedGoal.objects.exists()
    assert outbox("agreement_proposed") == []


def test_the_other_person_confirms_with_the_button_on_the_mentorship_page(
    active_mentorship, mentee, mentor, mentor_client, mentee_client
):
    propose(active_mentorship, by=mentee)
    detail = reverse("mentorship:mentorship_detail", args=[active_mentorship.pk])
    confirm_url = reverse("journey:confirm_agreement", args=[active_mentorship.pk])
    assert confirm_url in mentor_client.get(detail).content.decode()
    assert confirm_url not in mentee_client.get(detail).content.decode()

    response = mentor_client.post(confirm_url)

    assert response.status_code == 302
    assert Agreement.objects.get().is_confirmed
    page = mentee_client.get(detail).content.decode()
    assert "Confirmed by both" in page
    assert confirm_url not in page


@pytest.mark.parametrize("role", ["outsider", "other_mentor", "other_mentee", "manager"])
def test_other_people_get_404_from_the_agreement_pages(role, sign_in, active_mentorship, mentee):
    propose(active_mentorship, by=mentee)
    client = sign_in(role)
    pk = active_mentorship.pk

    assert client.get(reverse("journey:agreement", args=[pk])).status_code == 404
    assert post_form(client, active_mentorship, cadence="monthly").status_code == 404
    assert client.post(reverse("journey:confirm_agreement", args=[pk])).status_code == 404
    agreement = Agreement.objects.get()
    assert (agreement.cadence, agreement.mentor_confirmed_at) == ("fortnightly", None)


def test_an_ended_mentorship_says_why_and_changes_nothing(active_mentorship, mentee, mentor_client):
    propose(active_mentorship, by=mentee)
    mentorship_services.end_mentorship(
        active_mentorship, by=mentee, completed=False, reason="Moved"
    )
    pk = active_mentorship.pk

    form_page = mentor_client.get(reverse("journey:agreement", args=[pk]))
    confirmed = mentor_client.post(reverse("journey:confirm_agreement", args=[pk]))

    assert form_page.status_code == 409
    assert "ended early; it cannot change now" in form_page.content.decode()
    assert confirmed.status_code == 409
    assert Agreement.objects.get().mentor_confirmed_at is None


def test_the_manager_sees_that_it_exists_and_who_confirmed_but_not_its_wording(
    active_mentorship, mentee, mentor, manager_client, mentee_client
):
    propose(active_mentorship, by=mentee)
    confirm_agreement(active_mentorship, by=mentor)
    reflection = "Shadowed three home visits; frailty care is where I belong."
    update_goal(
        AgreedGoal.objects.get(text=GOALS[0]), by=mentee, status="achieved", reflection=reflection
    )
    detail = reverse("mentorship:mentorship_detail", args=[active_mentorship.pk])

    page = manager_client.get(detail).content.decode()

    assert 'id="agreement"' in page
    assert "Confirmed by both" in page
    assert "Every 2 weeks for 12 weeks" in page
    assert "2 goals agreed" in page
    for private in [*PRIVATE.values(), *GOALS, reflection]:
        assert private not in page
    assert reverse("journey:agreement", args=[active_mentorship.pk]) not in page

    theirs = mentee_client.get(detail).content.decode()
    for private in [*GOALS, reflection]:
        assert private in theirs
    assert PRIVATE["how_we_meet"] in theirs


def test_the_default_confidentiality_names_both_contacts_or_says_who_can_tell_you(
    active_mentorship, mentee, programme
):
    assert "programme team can say who they are" in default_confidentiality(programme)
    programme.freedom_to_speak_up = "Priya Raman, speakup@example.org"
    programme.safeguarding_lead = "Tom Ellis,\n safeguarding@example.org"
    text = default_confidentiality(programme)
    assert text.endswith(
        "We can also go to the Freedom to Speak Up guardian (Priya Raman, speakup@example.org) "
        "or the safeguarding lead (Tom Ellis, safeguarding@example.org)."
    )
    assert "risk to patients or to anyone's safety" in text
