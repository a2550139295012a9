"""Capacity under concurrency, on PostgreSQL: approvals lock the mentor's row."""

import threading

import pytest
from django.db import connections

from mentorship import services
from mentorship.models import MentorRequest, Mentorship
from tests.factories import MenteeMembershipFactory, MenteeProfileFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

APPROVALS = 12


def test_twelve_simultaneous_approvals_never_put_a_mentor_over_two_places(
    mentor, manager, programme
):
    requests = []
    for _ in range(APPROVALS):
        mentee = MenteeProfileFactory().user
        MenteeMembershipFactory(programme=programme, user=mentee)
        mentor_request = services.request_mentor(mentee, mentor, programme)
        requests.append(services.accept_request(mentor_request, by=mentor))
    assert mentor.mentor_profile.capacity == 2

    start = threading.Barrier(APPROVALS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def approve(mentor_request: MentorRequest) -> None:
        try:
            start.wait()  # every thread calls the service at the same moment
            services.approve_request(mentor_request, by=manager)
            outcome = "approved"
        except services.NoFreePlace as error:
            outcome = f"no free place: {error.message}"
        finally:
            connections.close_all()  # each thread had its own connection
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=approve, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == APPROVALS
    assert outcomes.count("approved") == 2
    refused = [o for o in outcomes if o.startswith("no free place")]
    assert len(refused) == APPROVALS - 2
    assert all("has no free place: all 2 are taken" in o for o in refused)
    assert Mentorship.objects.filter(mentor=mentor, status="active").count() == 2
    assert MentorRequest.objects.filter(status="approved").count() == 2
    assert MentorRequest.objects.filter(status="accepted").count() == APPROVALS - 2
