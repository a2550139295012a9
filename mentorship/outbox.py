"""The outbox: emails rendered from templates/emails/<kind>_{subject.txt,body.txt,body.html},
written to the outbox in the caller's transaction, and sent by a Celery task after commit.

Delivery is exactly once per (kind, object, recipient): the outbox row is unique on those,
a row is claimed ("sending") in its own transaction before the SMTP call and marked "sent"
after it, and a task that finds a row in any other state than "pending" does nothing. If a
worker dies between the SMTP call and marking the row sent, the row stays "sending"; the
periodic flush marks it "uncertain" for a person to check in the admin rather than risk a
second copy.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from datetime import timedelta
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .models import OutboxEmail

log = logging.getLogger(__name__)


def _render_text(template_name: str, context: dict[str, Any]) -> str:
    """Render a plain-text template with HTML escaping off: a plain-text email is not HTML,
    so O'Brien must not arrive as O&#x27;Brien. (HTML parts are escaped as usual.)"""
    wrapper = engines["django"].from_string(
        "{% autoescape off %}{% include outbox_text_template %}{% endautoescape %}"
    )
    return wrapper.render({**context, "outbox_text_template": template_name})


def render_email(
    name: str, *, to: Sequence[str], context: dict[str, Any]
) -> EmailMultiAlternatives:
    """Build one email with a plain-text body and an HTML alternative."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(_render_text(f"emails/{name}_subject.txt", context).split())
    text = _render_text(f"emails/{name}_body.txt", context)
    html = render_to_string(f"emails/{name}_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=list(to))
    message.attach_alternative(html, "text/html")
    return message


def queue_message(
    kind: str,
    *,
    about: str,
    to_email: str,
    message: EmailMultiAlternatives,
    recipient: Any | None = None,
) -> OutboxEmail | None:
    """Write one already-rendered email to the outbox in the current transaction; after
    commit, ask a worker to send it. Returns None if this kind about this thing was already
    queued for this address (nothing is sent twice)."""
    html = next((body for body, mime in message.alternatives if mime == "text/html"), "")
    row, created = OutboxEmail.objects.get_or_create(
        kind=kind,
        object_key=about,
        to_email=to_email,
        defaults={
            "recipient": recipient,
            "subject": message.subject,
            "body_text": message.body,
            "body_html": html,
            "next_attempt_at": timezone.now(),
        },
    )
    if not created:
        return None
    transaction.on_commit(lambda pk=row.pk: enqueue_delivery(pk))
    return row


def queue_email(
    kind: str, *, about: str, recipients: Iterable[Any], context: dict[str, Any]
) -> list[OutboxEmail]:
    """Write one outbox row per recipient (a User) in the current transaction; after commit,
    ask a worker to send each. Queuing the same kind about the same thing to the same person
    again does nothing."""
    rows = []
    for user in recipients:
        message = render_email(kind, to=[user.email], context={**context, "recipient": user})
        row = queue_message(kind, about=about, to_email=user.email, message=message, recipient=user)
        if row is not None:
            rows.append(row)
    return rows


class BrokerPause:
    """After the broker fails, this process leaves rows to the flush for a few seconds, so a
    request that queues many emails waits on a frozen Redis once, not once per email. It
    only ever delays an email until the next flush; the row is already safe."""

    seconds = 10.0

    def __init__(self) -> None:
        self._until = 0.0

    def active(self) -> bool:
        return time.monotonic() < self._until

    def start(self) -> None:
        self._until = time.monotonic() + self.seconds

    def clear(self) -> None:
        self._until = 0.0


broker_pause = BrokerPause()

# One publish attempt, bounded by the transport's socket timeouts (REDIS_TIMEOUT_SECONDS):
# kombu's retries would each wait that long again on a frozen Redis, inside a web request.
PUBLISH_RETRY_POLICY = {"max_retries": 0}


def enqueue_delivery(pk: int, *, countdown: int = 0) -> bool:
    """Hand a row to the broker; if the broker is down, the periodic flush sends it later.
    Returns whether the broker took it."""
    from .tasks import send_outbox_email

    if broker_pause.active():
        return False
    try:
        send_outbox_email.apply_async(
            args=[pk], countdown=countdown, retry_policy=PUBLISH_RETRY_POLICY
        )
    except BrokerError:  # unreachable, or frozen past the socket timeout
        broker_pause.start()
        log.warning(
            "Could not queue outbox email %s; the outbox flush will send it", pk, exc_info=True
        )
        return False
    except Exception:  # never let queuing an email undo or fail a committed change
        log.exception("Could not queue outbox email %s; the outbox flush will send it", pk)
        return False
    return True


def backoff_seconds(attempts: int) -> int:
    """Exponential, capped: base, 2 x base, 4 x base ... up to the cap."""
    base, cap = settings.EMAIL_RETRY_BASE_SECONDS, settings.EMAIL_RETRY_MAX_SECONDS
    return int(min(cap, base * 2 ** max(attempts - 1, 0)))


def deliver(pk: int) -> str:
    """Send one outbox row if it is due; returns what happened: sent, retry, failed, skipped."""
    with transaction.atomic():
        row = OutboxEmail.objects.select_for_update().filter(pk=pk).first()
        if row is None or row.status != OutboxEmail.Status.PENDING:
            return "skipped"
        if row.next_attempt_at > timezone.now():
            return "skipped"
        row.status = OutboxEmail.Status.SENDING
        row.claimed_at = timezone.now()
        row.attempts += 1
        row.save(update_fields=["status", "claimed_at", "attempts"])

    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        to=[row.to_email],
        headers={"X-Outbox-Id": str(row.pk)},
    )
    message.attach_alternative(row.body_html, "text/html")
    try:
        message.send()
    except (SMTPException, OSError) as exc:
        return _failed_attempt(row, exc)

    OutboxEmail.objects.filter(pk=row.pk).update(
        status=OutboxEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _failed_attempt(row: OutboxEmail, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if row.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        OutboxEmail.objects.filter(pk=row.pk).update(
            status=OutboxEmail.Status.FAILED, last_error=error
        )
        log.error("Outbox email %s failed after %s attempts: %s", row.pk, row.attempts, error)
        return "failed"
    OutboxEmail.objects.filter(pk=row.pk).update(
        status=OutboxEmail.Status.PENDING,
        last_error=error,
        next_attempt_at=timezone.now() + timedelta(seconds=backoff_seconds(row.attempts)),
    )
    log.warning("Outbox email %s attempt %s failed: %s", row.pk, row.attempts, error)
    return "retry"


def flush_outbox(limit: int = 500) -> int:
    """Queue every due row (the broker may have been down), and mark rows stuck in
    "sending" as uncertain. Returns how many rows were queued."""
    now = timezone.now()
    stuck_before = now - timedelta(seconds=settings.EMAIL_SENDING_TIMEOUT_SECONDS)
    OutboxEmail.objects.filter(
        status=OutboxEmail.Status.SENDING, claimed_at__lt=stuck_before
    ).update(
        status=OutboxEmail.Status.UNCERTAIN,
        last_error="The worker stopped while sending. Check the mail log, then retry if "
        "the email did not arrive.",
    )
    due = list(
        OutboxEmail.objects.due(now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    queued = 0
    for pk in due:
        if not enqueue_delivery(pk):
            break  # the broker is down: the rest wait for the next flush
        queued += 1
    return queued


def retry(rows: Iterable[OutboxEmail]) -> int:
    """From the admin: send failed or uncertain emails again, from a fresh count."""
    pks = [
        r.pk for r in rows if r.status in (OutboxEmail.Status.FAILED, OutboxEmail.Status.UNCERTAIN)
    ]
    OutboxEmail.objects.filter(pk__in=pks).update(
        status=OutboxEmail.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_at=None,
    )
    for pk in pks:
        transaction.on_commit(lambda pk=pk: enqueue_delivery(pk))
    return len(pks)
