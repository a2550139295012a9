"""Ending on PostgreSQL with real parallel connections: the mentorship row lock means two
people acting at once change it once, and the loser gets a plain refusal, never a 500."""

from __future__ import annotations

import pytest

from mentorship import services
from mentorship.models import Action, Mentorship, OutboxEmail
from tests.factories import new_mentorship
from tests.integration.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
Status = Mentorship.Status


@pytest.fixture
def proposed(mentee, mentor, programme, manager):
    """Five weeks in; the mentee has asked to mark it as complete."""
    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=5)
    return services.propose_completion(mentorship, by=mentee)


def test_two_confirmations_at_once_complete_it_once(proposed, mentor, manager):
    for _ in range(3):  # a few rounds: the race must never be won twice
        Mentorship.objects.filter(pk=proposed.pk).update(status=Status.ACTIVE, ended_on=None)
        proposed.events.filter(action=Action.COMPLETED).delete()
        OutboxEmail.objects.filter(kind__in=["mentorship_completed", "mentorship_ended"]).delete()

        outcomes = run_together(
            [
                lambda: services.confirm_completion(proposed, by=mentor),
                lambda: services.confirm_completion(proposed, by=manager),
                lambda: services.confirm_completion(proposed, by=mentor),  # a double click
            ]
        )

        assert sorted(outcomes) == ["InvalidTransition", "InvalidTransition", "ok"], outcomes
        assert Mentorship.objects.get(pk=proposed.pk).status == Status.COMPLETED
        assert proposed.events.filter(action=Action.COMPLETED).count() == 1
        assert OutboxEmail.objects.filter(kind="mentorship_completed").count() == 2


def test_completing_and_ending_early_at_once_do_one_of_them(proposed, mentor, mentee):
    outcomes = run_together(
        [
            lambda: services.confirm_completion(proposed, by=mentor),
            lambda: services.end_as_not_a_good_fit(proposed, by=mentee, reason="Changed my mind"),
        ]
    )

    assert sorted(outcomes) == ["InvalidTransition", "ok"], outcomes
    ended = Mentorship.objects.get(pk=proposed.pk)
    done = ended.events.filter(action__in=[Action.COMPLETED, Action.NOT_A_GOOD_FIT])
    assert done.count() == 1
    assert ended.status in (Status.COMPLETED, Status.ENDED_EARLY)
