"""The outbox: emails rendered from templates/emails/<kind>_{subject.txt,body.txt,body.html},
written to the outbox in the caller's transaction, and sent by a Celery task after commit.

Delivery is exactly once per (kind, object, recipient): the outbox row is unique on those,
a row is claimed ("sending") in its own transaction before the SMTP call and marked "sent"
after it, and a task that finds a row in any other state than "pending" does nothing.

What happens on each failure (docs/emails.md has the full table):
- the relay refuses for good (5xx): "failed" at once, with the code in last_error;
- the relay refuses for now (4xx), or the message never reached it: "pending", retried after
  a backoff, "failed" after EMAIL_MAX_ATTEMPTS;
- nobody knows whether it went (the relay had the whole message but never answered, or the
  worker died mid-send): "uncertain", never resent on its own; a person checks the mail log
  and may send it again from the admin, with the same Message-ID;
- the database connection drops after sending: the outcome is written again on a fresh
  connection;
- the broker is frozen or down: queuing gives up within REDIS_TIMEOUT_SECONDS and the
  periodic flush sends the row later.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Iterable, Sequence
from datetime import timedelta
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from django.db import InterfaceError, OperationalError, connection, transaction
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .models import OutboxEmail

log = logging.getLogger(__name__)

# --- Rendering and queuing --------------------------------------------------------------


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
    attachments: list[dict[str, str]] | None = None,
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
            "attachments": attachments or [],
            "next_attempt_at": timezone.now(),
        },
    )
    if not created:
        return None
    transaction.on_commit(lambda pk=row.pk: enqueue_delivery(pk))
    return row


def queue_email(
    kind: str,
    *,
    about: str,
    recipients: Iterable[Any],
    context: dict[str, Any],
    attachments: list[dict[str, str]] | None = None,
) -> list[OutboxEmail]:
    """Write one outbox row per recipient (a User) in the current transaction; after commit,
    ask a worker to send each. Queuing the same kind about the same thing to the same person
    again does nothing. `attachments` are text files ({"filename", "mimetype", "content"}),
    for example a calendar invitation."""
    rows = []
    for user in recipients:
        message = render_email(kind, to=[user.email], context={**context, "recipient": user})
        row = queue_message(
            kind,
            about=about,
            to_email=user.email,
            message=message,
            recipient=user,
            attachments=attachments,
        )
        if row is not None:
            rows.append(row)
    return rows


# --- Handing rows to the broker ---------------------------------------------------------


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


# --- Sending ----------------------------------------------------------------------------


class DeliveryOutcomeUnknown(smtplib.SMTPException):
    """The relay had the whole message, then the connection failed before it answered: it
    may or may not deliver it."""


class _HandoverMixin:
    """Notes when the message body (ending CRLF.CRLF) has been written to the relay; a
    failure after that point leaves the outcome unknown, one before it means not sent."""

    message_handed_over = False

    def send(self, s: str | bytes) -> None:
        super().send(s)  # type: ignore[misc]
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.message_handed_over = True


class _HandoverSMTP(_HandoverMixin, smtplib.SMTP):
    pass


class _HandoverSMTPSSL(_HandoverMixin, smtplib.SMTP_SSL):
    pass


class OutboxSMTPBackend(DjangoSMTPBackend):
    """Django's SMTP backend that raises DeliveryOutcomeUnknown when a failure came after
    the relay had the whole message, and drops a failed session without QUIT (a hung relay
    would make QUIT wait a second timeout)."""

    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        return _HandoverSMTPSSL if self.use_ssl else _HandoverSMTP

    def _send(self, email_message: Any) -> bool:
        try:
            return super()._send(email_message)
        except (smtplib.SMTPException, OSError) as exc:
            handed_over = getattr(self.connection, "message_handed_over", False)
            self._abandon()
            if handed_over and not isinstance(exc, smtplib.SMTPResponseException):
                raise DeliveryOutcomeUnknown(f"{type(exc).__name__}: {exc}") from exc
            raise

    def close(self) -> None:
        """After the relay accepted every message, a QUIT that fails changes nothing: the
        email is sent. (A failed send has already dropped the session, see _abandon.)"""
        session = self.connection
        try:
            super().close()
        except (smtplib.SMTPException, OSError):
            log.info("The mail server did not answer QUIT after accepting the message")
            if session is not None:
                session.close()

    def _abandon(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None


def _mail_connection() -> Any:
    """The configured email backend; Django's SMTP backend is swapped for OutboxSMTPBackend,
    the same backend that can also tell "refused" from "unknown"."""
    if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        return OutboxSMTPBackend()
    return get_connection()


def message_id(pk: int) -> str:
    """A Message-ID derived from the row, so a resend is recognisably the same message (and
    mail systems that de-duplicate by Message-ID drop the second copy)."""
    _, at, domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")
    if not (at and domain):
        domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<outbox-{pk}@{domain}>"


def backoff_seconds(attempts: int) -> int:
    """Exponential, capped: base, 2 x base, 4 x base ... up to the cap."""
    base, cap = settings.EMAIL_RETRY_BASE_SECONDS, settings.EMAIL_RETRY_MAX_SECONDS
    return int(min(cap, base * 2 ** max(attempts - 1, 0)))


def deliver(pk: int) -> str:
    """Send one outbox row if it is due; returns what happened: sent, retry, failed,
    uncertain or skipped."""
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
        headers={"Message-ID": message_id(row.pk), "X-Outbox-Id": str(row.pk)},
        connection=_mail_connection(),
    )
    message.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    try:
        message.send()
    except DeliveryOutcomeUnknown as exc:
        return _outcome_unknown(row, exc)
    except (smtplib.SMTPException, OSError) as exc:
        return _failed_attempt(row, exc)

    _record(row.pk, status=OutboxEmail.Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def _permanent_refusal(exc: Exception) -> str | None:
    """The relay's 5xx answer, if it refused this message for good; None otherwise."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = list(exc.recipients.values())
        if answers and all(500 <= code < 600 for code, _ in answers):
            return "; ".join(f"{code} {_text(reply)}" for code, reply in answers)
        return None
    if isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600:
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return None


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _failed_attempt(row: OutboxEmail, exc: Exception) -> str:
    refusal = _permanent_refusal(exc)
    if refusal is not None:
        error = f"Refused by the mail server: {refusal} ({type(exc).__name__})"[:2000]
        _record(row.pk, status=OutboxEmail.Status.FAILED, last_error=error)
        log.error("Outbox email %s refused for good: %s", row.pk, error)
        return "failed"
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if row.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        _record(row.pk, status=OutboxEmail.Status.FAILED, last_error=error)
        log.error("Outbox email %s failed after %s attempts: %s", row.pk, row.attempts, error)
        return "failed"
    _record(
        row.pk,
        status=OutboxEmail.Status.PENDING,
        last_error=error,
        next_attempt_at=timezone.now() + timedelta(seconds=backoff_seconds(row.attempts)),
    )
    log.warning("Outbox email %s attempt %s failed: %s", row.pk, row.attempts, error)
    return "retry"


def _outcome_unknown(row: OutboxEmail, exc: Exception) -> str:
    error = (
        f"The mail server had the whole message but did not confirm it ({exc}). It may have "
        "been delivered: check the mail log, then retry if the email did not arrive."
    )[:2000]
    _record(row.pk, status=OutboxEmail.Status.UNCERTAIN, last_error=error)
    log.warning("Outbox email %s may or may not have been delivered: %s", row.pk, exc)
    return "uncertain"


# A dropped connection is replaced this many times, waiting 0.2, 0.4, 0.8 ... seconds between.
RECORD_ATTEMPTS = 5


def _record(pk: int, **fields: Any) -> None:
    """Write what happened to a row. The email has already left (or been refused), so a
    connection that dropped in the meantime must not lose that: close it and write again on
    a fresh one. If the database stays away, the row stays "sending" and the flush flags it
    uncertain."""
    for attempt in range(1, RECORD_ATTEMPTS + 1):
        try:
            OutboxEmail.objects.filter(pk=pk).update(**fields)
            return
        except (OperationalError, InterfaceError):
            # Inside a transaction a fresh connection would lose it: nothing to retry there.
            if connection.in_atomic_block or attempt == RECORD_ATTEMPTS:
                raise
            log.warning("Lost the database writing outbox email %s; retrying", pk)
            connection.close()
            time.sleep(0.1 * 2**attempt)


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


# --- From the admin ---------------------------------------------------------------------


def retry(rows: Iterable[OutboxEmail], *, include_uncertain: bool = False) -> int:
    """From the admin: send failed emails again, from a fresh count; uncertain ones only when
    the person confirmed a second copy is acceptable. Sent, pending and sending rows are
    never touched. Returns how many rows were queued again."""
    statuses = [OutboxEmail.Status.FAILED]
    if include_uncertain:
        statuses.append(OutboxEmail.Status.UNCERTAIN)
    with transaction.atomic():
        # The status is checked again under the row lock: a row that was sent meanwhile stays sent.
        pks = list(
            OutboxEmail.objects.select_for_update()
            .filter(pk__in=[r.pk for r in rows], status__in=statuses)
            .values_list("pk", flat=True)
        )
        OutboxEmail.objects.filter(pk__in=pks).update(
            status=OutboxEmail.Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_at=None,
        )
        for pk in pks:
            transaction.on_commit(lambda pk=pk: enqueue_delivery(pk))
    return len(pks)
