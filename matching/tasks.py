"""Celery tasks: thin wrappers that fetch rows and call the rules in matching/runs/."""

from __future__ import annotations

from celery import shared_task


@shared_task
def execute_match_run_task(run_id: int) -> str:
    """Run the engine for one match run (see matching/runs/execute.py)."""
    from .runs.execute import execute_match_run

    return execute_match_run(run_id).status


@shared_task
def check_match_runs() -> int:
    """Beat, every minute: mark failed the runs whose worker is gone, and hand stalled bulk
    approvals to a new task (matching/runs/recovery.py and bulk_approval.py)."""
    from .runs.bulk_approval import check_bulk_approvals
    from .runs.recovery import fail_abandoned_runs

    return fail_abandoned_runs() + check_bulk_approvals()


@shared_task
def bulk_approval_task(job_id: int) -> str:
    """Approve a run's proposals in batches (see matching/runs/bulk_approval.py)."""
    from .runs.bulk_approval import run_bulk_approval

    return run_bulk_approval(job_id).status
