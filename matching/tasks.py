"""Celery tasks: thin wrappers that fetch rows and call the rules in matching/runs/."""

from __future__ import annotations

from celery import shared_task


@shared_task
def execute_match_run_task(run_id: int) -> str:
    """Run the engine for one match run (see matching/runs/execute.py)."""
    from .runs import execute_match_run

    return execute_match_run(run_id).status


@shared_task
def check_match_runs() -> int:
    """Beat, every minute: mark failed the runs whose worker is gone (matching/runs/recovery.py)."""
    from .runs import fail_abandoned_runs

    return fail_abandoned_runs()
