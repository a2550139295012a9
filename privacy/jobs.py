"""Celery beat's privacy job: thin, calls the service. Safe to run twice and at once."""

from __future__ import annotations

from celery import shared_task

from . import retention


@shared_task(name="privacy.jobs.apply_retention")
def apply_retention() -> dict[str, int] | None:
    """Erase or anonymise what is past its retention period, per kind (daily)."""
    run = retention.run_retention()
    return None if run is None else run.counts
