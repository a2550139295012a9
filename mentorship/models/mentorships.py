"""Mentorships: approved pairings, created when a manager approves an accepted request (or a
mentor accepts a match-run proposal). A mentor's free places count the active ones, in every
programme (see MentorProfileQuerySet.with_free_places)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .events import LoggedModel


class MentorshipQuerySet(models.QuerySet["Mentorship"]):
    def active(self) -> MentorshipQuerySet:
        return self.filter(status=Mentorship.Status.ACTIVE)

    def not_a_good_fit_in(self, programme) -> MentorshipQuerySet:
        """Ended as "not a good fit" in this programme: that mentor is never shown,
        suggested, proposed or asked again for that mentee there (re-pairing)."""
        return self.filter(
            programme=programme,
            status=Mentorship.Status.ENDED_EARLY,
            ended_because=Mentorship.EndedBecause.NOT_A_GOOD_FIT,
        )

    def pairs(self) -> list[tuple[int, int]]:
        """(mentee, mentor) user id pairs, for the matching engine's exclusions."""
        return list(self.values_list("mentee_id", "mentor_id").distinct())

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

    class EndedBecause(models.TextChoices):
        """Why an early ending happened; "not a good fit" carries no blame and leads to
        the mentee being offered other mentors (without this one)."""

        NOT_A_GOOD_FIT = "not_a_good_fit", "Not a good fit"
        CIRCUMSTANCES = "circumstances", "A change of circumstances"
        GOALS_MET_EARLY = "goals_met_early", "Goals met early"
        OTHER = "other", "Another reason"

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
    ended_because = models.CharField(max_length=20, choices=EndedBecause.choices, blank=True)
    # Completing needs both people (or a manager): the first to ask is recorded here.
    completion_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    completion_proposed_at = models.DateTimeField(null=True, blank=True)
    # Paused for leave: no nudges or check-ins are due until this date.
    paused_until = models.DateField(null=True, blank=True)
    pause_reason = models.CharField(max_length=200, blank=True)
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

    def is_party(self, user) -> bool:
        """The mentee or the mentor (not a manager)."""
        return getattr(user, "pk", None) in (self.mentee_id, self.mentor_id)

    def other_party(self, user):
        return self.mentor if user.pk == self.mentee_id else self.mentee

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def planned_weeks(self) -> int:
        """From the start to the planned end, which an extension moves."""
        return (self.planned_end_on - self.started_on).days // 7

    def is_paused(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.paused_until is not None and self.paused_until >= on

    def get_absolute_url(self) -> str:
        return reverse("mentorship:mentorship_detail", args=[self.pk])

    def page_url(self, section: str = "") -> str:
        """The two people's shared page, at one of its sections ("meetings", "agreement",
        "check-in", "concern", "course", "next-meeting", "end", "feedback"...)."""
        return self.get_absolute_url() + (f"#{section}" if section else "")

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.mentee} ({self.get_status_display()})"
