"""Mentorships: approved pairings. The request lifecycle that creates them comes later; a
mentor's free places are counted from the active ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Mentorship(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ENDED_EARLY = "ended_early", "Ended early"

    programme = models.ForeignKey(
        "mentorship.Programme", on_delete=models.PROTECT, related_name="mentorships"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentorships_as_mentor"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentorships_as_mentee"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField()
    planned_end_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentee"],
                condition=models.Q(status="active"),
                name="one_active_mentorship_per_mentee_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.mentee} ({self.get_status_display()})"
