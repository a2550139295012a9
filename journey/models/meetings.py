"""Meetings: logged afterwards by either person and confirmed by the other; the next one
planned ahead with a calendar invitation; action points agreed along the way."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .agreements import MeetingMode


class MeetingKind(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One-to-one"
    CLINIC = "clinic", "Shadowing a clinic"
    HOME_VISITS = "home_visits", "Home visits"
    BOARD = "board", "A board or team meeting"
    PROJECT = "project", "A project"


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def confirmed(self) -> MeetingQuerySet:
        return self.filter(confirmed_at__isnull=False)


class Meeting(models.Model):
    """A meeting that happened. Notes are private to the two people."""

    mentorship = models.ForeignKey(
        "mentorship.Mentorship", on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(12 * 60)]
    )
    mode = models.CharField(max_length=20, choices=MeetingMode.choices)
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    topics = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True, help_text="Private to the two people.")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    logged_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Meeting on {self.held_on}"


class PlannedMeeting(models.Model):
    """The next meeting. Moving it keeps its calendar UID and raises its SEQUENCE, so a
    calendar updates the event rather than adding a second one."""

    mentorship = models.ForeignKey(
        "mentorship.Mentorship", on_delete=models.CASCADE, related_name="planned_meetings"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(12 * 60)]
    )
    mode = models.CharField(max_length=20, choices=MeetingMode.choices)
    where = models.CharField(max_length=300, blank=True, help_text="A place or a video link.")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"Meeting planned for {self.starts_at:%Y-%m-%d %H:%M}"


class ActionPoint(models.Model):
    """Something one of the two will do, perhaps towards a goal, perhaps by a date."""

    mentorship = models.ForeignKey(
        "mentorship.Mentorship", on_delete=models.CASCADE, related_name="action_points"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_points"
    )
    goal = models.ForeignKey(
        "journey.AgreedGoal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_points",
    )
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text
