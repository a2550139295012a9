"""Every transition of a request: who may make it, from which state, and what it leaves."""

import pytest
from django.core import mail

from mentorship import services
from mentorship.models import Event, MentorRequest, Mentorship
from tests.factories import MentorMembershipFactory, MentorProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = MentorRequest.Status


@pytest.fixture
def pending(mentee, mentor, programme):
    return services.request_mentor(mentee, mentor, programme, message="Hello")


@pytest.fixture
def accepted(pending, mentor):
    return services.accept_request(pending, by=mentor)


def status_of(mentor_request) -> str:
    mentor_request.refresh_from_db()
    return mentor_request.status


def last_event(mentor_request) -> Event:
    return mentor_request.events.order_by("-pk").first()


# --- accept -----------------------------------------------------------------------------


def test_the_mentor_accepts_and_the_managers_are_asked_to_approve(
    pending, mentor, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_request(pending, by=mentor)

    assert status_of(pending) == Status.ACCEPTED
    event = last_event(pending)
    assert (event.actor, event.from_status, event.to_status) == (mentor, "pending", "accepted")
    assert [m.to for m in mail.outbox if "approval" in m.subject] == [[manager.email]]
    assert not Mentorship.objects.exists()


def test_only_the_mentor_asked_can_accept(pending, mentee, programme):
    someone_else = MentorProfileFactory().user
    MentorMembershipFactory(programme=programme, user=someone_else)

    for person in (mentee, someone_else):
        with pytest.raises(services.NotAllowed):
            services.accept_request(pending, by=person)
    assert status_of(pending) == Status.PENDING


def test_accepting_twice_changes_nothing(accepted, mentor):
    events = accepted.events.count()

    with pytest.raises(services.InvalidTransition, match="waiting for approval"):
        services.accept_request(accepted, by=mentor)

    assert status_of(accepted) == Status.ACCEPTED
    assert accepted.events.count() == events


def test_without_approval_acceptance_starts_the_mentorship(pending, mentor, programme):
    programme.requires_approval = False
    programme.save()

    services.accept_request(pending, by=mentor)

    assert status_of(pending) == Status.APPROVED
    mentorship = Mentorship.objects.get()
    assert (mentorship.mentor, mentorship.mentee, mentorship.status) == (
        mentor,
        pending.mentee,
        "active",
    )


# --- decline, question, answer, withdraw -------------------------------------------------


def test_the_mentor_declines_with_a_reason_and_a_kind_note(
    pending, mentor, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_request(
            pending,
            by=mentor,
            reason="another_mentor",
            note="Dr Patel runs the GP training scheme; ask her.",
        )

    pending.refresh_from_db()
    assert pending.status == Status.DECLINED
    assert pending.decline_reason == "another_mentor"
    assert last_event(pending).note == "Another mentor would suit you better"
    declined = [m for m in mail.outbox if m.to == [mentee.email]][-1]
    assert "Dr Patel runs the GP training scheme" in declined.body


def test_a_decline_needs_a_known_reason(pending, mentor):
    with pytest.raises(services.InvalidTransition, match="Choose a reason"):
        services.decline_request(pending, by=mentor, reason="bored")
    assert status_of(pending) == Status.PENDING


def test_the_mentor_asks_a_question_and_the_mentee_answers(pending, mentor, mentee):
    services.ask_for_more_info(pending, by=mentor, question="Which GP schemes interest you?")
    assert status_of(pending) == Status.MORE_INFO

    services.answer_question(pending, by=mentee, answer="Calderdale and Kirklees.")

    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert pending.answer == "Calderdale and Kirklees."
    assert [e.action for e in pending.events.all()] == ["requested", "asked", "answered"]


def test_only_the_mentee_can_answer_and_only_when_asked(pending, mentor, mentee):
    with pytest.raises(services.InvalidTransition):
        services.answer_question(pending, by=mentee, answer="Early answer")
    services.ask_for_more_info(pending, by=mentor, question="Why now?")
    with pytest.raises(services.NotAllowed):
        services.answer_question(pending, by=mentor, answer="Answering for them")
    assert status_of(pending) == Status.MORE_INFO


def test_the_mentee_withdraws_and_the_mentor_is_told(
    pending, mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_request(pending, by=mentee)

    assert status_of(pending) == Status.WITHDRAWN
    assert mail.outbox[-1].to == [mentor.email]
    assert "withdrawn" in mail.outbox[-1].subject


def test_a_withdrawn_request_cannot_be_accepted(pending, mentee, mentor):
    services.withdraw_request(pending, by=mentee)

    with pytest.raises(services.InvalidTransition, match="withdrawn"):
        services.accept_request(pending, by=mentor)


def test_only_the_mentee_can_withdraw(pending, mentor):
    with pytest.raises(services.NotAllowed):
        services.withdraw_request(pending, by=mentor)


# --- approve and reject -----------------------------------------------------------------


def test_a_manager_approves_and_the_mentorship_starts_with_introductions(
    accepted, manager, mentee, mentor, programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_request(accepted, by=manager)

    assert status_of(accepted) == Status.APPROVED
    mentorship = Mentorship.objects.get()
    assert mentorship.request == accepted
    assert (mentorship.planned_end_on - mentorship.started_on).days == 16 * 7
    intros = {m.to[0]: m for m in mail.outbox if m.subject.startswith("Meet your")}
    assert set(intros) == {mentee.email, mentor.email}
    assert intros[mentee.email].subject == f"Meet your mentor, {mentor.full_name}"
    to_mentee = intros[mentee.email].body
    assert mentor.email in to_mentee and "Divisional Director for Primary Care" in to_mentee
    assert "suggested agenda for your first meeting" in to_mentee
    assert "1. Career move into a specialty" in to_mentee
    assert "16 weeks" in to_mentee and "weekly" in to_mentee
    assert "Your goals, most important first" in to_mentee
    assert "what brought you to the NHS" in to_mentee
    to_mentor = intros[mentor.email].body
    assert mentee.email in to_mentor
    assert f"{mentee.get_short_name()}'s goals, most important first" in to_mentor
    assert intros[mentor.email].alternatives[0][1] == "text/html"


def test_approval_withdraws_the_mentees_other_open_requests_and_tells_those_mentors(
    accepted, manager, mentee, programme, django_capture_on_commit_callbacks
):
    other = MentorProfileFactory().user
    MentorMembershipFactory(programme=programme, user=other)
    other_request = services.request_mentor(mentee, other, programme)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_request(accepted, by=manager)

    assert status_of(other_request) == Status.WITHDRAWN
    event = last_event(other_request)
    assert event.actor is None and "matched with another mentor" in event.note
    told = [m for m in mail.outbox if m.to == [other.email] and "withdrawn" in m.subject]
    assert told and "matched with another mentor" in told[0].body


def test_only_the_programmes_managers_can_approve(accepted, other_manager, mentor, mentee):
    for person in (other_manager, mentor, mentee):
        with pytest.raises(services.NotAllowed):
            services.approve_request(accepted, by=person)
    assert status_of(accepted) == Status.ACCEPTED
    assert not Mentorship.objects.exists()


def test_approving_twice_changes_nothing(accepted, manager):
    services.approve_request(accepted, by=manager)

    with pytest.raises(services.InvalidTransition, match="approved"):
        services.approve_request(accepted, by=manager)
    assert Mentorship.objects.count() == 1


def test_approval_fails_clearly_when_the_mentor_has_no_free_place(
    accepted, manager, mentor, programme
):
    from tests.factories import MentorshipFactory

    MentorshipFactory.create_batch(2, programme=programme, mentor=mentor)  # capacity is 2

    with pytest.raises(services.NoFreePlace, match="has no free place"):
        services.approve_request(accepted, by=manager)
    assert status_of(accepted) == Status.ACCEPTED
    assert Mentorship.objects.filter(mentee=accepted.mentee).count() == 0


def test_a_manager_rejects_with_a_reason_and_both_are_told(
    accepted, manager, mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_request(accepted, by=manager, reason="Dr Pryce is on leave until May.")

    accepted.refresh_from_db()
    assert accepted.status == Status.REJECTED
    told = {m.to[0] for m in mail.outbox if "not approved" in m.subject}
    assert told == {mentee.email, mentor.email}


def test_a_rejection_needs_a_reason(accepted, manager):
    with pytest.raises(services.InvalidTransition, match="Say why"):
        services.reject_request(accepted, by=manager, reason="  ")
    assert status_of(accepted) == Status.ACCEPTED


def test_a_match_run_proposal_starts_the_mentorship_when_the_mentor_accepts(
    mentee, mentor, manager, programme
):
    proposal = services.propose_match(
        programme,
        mentee,
        mentor,
        by=manager,
        score=88.0,
        reasons=["Same target specialty: General Practice"],
    )
    assert proposal.status == Status.PENDING and proposal.manager_approved_at

    services.accept_request(proposal, by=mentor)

    assert status_of(proposal) == Status.APPROVED
    assert Mentorship.objects.filter(mentee=mentee, mentor=mentor).exists()


def test_only_managers_can_propose(mentee, mentor, programme):
    with pytest.raises(services.NotAllowed):
        services.propose_match(programme, mentee, mentor, by=UserFactory(), score=1, reasons=[])


# --- mentorships ------------------------------------------------------------------------


def test_a_mentorship_ends_early_with_a_reason_and_frees_the_place(accepted, manager, mentee):
    services.approve_request(accepted, by=manager)
    mentorship = Mentorship.objects.get()

    with pytest.raises(services.InvalidTransition, match="Say why"):
        services.end_mentorship(mentorship, by=mentee, completed=False)
    services.end_mentorship(mentorship, by=mentee, completed=False, reason="Moved to Leeds.")

    mentorship.refresh_from_db()
    assert mentorship.status == "ended_early" and mentorship.end_reason == "Moved to Leeds."
    assert mentorship.ended_by == mentee
    with pytest.raises(services.InvalidTransition):
        services.end_mentorship(mentorship, by=mentee, completed=True)


def test_an_outsider_cannot_end_a_mentorship(accepted, manager, outsider):
    services.approve_request(accepted, by=manager)

    with pytest.raises(services.NotAllowed):
        services.end_mentorship(Mentorship.objects.get(), by=outsider, completed=True)


def test_ending_a_mentorship_tells_the_other_person_and_the_managers(
    accepted, manager, mentee, mentor, django_capture_on_commit_callbacks
):
    services.approve_request(accepted, by=manager)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.end_mentorship(Mentorship.objects.get(), by=mentor, completed=True)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, manager.email])
    assert mail.outbox[0].subject.startswith("Mentorship completed")
