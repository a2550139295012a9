"""Starting a run: one at a time per programme, handed to a Celery worker after commit."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import may_manage_programme
from mentorship.models import Programme
from mentorship.services import InvalidTransition, NotAllowed

from ..models import MatchRun
from .errors import BadInput
from .recovery import fail_abandoned_runs

log = logging.getLogger(__name__)

METHODS = tuple(MatchRun.Method.values)


@transaction.atomic
def start_match_run(programme: Programme, *, by: User, method: str) -> MatchRun:
    """A manager of the programme starts one run at a time; it runs in a Celery task."""
    if method not in METHODS:
        raise BadInput(f"Choose how to match: {' or '.join(METHODS)}.")
    if not may_manage_programme(by, programme):
        raise NotAllowed("Only this programme's managers can run matching.")
    # Lock the programme so two clicks cannot start two runs side by side.
    Programme.objects.select_for_update().get(pk=programme.pk)
    fail_abandoned_runs(programme_id=programme.pk)  # a dead worker's run no longer blocks
    if MatchRun.objects.in_progress().filter(programme=programme).exists():
        raise InvalidTransition(
            "Matching is already running for this programme. Wait for it to finish."
        )
    run = MatchRun.objects.create(
        programme=programme,
        created_by=by,
        method=method,
        weights=programme.matching_weights().as_dict(),
        progress="Waiting for a worker to start matching.",
    )
    transaction.on_commit(lambda: enqueue_match_run(run.pk))
    return run


def enqueue_match_run(run_id: int) -> None:
    """Hand the run to Celery. If the broker cannot be reached, the run fails with a plain
    message rather than waiting forever (running a large cohort inside a web request could
    time out, so it is never run inline)."""
    from ..tasks import execute_match_run_task

    try:
        execute_match_run_task.delay(run_id)
    except Exception as exc:
        log.exception("Could not queue match run %s", run_id)
        MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).update(
            status=MatchRun.Status.FAILED,
            progress="Matching could not start because the task queue is not available. "
            "Nothing has been changed. Try again in a few minutes.",
            error=f"Queueing failed: {type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
