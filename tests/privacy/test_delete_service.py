"""erase_person: after it, nothing of the person is left anywhere; the programme's numbers
still add up; the other people are told; what must be kept is kept."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from accounts.models import User
from journey.models import Certificate, Concern
from journey.services import concerns
from mentorship.models import (
    Action,
    Event,
    Exclusion,
    MenteeMembership,
    Mentorship,
    OutboxEmail,
)
from mentorship.services.errors import InvalidTransition, NotAllowed
from monitoring.models import EqualityAnswers, OutcomeSurvey
from privacy.erasure import ERASED_NAME, erase_person, erased_email, preview_erasure
from privacy.models import ErasureRecord
from tests.privacy.builders import build_world, programme_numbers, traces_left

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(mentee, mentor, other_mentor, manager, programme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_world(mentee, mentor, other_mentor, manager, programme)


def erase(world, django_capture_on_commit_callbacks, **kwargs):
    kwargs.setdefault("by", world.mentee)
    kwargs.setdefault("reason", "Deleted their own account.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return erase_person(world.mentee, **kwargs)


def test_the_world_holds_every_trace_before(world):
    """The check below can fail: before erasure, every secret is somewhere."""
    left = " ".join(traces_left(world.traces))
    for trace in world.traces:
        assert trace.casefold() in left.casefold(), trace


def test_after_erasure_no_personal_field_of_theirs_remains_anywhere(
    world, django_capture_on_commit_callbacks
):
    erase(world, django_capture_on_commit_callbacks)

    assert traces_left(world.traces) == []


def test_the_account_is_anonymised_and_cannot_sign_in(world, django_capture_on_commit_callbacks):
    from allauth.usersessions.models import UserSession

    User.objects.filter(pk=world.mentee.pk).update(title="Prof")
    client, partner = Client(), Client()
    client.force_login(world.mentee)
    partner.force_login(world.other_mentor)
    # What allauth records at each real sign-in (the test client's force_login skips it).
    for user, signed_in in [(world.mentee, client), (world.other_mentor, partner)]:
        UserSession.objects.create(
            user=user, session_key=signed_in.session.session_key, ip="10.1.2.3", user_agent="X"
        )
    erase(world, django_capture_on_commit_callbacks)

    world.mentee.refresh_from_db()
    assert world.mentee.full_name == ERASED_NAME and world.mentee.title == ""
    assert world.mentee.email == erased_email(world.mentee.pk)
    assert not world.mentee.is_active and not world.mentee.has_usable_password()
    assert not EmailAddress.objects.filter(user=world.mentee).exists()
    assert Session.objects.count() == 1  # she is signed out everywhere; nobody else is
    # Where she was signed in (IP addresses, browsers) goes with the sessions.
    assert not UserSession.objects.filter(user=world.mentee).exists()
    assert UserSession.objects.filter(user=world.other_mentor).count() == 1
    assert client.get("/accounts/settings/").status_code == 302
    assert partner.get("/accounts/settings/").status_code == 200


def test_statistics_still_add_up(world, django_capture_on_commit_callbacks):
    before = programme_numbers()

    erase(world, django_capture_on_commit_callbacks)

    assert programme_numbers() == before
    done = Mentorship.objects.get(pk=world.done.pk)
    assert done.status == Mentorship.Status.COMPLETED and done.mentee_id == world.mentee.pk
    certificate = Certificate.objects.get(mentorship=done, person=world.mentor)
    assert (certificate.mentee_name, certificate.mentor_name) == ("A mentee", "Dr Gareth Pryce")
    assert certificate.confirmed_minutes == 60


def test_the_active_mentorship_ends_and_partner_and_managers_are_emailed(
    world, django_capture_on_commit_callbacks
):
    erase(world, django_capture_on_commit_callbacks)

    active = Mentorship.objects.get(pk=world.active.pk)
    assert active.status == Mentorship.Status.ENDED_EARLY
    assert active.end_reason == "Account closed."
    assert active.events.filter(action=Action.ENDED_EARLY, note="Account closed.").exists()
    closed = [m for m in mail.outbox if "closed their account" in m.subject]
    assert sorted(m.to[0] for m in closed) == sorted(
        [world.other_mentor.email, world.manager.email]
    )
    for message in closed:
        html = message.alternatives[0][0]
        assert "Your mentee" in message.body or "The mentee" in message.body
        assert "closed their account" in html
        assert "Amara" not in message.body + html
    rows = OutboxEmail.objects.filter(kind="account_closed")
    assert rows.count() == 2 and all(row.status == "sent" for row in rows)


def test_what_is_erased_keeps_the_rows(world, django_capture_on_commit_callbacks):
    record = erase(world, django_capture_on_commit_callbacks)

    mentee = world.mentee
    assert not EqualityAnswers.objects.filter(user=mentee).exists()
    assert not Exclusion.objects.filter(mentee=mentee).exists()
    survey = OutcomeSurvey.objects.get(mentee=mentee)
    assert (survey.status, survey.still_in_nhs, survey.helped) == ("answered", "", "")
    assert MenteeMembership.objects.get(user=mentee).status == "withdrawn"
    emails_to_her = OutboxEmail.objects.filter(to_email__startswith=f"erased-{mentee.pk}.")
    assert emails_to_her.exists()
    assert set(emails_to_her.values_list("body_text", "subject")) == {("", "")}
    assert record.by == mentee and not record.by_staff
    assert record.counts["mentorships_ended"] == 1
    assert record.counts["emails_to_them_erased"] == emails_to_her.count()


def test_a_concern_under_investigation_is_kept_until_closed(
    world, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_concern = concerns.raise_concern(
            world.active, by=world.other_mentor, kind="behaviour", details="Under-investigation"
        )
    assert preview_erasure(world.mentee).open_concerns == 1

    record = erase(world, django_capture_on_commit_callbacks)

    open_concern.refresh_from_db()
    assert open_concern.details == "Under-investigation"
    assert record.counts["kept_concerns"] == 1
    assert Concern.objects.get(mentorship=world.done).details == ""


def test_the_preview_says_what_will_happen(world):
    preview = preview_erasure(world.mentee)
    assert [m.pk for m in preview.active_mentorships] == [world.active.pk]
    assert preview.open_concerns == 0


def test_staff_erase_on_request_and_it_is_logged(world, staff, django_capture_on_commit_callbacks):
    record = erase(world, django_capture_on_commit_callbacks, by=staff, reason="Ticket 4411")

    assert (record.by, record.by_staff, record.reason) == (staff, True, "Ticket 4411")
    assert traces_left(world.traces) == []


def test_nobody_else_may_erase_someone(world, outsider):
    with pytest.raises(NotAllowed):
        erase_person(world.mentee, by=outsider, reason="Because")
    world.mentee.refresh_from_db()
    assert world.mentee.is_active and not ErasureRecord.objects.exists()


def test_erasing_twice_is_refused(world, django_capture_on_commit_callbacks):
    erase(world, django_capture_on_commit_callbacks)
    with pytest.raises(InvalidTransition):
        erase_person(world.mentee, by=world.mentee, reason="Again")
    assert ErasureRecord.objects.count() == 1


def test_authenticators_go_too(mentee, with_mfa, django_capture_on_commit_callbacks):
    with_mfa(mentee)
    assert Authenticator.objects.filter(user=mentee).count() == 2

    erase_person(mentee, by=mentee, reason="Deleted their own account.")

    assert not Authenticator.objects.filter(user=mentee).exists()


def test_their_download_my_data_files_go_too(mentee, django_capture_on_commit_callbacks):
    from privacy.export import service as export_service
    from privacy.models import DataExport

    with django_capture_on_commit_callbacks(execute=True):
        export_service.request_export(mentee)
    assert DataExport.objects.get(user=mentee).content  # built (tasks run in-process)

    record = erase_person(mentee, by=mentee, reason="Deleted their own account.")

    assert not DataExport.objects.filter(user=mentee).exists()
    assert record.counts["data_exports_deleted"] == 1


def test_the_record_is_append_only(world, django_capture_on_commit_callbacks):
    record = erase(world, django_capture_on_commit_callbacks)
    record.reason = "changed"
    with pytest.raises(ValueError):
        record.save()
    with pytest.raises(ValueError):
        record.delete()
    assert (
        Event.objects.filter(actor=world.mentee)
        .exclude(note="")
        .exclude(note="Account closed.")
        .count()
        == 0
    )


def test_only_whole_words_of_their_name_are_removed_elsewhere(outsider):
    from privacy.scrub import Identity

    outsider.full_name = "Dr Ana Li"
    identity = Identity.of(outsider)

    assert identity.scrub("Banana Lilies; Dr Ana Li said; ana li agreed") == (
        "Banana Lilies; a former member said; a former member agreed"
    )
    assert identity.scrub(f"Write to {outsider.email.upper()}.") == "Write to [removed]."


def test_a_managers_notes_about_others_stay_without_their_name(
    mentee, manager, programme, django_capture_on_commit_callbacks
):
    membership = MenteeMembership.objects.get(user=mentee)
    decision = membership.log_action(
        Action.APPLICATION_ACCEPTED, by=manager, note=f"Interviewed by {manager.full_name}: strong"
    )

    erase_person(manager, by=manager, reason="Deleted their own account.")

    decision.refresh_from_db()
    assert decision.note == "Interviewed by a former member: strong"
    assert not programme.managers.filter(pk=manager.pk).exists()


def test_an_unsent_email_about_them_to_someone_else_is_not_sent(
    world, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    waiting = OutboxEmail.objects.create(
        kind="test_waiting",
        object_key="test:1",
        recipient=world.mentor,
        to_email=world.mentor.email,
        subject=f"About {world.mentee.full_name}",
        body_text=f"{world.mentee.full_name} wrote to you.",
        body_html="<p>She wrote to you.</p>",
        next_attempt_at=timezone.now(),
    )

    erase(world, django_capture_on_commit_callbacks)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.subject, waiting.body_text) == ("failed", "", "")
    assert waiting.to_email == world.mentor.email  # the recipient was someone else
    assert world.mentor.email not in [m.to[0] for m in mail.outbox if "test" in m.subject]


def test_event_notes_that_named_them_are_scrubbed(world, django_capture_on_commit_callbacks):
    alert = Event.objects.get(action=Action.CHECK_IN_ALERT)
    assert world.mentee.full_name in alert.note
    elsewhere = Event.log_programme_action(
        world.done.programme,
        Action.SETTINGS_CHANGED,
        by=world.manager,
        note=f"Asked by {world.mentee.full_name}",
        changes=[{"label": "Guardian", "old": world.mentee.email, "new": "Someone else"}],
    )

    erase(world, django_capture_on_commit_callbacks)

    alert.refresh_from_db()
    elsewhere.refresh_from_db()
    assert alert.note == ""  # a note on her own mentorship goes whole
    assert elsewhere.note == "Asked by a former member"  # elsewhere, only her name goes
    assert elsewhere.changes[0]["old"] == "[removed]"
    assert Event.objects.filter(action=Action.CHECK_IN_ALERT).count() == 1


def test_an_open_request_to_a_mentor_who_leaves_closes_and_the_mentee_is_told(
    mentee, mentor, programme, django_capture_on_commit_callbacks
):
    from tests.factories import new_request

    mentor_request = new_request(mentee, mentor, programme, message="Please")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(mentor, by=mentor, reason="Deleted their own account.")

    mentor_request.refresh_from_db()
    assert mentor_request.status == "withdrawn" and mentor_request.message == ""
    told = [m for m in mail.outbox if m.to == [mentee.email]]
    assert told and "Dr Gareth Pryce" not in told[0].body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_erasures_of_one_person_at_once_erase_once(mentee, staff):
    import threading

    from django.db import connections

    start, outcomes = threading.Barrier(2), []

    def erase_as(by):
        try:
            start.wait()
            erase_person(mentee, by=by, reason="At once")
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("already erased")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=erase_as, args=(by,)) for by in (mentee, staff)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == ["already erased", "ok"]
    assert ErasureRecord.objects.filter(user=mentee).count() == 1
