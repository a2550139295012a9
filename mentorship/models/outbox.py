"""The email outbox: every email is a row written in the same transaction as the change
that causes it, so nothing is lost when the broker is down, and unique per kind, object and
recipient, so nothing is sent twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class OutboxEmailQuerySet(models.QuerySet["OutboxEmail"]):
    def due(self, now) -> OutboxEmailQuerySet:
        return self.filter(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now)


class OutboxEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        UNCERTAIN = "uncertain", "May have been sent: check before retrying"

    kind = models.CharField(max_length=40)
    object_key = models.CharField(max_length=80, help_text="What it is about, e.g. request:12")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField()
    attachments = models.JSONField(
        default=list,
        blank=True,
        help_text='Files sent with the email: [{"filename", "mimetype", "content"}] (text).',
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "to_email"],
                name="one_email_per_kind_object_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email} ({self.get_status_display()})"
