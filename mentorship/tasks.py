"""Celery tasks: thin wrappers that fetch rows and call the services."""

from __future__ import annotations

from celery import shared_task

from . import emails


@shared_task
def send_outbox_email(pk: int) -> str:
    """Send one outbox email; a failed attempt is queued again after its backoff."""
    outcome = emails.deliver(pk)
    if outcome == "retry":
        from .models import OutboxEmail

        row = OutboxEmail.objects.get(pk=pk)
        emails.enqueue_delivery(pk, countdown=emails.backoff_seconds(row.attempts))
    return outcome


@shared_task
def flush_outbox() -> int:
    return emails.flush_outbox()


@shared_task
def expire_requests() -> int:
    from .services import periodic

    return periodic.expire_stale_requests()


@shared_task
def remind_mentors() -> int:
    from .services import periodic

    return periodic.remind_mentors_of_waiting_requests()
