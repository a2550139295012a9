"""Programmes and who belongs to them.

A mentee applies and a manager accepts or declines them (with private intake notes). A mentor
joins by a manager's invitation or by applying; mentees see a mentor only once approved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from .events import LoggedModel

if TYPE_CHECKING:
    from matching.engine import Weights


class MeetingCadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Every 2 weeks"
    MONTHLY = "monthly", "Monthly"

    @classmethod
    def interval_days(cls, cadence: str) -> int:
        """Days between meetings at this cadence."""
        return {cls.WEEKLY: 7, cls.FORTNIGHTLY: 14, cls.MONTHLY: 28}[cadence]


def default_check_in_points() -> list[str]:
    """Two weeks in, half-way, and two weeks before the planned end (see check_in_dates)."""
    return ["+14", "half", "-14"]


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def managed_by(self, user) -> ProgrammeQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(managers=user)

    def open_to_applications(self) -> ProgrammeQuerySet:
        return self.filter(is_open=True)

    def with_directory_for(self, user) -> ProgrammeQuerySet:
        """Programmes whose mentor directory `user` may browse: accepted mentees and the
        programme's own managers."""
        if not user.is_authenticated:
            return self.none()
        # Two EXISTS, not an OR across two joins with DISTINCT: that form made PostgreSQL
        # scan every mentee membership on each directory page (~100 ms with 50,000 mentees;
        # found by bench/load).
        managing = Programme.managers.through.objects.filter(
            programme_id=models.OuterRef("pk"), user_id=user.pk
        )
        mentee_of = MenteeMembership.objects.filter(
            programme_id=models.OuterRef("pk"),
            user_id=user.pk,
            status=MenteeMembership.Status.ACCEPTED,
        )
        return self.filter(models.Exists(managing) | models.Exists(mentee_of))


WEIGHT_FIELDS = (
    "weight_specialty",
    "weight_goals",
    "weight_region",
    "weight_format",
    "weight_img_experience",
    "weight_capacity",
)


def _weight(default: float, label: str) -> models.FloatField:
    return models.FloatField(
        label, default=default, validators=[MinValueValidator(0, "Enter 0 or more.")]
    )


class Programme(models.Model):
    """A mentoring scheme run by an organisation, with its own managers and matching weights."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    organisation = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="managed_programmes", blank=True
    )
    duration_weeks = models.PositiveSmallIntegerField(
        "default duration in weeks",
        default=16,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
    )
    meeting_cadence = models.CharField(
        max_length=20, choices=MeetingCadence.choices, default=MeetingCadence.WEEKLY
    )
    requires_approval = models.BooleanField(
        "manager approval required",
        default=True,
        help_text="A manager approves each match after the mentor accepts.",
    )
    is_open = models.BooleanField("open to applications", default=True)
    max_open_requests = models.PositiveSmallIntegerField(
        "most open requests a mentee may have",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    request_expiry_days = models.PositiveSmallIntegerField(
        "days before a pending request expires",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    check_in_points = models.JSONField(
        default=default_check_in_points,
        help_text='When each person is asked to check in: "+N" days after the start, '
        '"half" for half-way, "-N" days before the planned end.',
    )
    freedom_to_speak_up = models.TextField(
        "Freedom to Speak Up guardian",
        blank=True,
        help_text="Name and how to contact them; shown to anyone raising a concern.",
    )
    safeguarding_lead = models.TextField(
        "safeguarding lead",
        blank=True,
        help_text="Name and how to contact them; shown to anyone raising a concern.",
    )
    concern_acknowledge_days = models.PositiveSmallIntegerField(
        "working days to acknowledge a concern",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    weight_specialty = _weight(35, "specialty weight")
    weight_goals = _weight(30, "goals weight")
    weight_region = _weight(10, "region weight")
    weight_format = _weight(10, "meeting format weight")
    weight_img_experience = _weight(10, "lived IMG experience weight")
    weight_capacity = _weight(5, "free places weight")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="programme_weights_not_all_zero",
                condition=models.Q(weight_specialty__gt=0)
                | models.Q(weight_goals__gt=0)
                | models.Q(weight_region__gt=0)
                | models.Q(weight_format__gt=0)
                | models.Q(weight_img_experience__gt=0)
                | models.Q(weight_capacity__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if all((getattr(self, f) or 0) <= 0 for f in WEIGHT_FIELDS):
            raise ValidationError("At least one matching weight must be more than 0.")
        from journey.schedule import validate_check_in_points  # journey builds on this app

        try:
            self.check_in_points = validate_check_in_points(self.check_in_points)
        except ValidationError as error:
            raise ValidationError({"check_in_points": error.messages}) from error

    def matching_weights(self) -> Weights:
        from matching.engine import Weights

        return Weights(
            specialty=self.weight_specialty,
            goals=self.weight_goals,
            region=self.weight_region,
            format=self.weight_format,
            img_experience=self.weight_img_experience,
            capacity=self.weight_capacity,
        )


class Membership(LoggedModel):
    """What both kinds of membership record about a manager's decision."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(
        "what we told them",
        max_length=1000,
        blank=True,
        help_text="The reason the person reads when they are not accepted or not approved.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["created_at"]

    def record_decision(
        self, status: str, *, by, notes_field: str, notes: str, reason: str = ""
    ) -> None:
        """Set the decision, the reason the person reads, and the private notes (if any were
        written), and save it."""
        self.status = status
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_reason = reason
        fields = ["status", "decided_by", "decided_at", "decision_reason", "updated_at"]
        if notes:
            setattr(self, notes_field, notes)
            fields.append(notes_field)
        self.save(update_fields=fields)


class MenteeMembershipQuerySet(models.QuerySet["MenteeMembership"]):
    def accepted(self) -> MenteeMembershipQuerySet:
        return self.filter(status=MenteeMembership.Status.ACCEPTED)

    def waiting_for_a_mentor(self, programme) -> MenteeMembershipQuerySet:
        """Accepted members with no mentor yet: no active mentorship, no open request a
        manager already approved (a match-run proposal waiting for the mentor), and not
        done: a mentee whose mentorship here was completed has had their mentor (one that
        ended early, for example as not a good fit, is waiting again)."""
        from .mentorships import Mentorship
        from .requests import MentorRequest

        matched = (
            Mentorship.objects.filter(programme=programme)
            .filter(status__in=[Mentorship.Status.ACTIVE, Mentorship.Status.COMPLETED])
            .values("mentee_id")
        )
        proposed = (
            MentorRequest.objects.open().proposals().filter(programme=programme).values("mentee_id")
        )
        return (
            self.accepted()
            .filter(programme=programme, user__is_active=True)
            .exclude(user_id__in=matched)
            .exclude(user_id__in=proposed)
        )

    def with_progress(self, now=None) -> MenteeMembershipQuerySet:
        """Each mentee's stage, days waited and open requests (see models/progress.py)."""
        from .progress import annotate_mentee_progress

        return annotate_mentee_progress(self, now)


class MenteeMembership(Membership):
    """A mentee's application to a programme, and the managers' decision on it."""

    event_field = "mentee_membership"

    class Status(models.TextChoices):
        APPLIED = "applied", "Waiting for a decision"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Not accepted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="mentee_memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee_memberships"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPLIED)
    application_note = models.TextField(
        "why you want to join",
        max_length=1000,
        blank=True,
    )
    intake_notes = models.TextField(
        "interview and intake notes",
        blank=True,
        help_text="Only this programme's managers can see these notes.",
    )

    objects = MenteeMembershipQuerySet.as_manager()

    class Meta(Membership.Meta):
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="one_mentee_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.programme} ({self.get_status_display()})"


class MentorMembershipQuerySet(models.QuerySet["MentorMembership"]):
    def approved(self) -> MentorMembershipQuerySet:
        return self.filter(status=MentorMembership.Status.APPROVED)


class MentorMembership(Membership):
    """A mentor in a programme: invited by a manager or applied, and vetted before mentees see
    them (GMC registration, role)."""

    event_field = "mentor_membership"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        APPLIED = "applied", "Waiting for vetting"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Not approved"
        REMOVED = "removed", "Removed"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="mentor_memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_memberships"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPLIED)
    vetting_notes = models.TextField(
        blank=True, help_text="Only this programme's managers can see these notes."
    )

    objects = MentorMembershipQuerySet.as_manager()

    class Meta(Membership.Meta):
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="one_mentor_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} mentoring in {self.programme} ({self.get_status_display()})"
