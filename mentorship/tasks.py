"""Celery tasks for the outbox: thin wrappers around outbox.py. The periodic jobs that call
the services are in jobs.py, so that sending an email never imports the services (no import
cycle through the outbox)."""

from __future__ import annotations

from celery import shared_task

from . import outbox


@shared_task
def send_outbox_email(pk: int) -> str:
    """Send one outbox email; a temporary failure is queued again after its backoff (if the
    broker cannot take it, the periodic flush finds the row when it is due)."""
    outcome = outbox.deliver(pk)
    if outcome == "retry":
        from .models import OutboxEmail

        row = OutboxEmail.objects.get(pk=pk)
        outbox.enqueue_delivery(pk, countdown=outbox.backoff_seconds(row.attempts))
    return outcome


@shared_task
def flush_outbox() -> int:
    """Queue outbox emails that are due, and flag rows a dead worker left "sending"."""
    return outbox.flush_outbox()
