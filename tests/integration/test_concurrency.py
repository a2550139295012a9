"""Concurrency on PostgreSQL with real parallel connections: the lock order in
mentorship/services/locking.py holds, nobody sees a deadlock, no limit is passed."""

from __future__ import annotations

import threading
from collections.abc import Callable
from itertools import product

import pytest
from django.db import connections

from mentorship import services
from mentorship.models import MentorProfile, MentorRequest, Mentorship
from tests.factories import (
    MenteeMembershipFactory,
    MenteeProfileFactory,
    MentorMembershipFactory,
    MentorProfileFactory,
    ProgrammeFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(calls: list[Callable[[], object]]) -> list[str]:
    """Run each call in its own thread and connection, all at the same moment; return
    "ok", the domain error's class name, or "crash: ..." for anything else (a 500)."""
    start = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait()
            call()
            outcome = "ok"
        except services.ServiceError as error:
            outcome = type(error).__name__
        except Exception as error:  # a deadlock or anything else a person would see as 500
            outcome = f"crash: {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == len(calls), "a call did not finish"
    return outcomes


def mentees(programme, count: int):
    users = [MenteeProfileFactory().user for _ in range(count)]
    for user in users:
        MenteeMembershipFactory(programme=programme, user=user)
    return users


def mentors(programme, count: int, capacity: int):
    users = [MentorProfileFactory(capacity=capacity).user for _ in range(count)]
    for user in users:
        MentorMembershipFactory(programme=programme, user=user)
    return users


def test_concurrent_approvals_over_overlapping_mentees_and_mentors_give_one_mentorship_each(
    programme, manager
):
    programme.max_open_requests = 3
    programme.save()
    people = mentees(programme, 10)
    guides = mentors(programme, 6, capacity=5)
    accepted = []
    for i, mentee in enumerate(people):
        for k in range(3):  # three different mentors each, overlapping between mentees
            mentor = guides[(i + 2 * k) % len(guides)]
            mentor_request = services.request_mentor(mentee, mentor, programme)
            accepted.append(services.accept_request(mentor_request, by=mentor))

    outcomes = run_together([lambda r=r: services.approve_request(r, by=manager) for r in accepted])

    assert not [o for o in outcomes if o.startswith("crash")], outcomes
    assert outcomes.count("ok") == len(people)
    for mentee in people:
        assert Mentorship.objects.active().filter(mentee=mentee).count() == 1
    for row in MentorProfile.objects.filter(user__in=guides).with_free_places():
        assert row.active_mentees <= row.capacity
    assert not MentorRequest.objects.open().exists()  # the others closed when matched


def test_one_mentor_in_two_programmes_cannot_accept_more_than_their_places_at_once():
    """The mentor's row lock is what serialises this: the two requests are in different
    programmes, from different mentees, so nothing else orders them."""
    first, second = ProgrammeFactory(), ProgrammeFactory()
    rounds = 6
    for _ in range(rounds):
        mentor = MentorProfileFactory(capacity=1).user
        pending = []
        for programme in (first, second):
            MentorMembershipFactory(programme=programme, user=mentor)
            [mentee] = mentees(programme, 1)
            pending.append(services.request_mentor(mentee, mentor, programme))

        outcomes = run_together(
            [lambda r=r, m=mentor: services.accept_request(r, by=m) for r in pending]
        )

        assert sorted(outcomes) == ["NoFreePlace", "ok"], outcomes
        assert MentorRequest.objects.holding_places().filter(mentor=mentor).count() == 1


def test_concurrent_approvals_for_one_mentor_in_two_programmes_never_overbook(manager):
    """Approvals in two programmes for one mentor whose places were lowered behind the
    services' back: only the mentor's row lock keeps the count right."""
    first, second = ProgrammeFactory(), ProgrammeFactory()
    first.managers.add(manager)
    second.managers.add(manager)
    mentor = MentorProfileFactory(capacity=2).user
    held = []
    for programme in (first, second):
        MentorMembershipFactory(programme=programme, user=mentor)
        [mentee] = mentees(programme, 1)
        mentor_request = services.request_mentor(mentee, mentor, programme)
        held.append(services.accept_request(mentor_request, by=mentor))
    MentorProfile.objects.filter(user=mentor).update(capacity=1)

    outcomes = run_together([lambda r=r: services.approve_request(r, by=manager) for r in held])

    assert sorted(outcomes) == ["NoFreePlace", "ok"], outcomes
    assert Mentorship.objects.active().filter(mentor=mentor).count() == 1


def test_concurrent_asks_by_one_mentee_never_pass_the_open_request_limit(programme):
    programme.max_open_requests = 3
    programme.save()
    people = mentees(programme, 5)
    guides = mentors(programme, 8, capacity=10)

    outcomes = run_together(
        [
            lambda mentee=mentee, mentor=mentor: services.request_mentor(mentee, mentor, programme)
            for mentee, mentor in product(people, guides)
        ]
    )

    assert not [o for o in outcomes if o.startswith("crash")], outcomes
    assert outcomes.count("ok") == 3 * len(people)
    for mentee in people:
        assert MentorRequest.objects.open().filter(mentee=mentee).count() == 3
