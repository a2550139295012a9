"""Mentor requests: a mentee asks a mentor; every transition is recorded as an event.

pending -> accepted (mentor) -> approved (manager: a mentorship starts) | rejected (manager)
pending -> declined (mentor) | more_info_requested (mentor) -> pending (mentee answers)
pending / more_info_requested / accepted -> withdrawn (mentee)
pending / more_info_requested -> expired (periodic job)

A request proposed by a cohort match run is approved by the manager up front
(`manager_approved_at`), so the mentor's acceptance starts the mentorship at once.

An accepted request, and a proposal waiting for the mentor, hold one of the mentor's places
until it is decided (HOLDS_A_PLACE), so an approval never fails for want of a place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .events import LoggedModel

MESSAGE_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 1000


class MentorRequestQuerySet(models.QuerySet["MentorRequest"]):
    def open(self) -> MentorRequestQuerySet:
        return self.filter(status__in=MentorRequest.OPEN_STATUSES)

    def proposals(self) -> MentorRequestQuerySet:
        """Requests a manager approved up front: match-run proposals."""
        return self.filter(manager_approved_at__isnull=False)

    def holding_places(self) -> MentorRequestQuerySet:
        """Requests that hold one of the mentor's places: accepted and waiting for a
        manager's approval, or approved by a manager and waiting for the mentor."""
        return self.filter(MentorRequest.HOLDS_A_PLACE)

    def declined_in(self, programme) -> MentorRequestQuerySet:
        """Declined in this programme: the mentor is never suggested, proposed or asked
        again by that mentee there."""
        return self.filter(programme=programme, status=MentorRequest.Status.DECLINED)

    def declined_pairs(self) -> list[tuple[int, int]]:
        """(mentee, mentor) user id pairs, for the matching engine's exclusions."""
        return list(self.values_list("mentee_id", "mentor_id").distinct())

    def for_mentee(self, user) -> MentorRequestQuerySet:
        return self.filter(mentee=user) if user.is_authenticated else self.none()

    def for_mentor(self, user) -> MentorRequestQuerySet:
        return self.filter(mentor=user) if user.is_authenticated else self.none()

    def managed_by(self, user) -> MentorRequestQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(programme__managers=user)

    def visible_to(self, user) -> MentorRequestQuerySet:
        """The mentee, the mentor and the programme's managers; nobody else."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(mentee=user) | Q(mentor=user) | Q(programme__managers=user)).distinct()


class MentorRequest(LoggedModel):
    event_field = "request"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the mentor"
        MORE_INFO = "more_info_requested", "Mentor asked a question"
        ACCEPTED = "accepted", "Waiting for approval"
        APPROVED = "approved", "Matched"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REJECTED = "rejected", "Not approved"
        EXPIRED = "expired", "Expired"

    class DeclineReason(models.TextChoices):
        NO_TIME = "no_time", "I do not have time at the moment"
        EXPERTISE = "expertise", "I am not the right person for these goals"
        ANOTHER_MENTOR = "another_mentor", "Another mentor would suit you better"
        OTHER = "other", "Another reason"

    OPEN_STATUSES = (Status.PENDING, Status.MORE_INFO, Status.ACCEPTED)
    WAITING_FOR_MENTOR = (Status.PENDING, Status.MORE_INFO)
    ENDED_WITHOUT_A_MATCH = (Status.DECLINED, Status.EXPIRED, Status.REJECTED, Status.WITHDRAWN)
    # The one definition of a held place (see MentorProfileQuerySet.with_free_places).
    HOLDS_A_PLACE = Q(status=Status.ACCEPTED) | Q(
        status__in=WAITING_FOR_MENTOR, manager_approved_at__isnull=False
    )

    programme = models.ForeignKey(
        "mentorship.Programme", on_delete=models.PROTECT, related_name="requests"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="requests_made"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="requests_received"
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH, blank=True)
    # The match as it was when the mentee asked: later profile changes do not rewrite it.
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    question = models.TextField("mentor's question", max_length=NOTE_MAX_LENGTH, blank=True)
    answer = models.TextField("mentee's answer", max_length=NOTE_MAX_LENGTH, blank=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    decline_note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    rejection_reason = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    manager_approved_at = models.DateTimeField(null=True, blank=True)
    manager_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentorRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["programme", "status", "updated_at"]),
        ]
        constraints = [
            # A database guarantee behind the service's rule: one open request per pair.
            models.UniqueConstraint(
                fields=["programme", "mentee", "mentor"],
                condition=Q(status__in=["pending", "more_info_requested", "accepted"]),
                name="one_open_request_per_pair",
            ),
            models.CheckConstraint(
                name="nobody_requests_themself", condition=~Q(mentee=models.F("mentor"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} asked {self.mentor} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def decline_reason_text(self) -> str:
        """What the mentee reads: the chosen reason, or only the note for "another reason"."""
        if self.decline_reason == self.DeclineReason.OTHER:
            return self.decline_note
        return self.get_decline_reason_display()

    @property
    def is_proposal(self) -> bool:
        """Proposed by a match run and approved by a manager before the mentor answers."""
        return self.manager_approved_at is not None

    @property
    def holds_place(self) -> bool:
        """In memory, the same rule as HOLDS_A_PLACE."""
        return self.status == self.Status.ACCEPTED or (
            self.status in self.WAITING_FOR_MENTOR and self.is_proposal
        )
