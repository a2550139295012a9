"""Concerns raised privately with the programme team, acknowledged within the time the
programme sets."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ConcernQuerySet(models.QuerySet["Concern"]):
    def unacknowledged(self) -> ConcernQuerySet:
        return self.filter(acknowledged_at__isnull=True)

    def open(self) -> ConcernQuerySet:
        return self.filter(closed_at__isnull=True)


class Concern(models.Model):
    class Kind(models.TextChoices):
        BEHAVIOUR = "behaviour", "Behaviour"
        SAFETY = "safety", "Patient or personal safety"
        WELLBEING = "wellbeing", "Wellbeing"
        OTHER = "other", "Something else"

    mentorship = models.ForeignKey(
        "mentorship.Mentorship", on_delete=models.PROTECT, related_name="concerns"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    details = models.TextField()
    raised_at = models.DateTimeField(auto_now_add=True)
    acknowledge_by = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} concern about mentorship {self.mentorship_id}"
