"""The programme team marks a check-in alert as dealt with: once, only for an alerting
answer, only by the team; it leaves "needs attention" and is logged for the team only."""

import pytest
from django.urls import reverse

from journey.models import CheckIn
from journey.services.checkins import answer_check_in, mark_check_in_handled, open_due_check_ins
from mentorship import attention
from mentorship.models import Action
from mentorship.services import InvalidTransition, NotAllowed
from tests.factories import new_mentorship

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentorship(mentee, mentor, programme, manager):
    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=3)
    open_due_check_ins()
    return mentorship


def answered(mentorship, person, *, score=2, not_a_good_fit=False):
    check_in = CheckIn.objects.get(mentorship=mentorship, person=person)
    return answer_check_in(
        check_in, by=person, score=score, meeting_as_agreed="no", not_a_good_fit=not_a_good_fit
    )


def attention_kinds(programme):
    return [row.kind for row in attention.block([programme])["attention"]]


def test_the_manager_marks_a_low_check_in_dealt_with_from_the_answers_page(
    mentorship, mentee, manager, manager_client, programme
):
    check_in = answered(mentorship, mentee, score=1)
    assert attention.Kind.CHECK_IN in attention_kinds(programme)
    url = reverse("journey:check_in_handled", args=[mentorship.pk, check_in.pk])

    page = manager_client.get(reverse("journey:check_in_answers", args=[mentorship.pk]))
    assert url in page.content.decode()
    response = manager_client.post(url, {"note": "Called both; fortnightly from now on."})

    assert response.status_code == 302
    check_in.refresh_from_db()
    assert check_in.handled_by == manager and check_in.handled_at is not None
    assert check_in.handled_note == "Called both; fortnightly from now on."
    assert attention.Kind.CHECK_IN not in attention_kinds(programme)
    event = mentorship.events.get(action=Action.CHECK_IN_HANDLED)
    assert event.actor == manager and event.programme_team_only
    assert not mentorship.events.shared().filter(action=Action.CHECK_IN_HANDLED).exists()


def test_it_is_marked_once(mentorship, mentee, manager):
    check_in = answered(mentorship, mentee, not_a_good_fit=True, score=4)
    mark_check_in_handled(check_in, by=manager)

    with pytest.raises(InvalidTransition):
        mark_check_in_handled(check_in, by=manager)
    assert mentorship.events.filter(action=Action.CHECK_IN_HANDLED).count() == 1


def test_a_good_answer_has_nothing_to_deal_with(mentorship, mentee, manager):
    check_in = answered(mentorship, mentee, score=5)

    with pytest.raises(InvalidTransition):
        mark_check_in_handled(check_in, by=manager)
    check_in.refresh_from_db()
    assert check_in.handled_at is None


@pytest.mark.parametrize("role", ["mentee", "mentor", "other_manager", "outsider"])
def test_nobody_outside_the_team_marks_it(role, request, mentorship, mentee, sign_in):
    check_in = answered(mentorship, mentee, score=1)
    person = request.getfixturevalue(role)
    with pytest.raises(NotAllowed):
        mark_check_in_handled(check_in, by=person)

    url = reverse("journey:check_in_handled", args=[mentorship.pk, check_in.pk])
    response = sign_in(role).post(url, {"note": "x"})
    assert response.status_code == 404
    check_in.refresh_from_db()
    assert check_in.handled_at is None


def test_a_too_long_note_is_refused_with_a_message(mentorship, mentee, manager_client):
    check_in = answered(mentorship, mentee, score=1)
    url = reverse("journey:check_in_handled", args=[mentorship.pk, check_in.pk])

    response = manager_client.post(url, {"note": "x" * 1001})

    assert response.status_code == 400
    assert "1000 characters or fewer" in response.content.decode()
    check_in.refresh_from_db()
    assert check_in.handled_at is None
