"""When the worker running a match run dies: the run's heartbeat stops, and within about two
minutes the run is marked failed with a plain message and a "Run again" button, so it stops
blocking a new run. Nothing half-written: a run marked failed saves no proposals.

Time is moved by passing `now` to the checks, or by moving a run's timestamps back.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matching import runs
from matching.models import MatchProposal, MatchRun
from matching.runs import assign as assign_step
from matching.runs.heartbeat import Heartbeat
from matching.runs.recovery import NEVER_STARTED, WORKER_GONE
from matching.tasks import check_match_runs
from mentorship.services import InvalidTransition
from tests.factories import ProgrammeFactory
from tests.matching.test_match_runs_execute import build_cohort

pytestmark = pytest.mark.django_db


def _run(programme, *, status=MatchRun.Status.RUNNING, beat_ago=None, method="optimal"):
    """A run in `status`; its last heartbeat `beat_ago` (a timedelta) before now."""
    now = timezone.now()
    return MatchRun.objects.create(
        programme=programme,
        method=method,
        weights=programme.matching_weights().as_dict(),
        status=status,
        progress="Scoring and assigning 11 mentees to 5 mentors with 7 free places.",
        started_at=None if status == MatchRun.Status.QUEUED else now - timedelta(minutes=5),
        heartbeat_at=None if beat_ago is None else now - beat_ago,
    )


def test_a_running_run_is_in_progress_until_two_minutes_pass_without_a_heartbeat(programme):
    run = _run(programme, beat_ago=timedelta(0))
    beat = run.heartbeat_at

    def state(after: timedelta) -> tuple[bool, bool]:
        now = beat + after
        return (
            MatchRun.objects.in_progress(now).filter(pk=run.pk).exists(),
            MatchRun.objects.abandoned(now).filter(pk=run.pk).exists(),
        )

    assert state(timedelta(seconds=119)) == (True, False)
    assert state(timedelta(seconds=121)) == (False, True)
    # It was started an hour ago: only the heartbeat counts, not how long it has run.
    MatchRun.objects.filter(pk=run.pk).update(created_at=beat - timedelta(hours=1))
    assert state(timedelta(seconds=60)) == (True, False)


def test_a_queued_run_waits_ten_minutes_for_a_worker(programme):
    run = _run(programme, status=MatchRun.Status.QUEUED)

    in_progress = MatchRun.objects.in_progress
    assert in_progress(run.created_at + timedelta(minutes=9)).filter(pk=run.pk).exists()
    assert not in_progress(run.created_at + timedelta(minutes=11)).filter(pk=run.pk).exists()


def test_the_periodic_check_fails_a_run_with_no_heartbeat_for_two_minutes_and_leaves_live_ones(
    programme,
):
    dead = _run(programme, beat_ago=timedelta(minutes=2, seconds=5))
    alive = _run(ProgrammeFactory(slug="alive"), beat_ago=timedelta(seconds=30))

    assert check_match_runs.delay().get() == 1

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == MatchRun.Status.FAILED
    assert dead.progress == WORKER_GONE
    assert "No heartbeat from its worker" in dead.error
    assert dead.finished_at is not None
    assert alive.status == MatchRun.Status.RUNNING
    assert alive.finished_at is None
    assert not MatchProposal.objects.exists()


def test_a_run_never_started_within_ten_minutes_fails_and_a_late_worker_leaves_it_alone(
    programme, manager
):
    build_cohort(programme)
    run = _run(programme, status=MatchRun.Status.QUEUED)
    MatchRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=11))

    assert runs.fail_abandoned_runs() == 1
    run = runs.execute_match_run(run.pk)  # the queue delivers it after all

    assert run.status == MatchRun.Status.FAILED
    assert run.progress == NEVER_STARTED.format(minutes=10)
    assert not run.proposals.exists()


def test_the_run_page_shows_a_dead_run_as_failed_with_a_run_again_button(manager_client, programme):
    run = _run(programme, beat_ago=timedelta(minutes=3), method="stable")

    response = manager_client.get(reverse("matching:run", args=[programme.slug, run.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Matching did not finish" in page
    assert "stopped responding" in page
    assert 'name="method" value="stable"' in page
    assert ">Run again</button>" in page
    assert "Refresh the page" not in page
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED


def test_the_status_json_reports_a_dead_run_as_done_so_the_page_stops_waiting(
    manager_client, programme
):
    run = _run(programme, beat_ago=timedelta(minutes=3))

    data = manager_client.get(reverse("matching:status", args=[programme.slug, run.pk])).json()

    assert data["status"] == "failed"
    assert data["done"] is True
    assert data["progress"] == WORKER_GONE
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.FAILED


def test_run_again_starts_a_new_run_with_the_same_method(
    manager_client, programme, manager, django_capture_on_commit_callbacks
):
    build_cohort(programme)
    dead = _run(programme, beat_ago=timedelta(minutes=3), method="stable")

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("matching:start", args=[programme.slug]), {"method": "stable"}
        )

    new = MatchRun.objects.exclude(pk=dead.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:run", args=[programme.slug, new.pk])
    assert (new.method, new.status, new.created_by) == ("stable", "finished", manager)
    assert new.proposals.count() == new.mentee_count
    dead.refresh_from_db()
    assert dead.status == MatchRun.Status.FAILED
    assert not dead.proposals.exists()


def test_a_live_run_still_blocks_a_new_one_but_a_dead_one_does_not(programme, manager):
    live = _run(programme, beat_ago=timedelta(seconds=90))
    with pytest.raises(InvalidTransition, match="already running"):
        runs.start_match_run(programme, by=manager, method="optimal")
    MatchRun.objects.filter(pk=live.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=3))

    new = runs.start_match_run(programme, by=manager, method="optimal")

    assert new.status == MatchRun.Status.QUEUED
    assert MatchRun.objects.get(pk=live.pk).status == MatchRun.Status.FAILED
    assert list(MatchRun.objects.in_progress()) == [new]


def test_a_redelivered_task_while_the_worker_is_alive_changes_nothing(programme):
    build_cohort(programme)
    run = _run(programme, beat_ago=timedelta(seconds=10))

    again = runs.execute_match_run(run.pk)

    assert again.status == MatchRun.Status.RUNNING
    assert again.heartbeat_at == run.heartbeat_at
    assert again.progress == run.progress
    assert not again.proposals.exists()


def test_a_redelivered_task_for_a_dead_run_marks_it_failed_and_runs_nothing(programme):
    build_cohort(programme)
    run = _run(programme, beat_ago=timedelta(minutes=3))

    again = runs.execute_match_run(run.pk)

    assert again.status == MatchRun.Status.FAILED
    assert again.progress == WORKER_GONE
    assert not again.proposals.exists()


def test_a_run_marked_failed_while_it_was_assigning_saves_nothing(programme, monkeypatch):
    build_cohort(programme)
    run = _run(programme, status=MatchRun.Status.QUEUED)
    real = assign_step.assign_mentors

    def slow_worker(*args, **kwargs):
        # Three minutes pass without a heartbeat and the periodic check runs meanwhile.
        runs.fail_abandoned_runs(now=timezone.now() + timedelta(minutes=3))
        return real(*args, **kwargs)

    monkeypatch.setattr("matching.runs.execute.assign_mentors", slow_worker)

    run = runs.execute_match_run(run.pk)

    assert run.status == MatchRun.Status.FAILED
    assert run.progress == WORKER_GONE
    assert not run.proposals.exists()
    assert run.matched_count == 0


def test_each_step_of_a_run_records_a_heartbeat(programme, monkeypatch):
    build_cohort(programme)
    run = _run(programme, status=MatchRun.Status.QUEUED)
    seen = {}
    real = assign_step.assign_mentors

    def watch(*args, **kwargs):
        seen["during"] = MatchRun.objects.values("heartbeat_at", "progress").get(pk=run.pk)
        return real(*args, **kwargs)

    monkeypatch.setattr("matching.runs.execute.assign_mentors", watch)

    run = runs.execute_match_run(run.pk)

    assert run.status == MatchRun.Status.FINISHED
    assert seen["during"]["progress"].startswith("Scoring and assigning")
    assert run.started_at <= seen["during"]["heartbeat_at"] <= run.finished_at
    assert run.heartbeat_at == run.finished_at


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_beats_while_a_long_step_runs_and_stops_after(programme, settings):
    settings.MATCH_RUN_HEARTBEAT_SECONDS = 1
    run = _run(programme, beat_ago=timedelta(minutes=5))
    finished = _run(ProgrammeFactory(slug="done"), status=MatchRun.Status.FINISHED)
    finished_beat = finished.heartbeat_at

    with Heartbeat(MatchRun, run.pk, status=MatchRun.Status.RUNNING) as heartbeat:
        time.sleep(2.5)  # a long step, such as the engine's solver
    run.refresh_from_db()
    last = run.heartbeat_at

    assert timezone.now() - last < timedelta(seconds=3)
    assert not heartbeat._thread.is_alive()
    time.sleep(1.5)
    run.refresh_from_db()
    assert run.heartbeat_at == last  # no beat once the step is over
    with Heartbeat(MatchRun, finished.pk, status=MatchRun.Status.RUNNING):
        time.sleep(1.5)
    finished.refresh_from_db()
    assert finished.heartbeat_at == finished_beat  # a run that is not running is left alone
