"""Executing a run in its Celery task: claim it, then load, assign and save.

Each step is its own module (load.py, assign.py, save.py). While they run, a heartbeat
thread records that the worker is alive (heartbeat.py); a run whose heartbeat stops is
marked failed (recovery.py). Any error fails the run with a plain message; the proposals are
all saved or none are.
"""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.utils import timezone

from ..engine import Weights
from ..models import MatchRun
from .assign import assign_mentors
from .heartbeat import Heartbeat
from .load import load_cohort
from .recovery import fail_abandoned_runs
from .save import build_proposals, save_proposals

log = logging.getLogger(__name__)


def _claim(run_id: int) -> MatchRun | None:
    """Mark a queued run as running. None if it is not this task's to run: finished, failed,
    already running in another worker (a task delivered twice), or abandoned (then it is
    marked failed: a redelivered task never restarts a run whose worker died, in case the
    run itself is what killed it)."""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().select_related("programme").get(pk=run_id)
        if run.status != MatchRun.Status.QUEUED:
            fail_abandoned_runs(pk=run_id)
            return None
        if not MatchRun.objects.in_progress().filter(pk=run_id).exists():
            fail_abandoned_runs(pk=run_id)  # queued so long that a new run may have started
            return None
        run.status = MatchRun.Status.RUNNING
        run.started_at = run.heartbeat_at = timezone.now()
        run.progress = "Loading mentees and mentors."
        run.save(update_fields=["status", "started_at", "heartbeat_at", "progress"])
        return run


def _progress(run: MatchRun, message: str) -> None:
    """Say what the run is doing (the page polls it); a step change is a heartbeat too."""
    run.progress = message
    run.heartbeat_at = timezone.now()
    MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.RUNNING).update(
        progress=run.progress, heartbeat_at=run.heartbeat_at
    )


def execute_match_run(run_id: int) -> MatchRun:
    """Load, score and assign, then save every proposal at once. Any error fails the run
    with a plain message; the proposals are all saved or none are."""
    run = _claim(run_id)
    if run is None:
        return MatchRun.objects.get(pk=run_id)
    try:
        with Heartbeat(MatchRun, run.pk, status=MatchRun.Status.RUNNING):
            _execute(run)
    except Exception as exc:
        log.exception("Match run %s failed", run_id)
        MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.RUNNING).update(
            status=MatchRun.Status.FAILED,
            progress="Matching stopped because of an unexpected error. Nothing has been "
            "proposed. Try again; if it happens again, contact your site administrator.",
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


def _execute(run: MatchRun) -> None:
    clock = time.perf_counter()
    cohort = load_cohort(run.programme)
    run.load_seconds = time.perf_counter() - clock
    free = cohort.free_mentors
    run.mentee_count = len(cohort.users)
    run.mentor_count = len(free)
    run.place_count = sum(m.capacity for m in free)
    _progress(
        run,
        f"Scoring and assigning {len(cohort.mentees)} mentees to {run.mentor_count} mentors "
        f"with {run.place_count} free places.",
    )

    clock = time.perf_counter()
    assignment = assign_mentors(cohort, Weights(**run.weights), run.method)
    run.assign_seconds = time.perf_counter() - clock

    _progress(run, "Saving the proposals.")
    clock = time.perf_counter()
    if not save_proposals(run, build_proposals(run, cohort, assignment), started=clock):
        log.warning("Match run %s was marked failed while it ran; nothing was saved", run.pk)
