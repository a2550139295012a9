"""Mentorships: approved pairings, created when a manager approves an accepted request (or a
mentor accepts a match-run proposal). A mentor's free places count the active ones, in every
programme (see MentorProfileQuerySet.with_free_places)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .events import LoggedModel


class MentorshipQuerySet(models.QuerySet["Mentorship"]):
    def active(self) -> MentorshipQuerySet:
        return self.filter(status=Mentorship.Status.ACTIVE)

    def visible_to(self, user) -> MentorshipQuerySet:
        """Both people and the programme's managers; nobody else."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(mentee=user) | models.Q(mentor=user) | models.Q(programme__managers=user)
        ).distinct()


class Mentorship(LoggedModel):
    event_field = "mentorship"

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
    request = models.OneToOneField(
        "mentorship.MentorRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentorship",
    )
    started_on = models.DateField()
    planned_end_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    end_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentorshipQuerySet.as_manager()

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
