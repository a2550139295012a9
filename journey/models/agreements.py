"""The mentoring agreement: proposed at the first meeting, confirmed by both people. Its
goals (reworded from the mentee's profile, or added) are tracked through the mentorship."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from mentorship.models import MeetingCadence


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"
    SHADOWING = "shadowing", "Shadowing"


class Agreement(models.Model):
    """What the two people agree to work on and how. The programme team sees that it exists
    and who confirmed it when; the wording is the two people's own."""

    mentorship = models.OneToOneField(
        "mentorship.Mentorship", on_delete=models.CASCADE, related_name="agreement"
    )
    cadence = models.CharField(max_length=20, choices=MeetingCadence.choices)
    duration_weeks = models.PositiveSmallIntegerField()
    how_we_meet = models.TextField(
        blank=True, help_text="Private to the two people: where, how and when you will meet."
    )
    confidentiality = models.TextField(
        blank=True, help_text="Private to the two people: what stays between you, and its limits."
    )
    ending = models.TextField(
        blank=True, help_text="Private to the two people: how either of you can end it."
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField()
    mentee_confirmed_at = models.DateTimeField(null=True, blank=True)
    mentor_confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Agreement for mentorship {self.mentorship_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.mentee_confirmed_at is not None and self.mentor_confirmed_at is not None


class AgreedGoal(models.Model):
    """One goal the two people work on, with its progress and a short reflection."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        ACHIEVED = "achieved", "Achieved"
        CHANGED = "changed", "Changed"

    mentorship = models.ForeignKey(
        "mentorship.Mentorship", on_delete=models.CASCADE, related_name="agreed_goals"
    )
    goal = models.ForeignKey(
        "mentorship.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The profile goal it came from, if any.",
    )
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    reflection = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text
