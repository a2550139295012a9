"""Changing course: extending the planned end (one proposes, the other agrees or declines;
a manager directly) and pausing for leave (either person or a manager), then resuming."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from journey.models import CheckIn, Extension
from journey.services import course
from journey.services.checkins import open_due_check_ins
from mentorship.models import Action, Mentorship, OutboxEmail
from mentorship.services import end_mentorship
from mentorship.services.errors import InvalidTransition, NotAllowed

pytestmark = pytest.mark.django_db

WEEK = datetime.timedelta(weeks=1)


def url(name, mentorship, *args):
    return reverse(f"journey:{name}", args=[mentorship.pk, *args])


def fresh(mentorship):
    return Mentorship.objects.get(pk=mentorship.pk)


def emailed(kind, person):
    return OutboxEmail.objects.filter(kind=kind, to_email=person.email).exists()


def day(d):
    return d.isoformat()


# --- Extending ---------------------------------------------------------------------------


def test_the_mentee_proposes_an_extension_and_the_mentor_agrees(
    mentee_client, mentor_client, active_mentorship, mentee, mentor
):
    old_end = active_mentorship.planned_end_on
    new_end = old_end + 4 * WEEK
    response = mentee_client.post(
        url("extend", active_mentorship),
        {"new_end_on": day(new_end), "reason": "Shadowing the PCN board until June"},
    )
    assert response.status_code == 302
    extension = Extension.objects.get(mentorship=active_mentorship)
    assert extension.proposed_by == mentee and extension.decided_at is None
    assert fresh(active_mentorship).planned_end_on == old_end  # nothing moves yet
    assert emailed("extension_proposed", mentor) and not emailed("extension_proposed", mentee)
    assert active_mentorship.events.filter(action=Action.EXTENSION_PROPOSED).exists()

    page = mentor_client.get(reverse("mentorship:mentorship_detail", args=[active_mentorship.pk]))
    assert "Agree to extend" in page.content.decode()

    response = mentor_client.post(url("agree_extension", active_mentorship, extension.pk))
    assert response.status_code == 302
    extension.refresh_from_db()
    assert extension.agreed is True and extension.decided_by == mentor
    assert fresh(active_mentorship).planned_end_on == new_end
    assert active_mentorship.events.get(action=Action.EXTENDED).actor == mentor
    assert emailed("mentorship_extended", mentee) and not emailed("mentorship_extended", mentor)


def test_the_other_person_declines_and_the_planned_end_stays(
    mentor_client, active_mentorship, mentee, mentor
):
    old_end = active_mentorship.planned_end_on
    extension = course.propose_extension(
        active_mentorship, by=mentee, new_end_on=old_end + WEEK, reason=""
    )
    response = mentor_client.post(url("decline_extension", active_mentorship, extension.pk))
    assert response.status_code == 302
    extension.refresh_from_db()
    assert extension.agreed is False and extension.decided_by == mentor
    assert fresh(active_mentorship).planned_end_on == old_end
    assert active_mentorship.events.filter(action=Action.EXTENSION_DECLINED).exists()
    assert emailed("extension_declined", mentee)


def test_the_proposer_cannot_agree_to_their_own_proposal(mentee_client, active_mentorship, mentee):
    old_end = active_mentorship.planned_end_on
    extension = course.propose_extension(active_mentorship, by=mentee, new_end_on=old_end + WEEK)
    response = mentee_client.post(url("agree_extension", active_mentorship, extension.pk))
    assert response.status_code == 403
    extension.refresh_from_db()
    assert extension.decided_at is None
    assert fresh(active_mentorship).planned_end_on == old_end


def test_a_manager_cannot_agree_for_the_other_person_but_can_extend_directly(
    manager_client, active_mentorship, mentee, mentor, manager
):
    old_end = active_mentorship.planned_end_on
    extension = course.propose_extension(active_mentorship, by=mentee, new_end_on=old_end + WEEK)
    assert (
        manager_client.post(url("agree_extension", active_mentorship, extension.pk)).status_code
        == 404
    )
    with pytest.raises(NotAllowed):
        course.agree_extension(extension, by=manager)

    response = manager_client.post(
        url("extend", active_mentorship),
        {"new_end_on": day(old_end + 8 * WEEK), "reason": "Exams in May"},
    )
    assert response.status_code == 302
    assert fresh(active_mentorship).planned_end_on == old_end + 8 * WEEK
    assert emailed("mentorship_extended", mentee) and emailed("mentorship_extended", mentor)
    extension.refresh_from_db()
    assert extension.decided_at is not None  # the manager's decision settled the proposal
    assert course.pending_extension(active_mentorship) is None


def test_only_one_proposal_waits_at_a_time(mentor_client, active_mentorship, mentee):
    end = active_mentorship.planned_end_on
    course.propose_extension(active_mentorship, by=mentee, new_end_on=end + WEEK)
    response = mentor_client.post(
        url("extend", active_mentorship), {"new_end_on": day(end + 2 * WEEK)}
    )
    assert response.status_code == 409
    assert "already waiting" in response.content.decode()
    assert Extension.objects.count() == 1


@pytest.mark.parametrize(
    ("weeks", "message"),
    [(0, "must be after"), (-2, "must be after"), (53, "no more than 52 weeks")],
)
def test_a_bad_new_end_date_is_a_form_error_and_nothing_is_saved(
    mentee_client, active_mentorship, weeks, message
):
    end = active_mentorship.planned_end_on
    response = mentee_client.post(
        url("extend", active_mentorship), {"new_end_on": day(end + weeks * WEEK)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Extension.objects.exists()
    assert fresh(active_mentorship).planned_end_on == end
    assert not OutboxEmail.objects.filter(kind="extension_proposed").exists()


def test_a_missing_or_unreal_date_is_a_form_error(mentee_client, active_mentorship):
    for value in ("", "2026-02-30", "next week"):
        response = mentee_client.post(url("extend", active_mentorship), {"new_end_on": value})
        assert response.status_code == 400
    assert not Extension.objects.exists()


def test_the_service_refuses_a_bad_date_too(active_mentorship, mentee):
    with pytest.raises(InvalidTransition):
        course.propose_extension(
            active_mentorship, by=mentee, new_end_on=active_mentorship.planned_end_on
        )
    assert not Extension.objects.exists()


def test_an_ended_mentorship_cannot_be_extended_or_paused(mentee_client, active_mentorship, mentee):
    end_mentorship(active_mentorship, by=mentee, completed=False, reason="Moving abroad")
    end = active_mentorship.planned_end_on
    response = mentee_client.post(url("extend", active_mentorship), {"new_end_on": day(end + WEEK)})
    assert response.status_code == 409
    until = timezone.localdate() + WEEK
    assert (
        mentee_client.post(url("pause", active_mentorship), {"until": day(until)}).status_code
        == 409
    )
    assert not Extension.objects.exists()
    assert fresh(active_mentorship).paused_until is None


@pytest.mark.parametrize(
    "role", ["outsider", "other_manager", "other_mentee", "manager_without_mfa"]
)
def test_anyone_else_gets_404(sign_in, role, active_mentorship, mentee):
    browser = sign_in(role)
    end = active_mentorship.planned_end_on
    extension = course.propose_extension(active_mentorship, by=mentee, new_end_on=end + WEEK)
    until = timezone.localdate() + WEEK
    assert browser.get(url("extend", active_mentorship)).status_code == 404
    assert (
        browser.post(
            url("extend", active_mentorship), {"new_end_on": day(end + 2 * WEEK)}
        ).status_code
        == 404
    )
    assert browser.post(url("agree_extension", active_mentorship, extension.pk)).status_code == 404
    assert (
        browser.post(url("decline_extension", active_mentorship, extension.pk)).status_code == 404
    )
    assert browser.post(url("pause", active_mentorship), {"until": day(until)}).status_code == 404
    assert browser.post(url("resume", active_mentorship)).status_code == 404
    assert fresh(active_mentorship).planned_end_on == end
    assert fresh(active_mentorship).paused_until is None


def test_signed_out_people_are_sent_to_sign_in(client, active_mentorship):
    response = client.get(url("extend", active_mentorship))
    assert response.status_code == 302
    assert "login" in response.url


# --- Pausing -----------------------------------------------------------------------------


def test_the_mentor_pauses_for_leave_and_no_check_in_opens_until_it_ends(
    mentor_client, active_mentorship, mentee, mentor
):
    until = timezone.localdate() + 2 * WEEK
    response = mentor_client.post(
        url("pause", active_mentorship), {"until": day(until), "reason": "Annual leave"}
    )
    assert response.status_code == 302
    paused = fresh(active_mentorship)
    assert paused.paused_until == until and paused.pause_reason == "Annual leave"
    assert paused.is_paused()
    assert active_mentorship.events.get(action=Action.PAUSED).actor == mentor
    assert emailed("mentorship_paused", mentee) and not emailed("mentorship_paused", mentor)

    assert open_due_check_ins() == 0  # "+14" has come, but the mentorship is paused
    assert not CheckIn.objects.exists()
    assert open_due_check_ins(until + datetime.timedelta(days=1)) == 2


def test_resuming_ends_the_pause_and_tells_the_other_person(
    mentee_client, active_mentorship, mentee, mentor
):
    course.pause_mentorship(active_mentorship, by=mentor, until=timezone.localdate() + WEEK)
    page = mentee_client.get(reverse("mentorship:mentorship_detail", args=[active_mentorship.pk]))
    assert "Resume now" in page.content.decode()
    response = mentee_client.post(url("resume", active_mentorship))
    assert response.status_code == 302
    resumed = fresh(active_mentorship)
    assert resumed.paused_until is None and not resumed.is_paused()
    assert active_mentorship.events.get(action=Action.RESUMED).actor == mentee
    assert emailed("mentorship_resumed", mentor) and not emailed("mentorship_resumed", mentee)
    assert open_due_check_ins() == 2


def test_resuming_a_mentorship_that_is_not_paused_is_refused(mentee_client, active_mentorship):
    response = mentee_client.post(url("resume", active_mentorship))
    assert response.status_code == 409
    assert not active_mentorship.events.filter(action=Action.RESUMED).exists()


def test_a_manager_pauses_and_both_people_are_told(
    manager_client, active_mentorship, mentee, mentor
):
    until = timezone.localdate() + 12 * WEEK
    response = manager_client.post(url("pause", active_mentorship), {"until": day(until)})
    assert response.status_code == 302
    assert fresh(active_mentorship).paused_until == until
    assert emailed("mentorship_paused", mentee) and emailed("mentorship_paused", mentor)


def test_pausing_again_changes_the_date_and_says_so_again(active_mentorship, mentee, mentor):
    today = timezone.localdate()
    course.pause_mentorship(active_mentorship, by=mentee, until=today + WEEK)
    course.pause_mentorship(active_mentorship, by=mentee, until=today + 3 * WEEK)
    assert fresh(active_mentorship).paused_until == today + 3 * WEEK
    assert OutboxEmail.objects.filter(kind="mentorship_paused", to_email=mentor.email).count() == 2


@pytest.mark.parametrize(
    ("days", "message"),
    [(0, "must be in the future"), (-3, "must be in the future"), (85, "up to 12 weeks")],
)
def test_a_bad_pause_date_is_a_form_error_and_nothing_is_saved(
    mentee_client, active_mentorship, days, message
):
    until = timezone.localdate() + datetime.timedelta(days=days)
    response = mentee_client.post(url("pause", active_mentorship), {"until": day(until)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert fresh(active_mentorship).paused_until is None
    assert not active_mentorship.events.filter(action=Action.PAUSED).exists()
    assert not OutboxEmail.objects.filter(kind="mentorship_paused").exists()


def test_the_pages_render_for_both_people_and_the_team(
    mentee_client, manager_client, active_mentorship
):
    for browser in (mentee_client, manager_client):
        for name in ("extend", "pause"):
            response = browser.get(url(name, active_mentorship))
            assert response.status_code == 200
            assert "novalidate" in response.content.decode()
        page = browser.get(reverse("mentorship:mentorship_detail", args=[active_mentorship.pk]))
        content = page.content.decode()
        assert 'id="course"' in content
        assert "Extend the planned end" in content and "Pause for leave" in content
