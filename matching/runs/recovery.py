"""When a worker dies mid-run: a run with no heartbeat for about two minutes (or queued and
never started) is marked failed with a plain message, so it stops blocking a new run and the
manager can run it again. Beat checks every minute; the run's pages check when read."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from ..models import START_WITHIN, MatchRun, worker_gone_after

WORKER_GONE = (
    "Matching stopped because the computer running it stopped responding. Nothing has been "
    "proposed. Run matching again; if it happens again, contact your site administrator."
)
NEVER_STARTED = (
    "Matching did not start: no computer was free to run it within {minutes} minutes. Nothing "
    "has been proposed. Run matching again; if it happens again, contact your site "
    "administrator."
)


def fail_abandoned_runs(
    now: datetime | None = None, *, programme_id: int | None = None, pk: int | None = None
) -> int:
    """Mark every abandoned run failed (or only the programme's, or only one). Returns how
    many. One UPDATE per kind, so a run saving right now either commits first (and is no
    longer running) or sees that it was marked failed and saves nothing."""
    now = now or timezone.now()
    runs = MatchRun.objects.abandoned(now)
    if programme_id is not None:
        runs = runs.filter(programme_id=programme_id)
    if pk is not None:
        runs = runs.filter(pk=pk)
    gone = runs.filter(status=MatchRun.Status.RUNNING).update(
        status=MatchRun.Status.FAILED,
        progress=WORKER_GONE,
        error=f"No heartbeat from its worker for {worker_gone_after()} (checked at {now}).",
        finished_at=now,
    )
    queued = runs.filter(status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.FAILED,
        progress=NEVER_STARTED.format(minutes=int(START_WITHIN.total_seconds() // 60)),
        error=f"Still queued after {START_WITHIN} (checked at {now}).",
        finished_at=now,
    )
    return gone + queued
