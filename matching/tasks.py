"""Celery tasks: thin wrappers that fetch rows and call the services."""

from __future__ import annotations

from celery import shared_task


@shared_task
def execute_match_run_task(run_id: int) -> str:
    """Run the engine for one match run (see matching/runs/execute.py)."""
    from .runs import execute_match_run

    return execute_match_run(run_id).status
