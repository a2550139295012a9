"""Approve all with a real worker that is killed with SIGKILL in the middle of a batch: the
half-done batch is rolled back, and a new worker carries on from the last saved batch until
every proposal is approved exactly once."""

from __future__ import annotations

import os
import signal

import pytest

from matching import runs
from matching.models import BulkApproval, MatchProposal
from mentorship.models import MentorRequest
from tests.integration.fixtures import wait_until
from tests.matching.test_match_runs_execute import build_cohort

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.celery_worker]

FAST_CHECKS = {
    "MATCH_RUN_HEARTBEAT_SECONDS": "1",
    "MATCH_RUN_WORKER_GONE_SECONDS": "5",
    "MATCH_RUN_CHECK_SECONDS": "1",
    "BULK_APPROVAL_BATCH_SIZE": "2",
}


def test_approve_all_survives_its_worker_being_killed_and_approves_each_proposal_once(
    workers, programme, manager, settings
):
    settings.MATCH_RUN_WORKER_GONE_SECONDS = 5
    build_cohort(programme)
    first = workers.start(
        include=("tests.integration.slow_tasks",), SLOW_APPROVAL_SECONDS="1.5", **FAST_CHECKS
    )
    run = runs.start_match_run(programme, by=manager, method="optimal")
    assert wait_until(lambda: run.proposals.exists(), timeout=60), workers.log()
    run.refresh_from_db()
    assert run.matched_count == 7

    job, started = runs.start_bulk_approval(run, by=manager)
    assert started and job.total == 7

    def saved(count: int):
        return lambda: BulkApproval.objects.get(pk=job.pk).approved_count >= count

    assert wait_until(saved(2), timeout=60), workers.log()
    job.refresh_from_db()
    progress_seen = job.progress
    os.kill(first.process.pid, signal.SIGKILL)  # now inside the second batch's transaction
    first.process.wait(10)

    job.refresh_from_db()
    assert (job.status, job.approved_count) == ("running", 2)
    assert progress_seen == "Approving proposals: 2 of 7 proposals approved."
    # Only the first batch is kept: the half-done second one was rolled back with the kill.
    assert run.proposals.filter(status=MatchProposal.Status.APPROVED).count() == 2
    assert MentorRequest.objects.filter(manager_approved_at__isnull=False).count() == 1 + 2

    workers.start(beat=True, **FAST_CHECKS)

    assert wait_until(
        lambda: BulkApproval.objects.get(pk=job.pk).status == BulkApproval.Status.FINISHED,
        timeout=90,
    ), workers.log()
    job.refresh_from_db()
    assert (job.approved_count, job.failed_count, job.restarts) == (7, 0, 1)
    assert job.progress == "Finished: 7 of 7 proposals approved."
    matched = run.proposals.filter(mentor__isnull=False)
    assert set(matched.values_list("status", flat=True)) == {MatchProposal.Status.APPROVED}
    approved_requests = MentorRequest.objects.filter(
        programme=programme, mentee__in=matched.values("mentee"), manager_approved_at__isnull=False
    )
    assert approved_requests.count() == 7  # one each, none twice
    assert BulkApproval.objects.count() == 1
