"""Approving many proposals in the background ("Approve all" on a run of thousands).

One web request cannot approve 15,000 proposals, so the manager's click only records a
BulkApproval and queues a Celery task. The task approves a batch at a time, each batch its
own transaction that also adds to the counts the run's page shows, so progress is real and a
crash loses at most the batch in hand, which is then done again.

Safe to repeat:
- a second click while one is open returns the same one (the database allows one open
  BulkApproval per run), and queues it again only if its worker is gone;
- each batch locks the BulkApproval row and checks the worker's claim on it, so two
  workers never approve side by side;
- a proposal is approved once: a batch takes only proposals still approvable that this
  BulkApproval has not tried, and propose_match refuses a second open request anyway;
- after about a minute a task hands over to a fresh one (Celery's time limits stay far off),
  and a task delivered again after its worker died carries on where the last batch ended.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Case, F, When
from django.utils import timezone

from accounts.models import User
from accounts.permissions import may_manage_programme
from mentorship.services import InvalidTransition, ServiceError
from mentorship.services.locking import atomic_with_retry

from ..models import BulkApproval, MatchProposal, MatchRun
from .approve import approvable, approve_one, check_may_approve, check_selection, lock_people

log = logging.getLogger(__name__)

BATCH_SIZE = 25  # proposals per transaction: a few seconds of locks at most
TASK_SECONDS = 60.0  # then hand over to a new task, well inside Celery's time limits
MAX_RESTARTS = 3  # taken over this often after its worker died: something kills it; stop


def start_bulk_approval(
    run: MatchRun, *, by: User, proposal_ids: Sequence[int] | None = None
) -> tuple[BulkApproval, bool]:
    """Approve the chosen proposals (None: every approvable one) in the background. Returns
    the BulkApproval and whether it is new: while one is open for the run, that one is
    returned instead of starting another (and queued again if its worker is gone)."""
    check_may_approve(run, by)
    with transaction.atomic():
        # Locked, so that two clicks at once are one after the other.
        list(MatchRun.objects.select_for_update().filter(pk=run.pk).values_list("pk"))
        current = run.bulk_approvals.open().first()
        if current is not None:
            _requeue(current)  # if its worker is gone
            return current, False
        todo = approvable(run)
        if proposal_ids is not None:
            wanted = set(proposal_ids)
            chosen = list(
                MatchProposal.objects.filter(run=run, pk__in=wanted).select_related("mentee")
            )
            check_selection(run, chosen, wanted)
            todo = todo.filter(pk__in=wanted)
        total = todo.count()
        if not total:
            raise InvalidTransition(
                "There are no proposals left to approve in this match run. "
                "Nothing has been changed."
            )
        job = BulkApproval.objects.create(
            run=run,
            created_by=by,
            proposal_ids=None if proposal_ids is None else sorted(set(proposal_ids)),
            total=total,
            heartbeat_at=timezone.now(),
            progress=f"Waiting for a worker to start approving {total:,} proposals.",
        )
        transaction.on_commit(lambda: enqueue_bulk_approval(job.pk))
    return job, True


def enqueue_bulk_approval(job_id: int) -> None:
    """Queue the task. If the broker cannot be reached the approval waits, still open, and
    beat queues it again once its heartbeat is old (check_bulk_approvals)."""
    from ..tasks import bulk_approval_task

    try:
        bulk_approval_task.delay(job_id)
    except Exception:
        log.exception("Could not queue bulk approval %s; beat will try again", job_id)


def _requeue(job: BulkApproval) -> bool:
    """Give a stalled approval to a new task: revoke the old claim (a worker that was only
    slow then stops at its next batch) and wait another heartbeat window before trying again.
    One conditional UPDATE, so an approval that beat or finished meanwhile is left alone."""
    taken_over = Case(When(status=BulkApproval.Status.RUNNING, then=1), default=0)
    requeued = (
        BulkApproval.objects.stalled()
        .filter(pk=job.pk)
        .update(
            status=BulkApproval.Status.QUEUED,
            claim="",
            restarts=F("restarts") + taken_over,
            heartbeat_at=timezone.now(),
        )
    )
    if requeued:
        transaction.on_commit(lambda: enqueue_bulk_approval(job.pk))
    return bool(requeued)


def check_bulk_approvals(now: datetime | None = None) -> int:
    """Beat, every minute: queue again every open approval with no heartbeat for about two
    minutes (its worker died, or its task never reached one). Returns how many."""
    with transaction.atomic():
        return sum(_requeue(job) for job in BulkApproval.objects.stalled(now))


# --- The task's work ----------------------------------------------------------------------


def run_bulk_approval(job_id: int) -> BulkApproval:
    """Approve batch after batch until none is left or about a minute has passed, then hand
    over to a new task. Does nothing if the approval is done or another worker has it."""
    claim = _claim(job_id)
    if claim is None:
        return BulkApproval.objects.get(pk=job_id)
    deadline = time.monotonic() + TASK_SECONDS
    try:
        while approve_batch(job_id, claim):
            if time.monotonic() > deadline:
                _hand_over(job_id, claim)
                break
    except ServiceError as error:  # a rule stops the whole approval, e.g. no longer a manager
        _stop(job_id, claim, error=error.message, why=f"Approving stopped: {error.message}")
    except Exception as exc:
        log.exception("Bulk approval %s failed", job_id)
        _stop(job_id, claim, error=f"{type(exc).__name__}: {exc}", why=UNEXPECTED)
    return BulkApproval.objects.get(pk=job_id)


def _claim(job_id: int) -> str | None:
    """Take the approval for this task: a queued one, or a running one whose worker is gone
    (a task delivered again after a kill). None if it is done or a live worker has it."""
    with transaction.atomic():
        job = BulkApproval.objects.select_for_update().get(pk=job_id)
        if job.status == BulkApproval.Status.RUNNING:
            if not BulkApproval.objects.stalled().filter(pk=job_id).exists():
                return None
            job.restarts += 1
        elif job.status != BulkApproval.Status.QUEUED:
            return None
        if job.restarts > MAX_RESTARTS:
            job.save(update_fields=["restarts"])
            _stop(job_id, job.claim, error="Its worker died too often.", why=WORKER_GONE)
            return None
        job.status = BulkApproval.Status.RUNNING
        job.claim = uuid.uuid4().hex
        job.started_at = job.started_at or timezone.now()
        job.heartbeat_at = timezone.now()
        job.progress = _so_far(job)
        job.save(
            update_fields=["status", "claim", "restarts", "started_at", "heartbeat_at", "progress"]
        )
        return job.claim


@atomic_with_retry
def approve_batch(job_id: int, claim: str) -> bool:
    """Approve the next batch in one transaction, and count it. False when nothing is left
    (the approval is then finished) or the claim was taken away (another worker has it)."""
    job = (
        BulkApproval.objects.select_for_update(of=("self",))
        .select_related("run__programme", "created_by")
        .get(pk=job_id)
    )
    if job.status != BulkApproval.Status.RUNNING or job.claim != claim:
        return False
    run, by = job.run, job.created_by
    if by is None or not may_manage_programme(by, run.programme):
        raise InvalidTransition("The manager who asked no longer manages this programme.")
    todo = approvable(run).exclude(bulk_approval=job)
    if job.proposal_ids is not None:
        todo = todo.filter(pk__in=job.proposal_ids)
    batch = list(
        todo.select_for_update(of=("self",))
        .select_related("mentee", "mentor")
        .order_by("-score", "pk")[:BATCH_SIZE]
    )
    now = timezone.now()
    if not batch:
        job.status = BulkApproval.Status.FINISHED
        job.finished_at = job.heartbeat_at = now
        job.progress = _finished(job)
        job.save(update_fields=["status", "finished_at", "heartbeat_at", "progress"])
        return False
    lock_people(run.programme, batch)
    for proposal in batch:
        proposal.bulk_approval = job
        if approve_one(proposal, run.programme, by, now):
            job.approved_count += 1
        else:
            job.failed_count += 1
    job.heartbeat_at = timezone.now()
    job.progress = _so_far(job)
    job.save(update_fields=["approved_count", "failed_count", "heartbeat_at", "progress"])
    return True


def _hand_over(job_id: int, claim: str) -> None:
    """Queue a fresh task to carry on, so that no task runs near Celery's time limits."""
    with transaction.atomic():
        handed = BulkApproval.objects.filter(
            pk=job_id, status=BulkApproval.Status.RUNNING, claim=claim
        ).update(status=BulkApproval.Status.QUEUED, claim="", heartbeat_at=timezone.now())
        if handed:
            transaction.on_commit(lambda: enqueue_bulk_approval(job_id))


UNEXPECTED = "Approving stopped because of an unexpected error."
WORKER_GONE = "Approving stopped because the computer doing it stopped responding several times."


def _stop(job_id: int, claim: str, *, error: str, why: str) -> None:
    """Mark the approval failed, saying why; the batches already saved stay approved."""
    job = BulkApproval.objects.get(pk=job_id)
    BulkApproval.objects.filter(pk=job_id, claim=claim).exclude(
        status=BulkApproval.Status.FINISHED
    ).update(
        status=BulkApproval.Status.FAILED,
        error=error,
        finished_at=timezone.now(),
        progress=f"{why} {_counts(job)} Choose Approve all to carry on with the rest; if it "
        "happens again, contact your site administrator.",
    )


def _counts(job: BulkApproval) -> str:
    text = f"{job.approved_count:,} of {job.total:,} proposals approved"
    if job.failed_count:
        text += f", {job.failed_count:,} could not be approved"
    return text + "."


def _so_far(job: BulkApproval) -> str:
    return f"Approving proposals: {_counts(job)}"


def _finished(job: BulkApproval) -> str:
    return f"Finished: {_counts(job)}"
