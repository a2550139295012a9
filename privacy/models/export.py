"""A person's "download my data" file. The ZIP is kept in the database so that the worker
that builds it and the web server that hands it out need share nothing but the database."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class DataExportQuerySet(models.QuerySet["DataExport"]):
    def of(self, user) -> DataExportQuerySet:
        """Only the person's own files: every lookup by id goes through this."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def latest_first(self) -> DataExportQuerySet:
        return self.order_by("-requested_at", "-pk")

    def asked_since(self, when: datetime) -> DataExportQuerySet:
        return self.filter(requested_at__gte=when)

    def past_their_link(self, now: datetime) -> DataExportQuerySet:
        """Ready files whose link has run out: their bytes are deleted."""
        return self.filter(status=DataExport.Status.READY, expires_at__lte=now)

    def stuck(self, before: datetime) -> DataExportQuerySet:
        """Builds that should long have finished (a worker died and the task was lost)."""
        return self.filter(status=DataExport.Status.BUILDING, requested_at__lt=before)


class DataExport(models.Model):
    class Status(models.TextChoices):
        BUILDING = "building", "Being built"
        READY = "ready", "Ready to download"
        EXPIRED = "expired", "Expired"
        FAILED = "failed", "Could not be built"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BUILDING)
    requested_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # The ZIP itself; emptied when the link expires (the row stays, so the page can say so).
    content = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0, help_text="Bytes in the ZIP.")
    error = models.TextField(blank=True, help_text="Why the build failed (for the team).")

    objects = DataExportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # Asking twice while one builds must not build two, even from two web servers
            # at once: the service locks the person's row, and this is the database's word.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="building"),
                name="one_data_export_building_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"Data export for {self.user} ({self.get_status_display()})"

    def is_downloadable(self, now: datetime | None = None) -> bool:
        """Ready and within its link's hours. (A ready file always has its bytes: they are
        emptied only together with the move to expired.)"""
        now = now or timezone.now()
        return (
            self.status == self.Status.READY
            and self.expires_at is not None
            and self.expires_at > now
        )

    def state(self, now: datetime | None = None) -> str:
        """What the page says: the status, but "expired" as soon as the link has run out,
        before the hourly job has deleted the bytes."""
        if self.status == self.Status.READY and not self.is_downloadable(now):
            return self.Status.EXPIRED
        return self.status

    def stored_bytes(self) -> bytes | None:
        """The ZIP, read on its own: pages load the row with `defer("content")`."""
        content = type(self).objects.values_list("content", flat=True).get(pk=self.pk)
        return bytes(content) if content is not None else None

    @property
    def filename(self) -> str:
        stamp = timezone.localtime(self.ready_at or self.requested_at).strftime("%Y-%m-%d")
        return f"my-data-{stamp}.zip"
