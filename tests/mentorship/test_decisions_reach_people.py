"""Every decision about a person reaches them, by email through the outbox and on their home
page (issue 10, item 1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorship import services
from mentorship.models import MenteeMembership, MentorMembership, OutboxEmail
from tests.factories import (
    MenteeMembershipFactory,
    MenteeProfileFactory,
    MentorMembershipFactory,
    MentorProfileFactory,
)

pytestmark = pytest.mark.django_db


def the_email(kind: str, to) -> OutboxEmail:
    return OutboxEmail.objects.get(kind=kind, to_email=to.email)


def applicant(programme, name="Dr Siobhán O'Brien"):
    user = MenteeProfileFactory(user__full_name=name).user
    return MenteeMembershipFactory(
        programme=programme, user=user, status=MenteeMembership.Status.APPLIED
    )


def test_an_accepted_applicant_is_emailed_what_to_do_next(manager, programme):
    membership = applicant(programme)

    services.decide_mentee_application(membership, by=manager, accept=True)

    email = the_email("application_accepted", membership.user)
    assert "accepted you into Northfield Clinical Fellows" in email.body_text
    assert reverse("mentorship:directory", args=[programme.slug]) in email.body_text
    assert "Browse mentors" in email.body_html


def test_a_declined_applicant_reads_the_managers_reason_and_what_next(client, manager, programme):
    membership = applicant(programme)
    reason = "We are full this year & will reopen in March <2027>."

    services.decide_mentee_application(membership, by=manager, accept=False, reason=reason)

    membership.refresh_from_db()
    assert membership.decision_reason == reason
    email = the_email("application_declined", membership.user)
    assert reason in email.body_text  # the text part is not HTML-escaped
    assert "We are full this year &amp; will reopen in March &lt;2027&gt;." in email.body_html
    client.force_login(membership.user)
    page = client.get(reverse("mentorship:mentee_home")).content.decode()
    assert "not able to offer you a place" in page
    assert "will reopen in March &lt;2027&gt;" in page


def test_declining_without_a_reason_is_refused_and_changes_nothing(manager, programme):
    membership = applicant(programme)

    with pytest.raises(services.InvalidTransition, match="Say why"):
        services.decide_mentee_application(membership, by=manager, accept=False, reason=" ")

    membership.refresh_from_db()
    assert membership.status == MenteeMembership.Status.APPLIED
    assert not OutboxEmail.objects.exists()


def test_the_decline_form_asks_for_the_reason(manager_client, programme):
    membership = applicant(programme)

    response = manager_client.post(
        reverse("manage:applicant", args=[programme.slug, membership.pk]),
        {"decision": "decline", "notes": "Interviewed."},
    )

    assert response.status_code == 400
    assert "Say why, so that they know what to do next" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == MenteeMembership.Status.APPLIED
    assert not membership.events.exists()


def test_a_mentee_whose_request_was_accepted_is_told_the_team_will_confirm(
    accepted_request, mentee
):
    email = the_email("request_accepted", mentee)
    assert "has accepted your request" in email.body_text
    assert "programme team checks and confirms" in email.body_text


def test_an_invited_mentor_is_emailed_the_invitation(manager, programme):
    invited = MentorProfileFactory(user__full_name="Dr Helen Achebe").user

    services.invite_mentor(programme, email=invited.email, by=manager)

    email = the_email("mentor_invited", invited)
    assert "invites you to mentor" in email.subject + email.body_text
    assert reverse("mentorship:mentor_home") in email.body_text


@pytest.mark.parametrize("approve", [True, False])
def test_a_vetted_mentor_is_told_the_outcome(manager, programme, approve):
    membership = MentorMembershipFactory(
        programme=programme,
        user=MentorProfileFactory().user,
        status=MentorMembership.Status.APPLIED,
    )

    services.decide_mentor_application(
        membership, by=manager, approve=approve, reason="" if approve else "No GMC number."
    )

    kind = "mentor_vetted" if approve else "mentor_not_vetted"
    email = the_email(kind, membership.user)
    assert ("can now see your profile" in email.body_text) is approve
    assert ("No GMC number." in email.body_text) is not approve


def test_decision_emails_are_sent_once_even_if_queued_again(manager, programme):
    membership = applicant(programme)
    services.decide_mentee_application(membership, by=manager, accept=True)
    from mentorship import emails

    emails.application_decided(membership)

    assert OutboxEmail.objects.filter(kind="application_accepted").count() == 1


def test_another_reason_needs_a_note_and_the_mentee_reads_only_the_note(programme, mentor, mentee):
    from mentorship.models import MentorRequest

    mentor_request = services.request_mentor(mentee, mentor, programme)
    with pytest.raises(services.InvalidTransition, match="Write a note"):
        services.decline_request(mentor_request, by=mentor, reason="other", note="  ")
    mentor_request.refresh_from_db()
    assert mentor_request.status == MentorRequest.Status.PENDING

    services.decline_request(
        mentor_request, by=mentor, reason="other", note="I am moving to Scotland in May."
    )

    email = the_email("request_declined", mentee)
    assert 'Their reason: "I am moving to Scotland in May."' in email.body_text
    assert "Another reason" not in email.body_text + email.body_html
    assert mentor_request.events.last().note == "I am moving to Scotland in May."


def test_a_proposal_is_the_programme_teams_suggestion_to_both_people(
    mentor_client, mentee_client, programme, manager, mentor, mentee
):
    proposal = services.propose_match(
        programme, mentee, mentor, by=manager, score=88.0, reasons=["Same target specialty"]
    )

    to_mentor = the_email("proposal_to_mentor", mentor)
    assert to_mentor.subject == f"The programme team suggests you mentor {mentee.full_name}"
    assert "Same target specialty" in to_mentor.body_text
    assert not OutboxEmail.objects.filter(kind="new_request").exists()
    to_mentee = the_email("proposal_made", mentee)
    assert f"has suggested {mentor.full_name} as your mentor" in to_mentee.body_text
    inbox = mentor_client.get(
        reverse("mentorship:inbox_detail", args=[proposal.pk])
    ).content.decode()
    assert "The programme team suggests you mentor" in inbox
    assert "They did not write a message" not in inbox
    page = mentee_client.get(
        reverse("mentorship:request_detail", args=[proposal.pk])
    ).content.decode()
    assert "Suggested mentor:" in page
    assert "You did not write a message" not in page
    listing = mentee_client.get(reverse("mentorship:my_requests")).content.decode()
    assert "Suggested by the programme team" in listing
