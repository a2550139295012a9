"""A match run whose worker is killed with SIGKILL mid-run: the heartbeat stops, the run is
marked failed within the "worker gone" time (shortened here to 5 seconds; 2 minutes in
production) with nothing saved, it no longer blocks a new run, and running it again works."""

from __future__ import annotations

import os
import signal

import pytest

from matching import runs
from matching.models import MatchProposal, MatchRun
from matching.runs.recovery import WORKER_GONE
from tests.integration.fixtures import wait_until
from tests.matching.test_match_runs_execute import build_cohort

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.celery_worker]

FAST_CHECKS = {
    "MATCH_RUN_HEARTBEAT_SECONDS": "1",
    "MATCH_RUN_WORKER_GONE_SECONDS": "5",
    "MATCH_RUN_CHECK_SECONDS": "1",
}


def test_a_run_whose_worker_is_killed_is_marked_failed_and_can_run_again(
    workers, programme, manager, settings
):
    settings.MATCH_RUN_WORKER_GONE_SECONDS = 5
    build_cohort(programme)
    doomed = workers.start(
        include=("tests.integration.slow_tasks",), SLOW_MATCH_RUN_SECONDS="120", **FAST_CHECKS
    )

    run = runs.start_match_run(programme, by=manager, method="optimal")

    def assigning() -> bool:
        run.refresh_from_db()
        return run.status == MatchRun.Status.RUNNING and run.progress.startswith("Scoring")

    assert wait_until(assigning, timeout=60), workers.log()
    first_beat = run.heartbeat_at
    assert wait_until(lambda: assigning() and run.heartbeat_at > first_beat, timeout=10), (
        "the heartbeat did not move while the engine worked:\n" + workers.log()
    )
    os.kill(doomed.process.pid, signal.SIGKILL)
    doomed.process.wait(10)
    killed_at_beat = MatchRun.objects.get(pk=run.pk).heartbeat_at

    # A new worker (with beat) gets the unacknowledged task back, and beat checks the runs.
    workers.start(beat=True, **FAST_CHECKS)

    def failed() -> bool:
        run.refresh_from_db()
        return run.status == MatchRun.Status.FAILED

    assert wait_until(failed, timeout=60), workers.log()
    assert run.progress == WORKER_GONE
    assert run.heartbeat_at == killed_at_beat  # nobody beat for it after the kill
    assert (run.finished_at - killed_at_beat).total_seconds() < 30
    assert not MatchProposal.objects.filter(run=run).exists()
    assert not MatchRun.objects.in_progress().exists()

    again = runs.start_match_run(programme, by=manager, method="optimal")

    assert wait_until(
        lambda: MatchRun.objects.get(pk=again.pk).status == MatchRun.Status.FINISHED, timeout=60
    ), workers.log()
    again.refresh_from_db()
    assert again.matched_count == 7
    assert again.proposals.count() == again.mentee_count
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED  # the redelivered task did not revive it
    assert not MatchProposal.objects.filter(run=run).exists()
