"""What was erased, and when: an append-only log of each person's erasure (on their own
request or by staff on theirs) and of each retention run. Neither holds personal data: a
person is known here only by their user id, and counts say how much was changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AppendOnly(models.Model):
    """A log row is written once and never changed or deleted: the record of an erasure must
    outlive everything it erased."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not getattr(self, "_may_update", False):
            raise ValueError(f"{type(self).__name__} rows are never changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows are never deleted.")


class ErasureRecordQuerySet(models.QuerySet["ErasureRecord"]):
    def erased_user_ids(self) -> models.QuerySet:
        return self.values("user_id")


class ErasureRecord(AppendOnly):
    """One person's data erased: who (by user id), by whom, when, why and how much."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="erasure_records",
        help_text="The anonymised account (its name and email address are gone).",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The person themselves, or the staff member who acted on their request.",
    )
    by_staff = models.BooleanField(default=False)
    reason = models.TextField(
        help_text="Why: for example a ticket number. Never the person's name or details."
    )
    counts = models.JSONField(default=dict, help_text="How many records of each kind changed.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ErasureRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user"], name="a_person_is_erased_once"),
        ]

    def __str__(self) -> str:
        return f"Erasure of user {self.user_id} ({self.created_at:%Y-%m-%d})"


class RetentionRun(models.Model):
    """One run of the retention job: what it changed, per kind of record. At most one runs
    at a time (the constraint below is the lock). Only privacy/retention.py writes these:
    a row is inserted when a run starts and finished once, never deleted."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    counts = models.JSONField(default=dict, help_text="Records changed, per kind.")
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            # Two runs at once: the second cannot insert its row, so it does nothing.
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="running"),
                name="one_retention_run_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Retention run {self.pk} ({self.get_status_display()})"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
