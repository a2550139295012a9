"""Cohort match runs: a manager runs the engine over a programme's unmatched mentees, then
reviews, approves and exports the proposals. The rules live in matching/runs/."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# A queued run that no worker has started within this long will not be started: the queue
# lost it or no worker is running. It is marked failed and no longer blocks a new run.
START_WITHIN = timedelta(minutes=10)


def heartbeat_every() -> timedelta:
    """How often a worker running a match run records that it is alive."""
    return timedelta(seconds=settings.MATCH_RUN_HEARTBEAT_SECONDS)


def worker_gone_after() -> timedelta:
    """No heartbeat for this long: the worker was killed (a hard kill skips the task's own
    error handling), so the run is marked failed and no longer blocks a new run."""
    return timedelta(seconds=settings.MATCH_RUN_WORKER_GONE_SECONDS)


class MatchRunQuerySet(models.QuerySet["MatchRun"]):
    def managed_by(self, user) -> MatchRunQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(programme__managers=user)

    def in_progress(self, now: datetime | None = None) -> MatchRunQuerySet:
        """Queued recently, or running with a recent heartbeat: a worker may still be on it."""
        now = now or timezone.now()
        return self.filter(
            Q(status=MatchRun.Status.QUEUED, created_at__gt=now - START_WITHIN)
            | Q(status=MatchRun.Status.RUNNING, heartbeat_at__gt=now - worker_gone_after())
        )

    def abandoned(self, now: datetime | None = None) -> MatchRunQuerySet:
        """Queued or running, but no worker is on it any more (see in_progress)."""
        now = now or timezone.now()
        return self.filter(
            Q(status=MatchRun.Status.QUEUED, created_at__lte=now - START_WITHIN)
            | Q(status=MatchRun.Status.RUNNING, heartbeat_at__isnull=True)
            | Q(status=MatchRun.Status.RUNNING, heartbeat_at__lte=now - worker_gone_after())
        )


class MatchRun(models.Model):
    class Method(models.TextChoices):
        OPTIMAL = "optimal", "Optimal: match as many mentees as possible, with the best total score"
        STABLE = "stable", "Stable: nobody is passed over for someone a mentor scored lower"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    programme = models.ForeignKey(
        "mentorship.Programme", on_delete=models.CASCADE, related_name="match_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(max_length=20, choices=Method.choices)
    weights = models.JSONField(
        default=dict, help_text="The programme's matching weights when the run started."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True, help_text="What went wrong, for the administrator.")
    load_seconds = models.FloatField(null=True, blank=True)
    assign_seconds = models.FloatField("score and assign seconds", null=True, blank=True)
    save_seconds = models.FloatField(null=True, blank=True)
    mentee_count = models.PositiveIntegerField("mentees waiting", default=0)
    mentor_count = models.PositiveIntegerField("mentors with a free place", default=0)
    place_count = models.PositiveIntegerField("free places", default=0)
    matched_count = models.PositiveIntegerField(default=0)
    unmatched_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker running it last said it was alive."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = MatchRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["programme", "status", "created_at"])]

    def __str__(self) -> str:
        return f"Match run {self.pk} for {self.programme} ({self.get_status_display()})"

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.FAILED)

    @property
    def total_seconds(self) -> float | None:
        parts = (self.load_seconds, self.assign_seconds, self.save_seconds)
        return None if None in parts else sum(parts)


class MatchProposal(models.Model):
    """One mentee's outcome in a run: a proposed mentor with the score and reasons, or no
    mentor and why not."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        FAILED = "failed", "Could not approve"
        UNMATCHED = "unmatched", "No mentor"

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # The mentee's target specialty as it was in the run (for the review page and the CSV).
    target_specialty = models.CharField(max_length=200, blank=True)
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    unmatched_reason = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    message = models.TextField(blank=True, help_text="Why approving it did not work.")
    request = models.ForeignKey(
        "mentorship.MentorRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    bulk_approval = models.ForeignKey(
        "BulkApproval",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The background approval that last tried it (so it tries each only once).",
    )

    class Meta:
        ordering = [models.F("score").desc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="one_proposal_per_mentee"),
            models.CheckConstraint(
                name="proposal_never_pairs_someone_with_themself",
                condition=Q(mentor__isnull=True) | ~Q(mentee=models.F("mentor")),
            ),
            models.CheckConstraint(
                name="unmatched_proposal_has_no_mentor",
                condition=Q(status="unmatched", mentor__isnull=True)
                | (~Q(status="unmatched") & Q(mentor__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        if self.mentor_id is None:
            return f"{self.mentee}: no mentor"
        return f"{self.mentee} with {self.mentor} ({self.get_status_display()})"

    @property
    def may_be_approved(self) -> bool:
        return self.status in (self.Status.PROPOSED, self.Status.FAILED)


class BulkApprovalQuerySet(models.QuerySet["BulkApproval"]):
    def open(self) -> BulkApprovalQuerySet:
        """Waiting for a worker or being worked on: not finished, not failed."""
        return self.filter(status__in=[BulkApproval.Status.QUEUED, BulkApproval.Status.RUNNING])

    def stalled(self, now: datetime | None = None) -> BulkApprovalQuerySet:
        """Open, but with no heartbeat for too long: its worker is gone, or its task was lost."""
        now = now or timezone.now()
        return self.open().filter(heartbeat_at__lte=now - worker_gone_after())


class BulkApproval(models.Model):
    """Approving many of a run's proposals in the background, a batch at a time, each batch
    its own transaction (matching/runs/bulk_approval.py). At most one is open per run."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Approving"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Stopped"

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="bulk_approvals")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The manager who asked; each request is approved in their name.",
    )
    proposal_ids = models.JSONField(
        null=True, blank=True, help_text="The proposals chosen; empty means all of the run's."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0, help_text="Proposals to approve at the start.")
    approved_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField("could not approve", default=0)
    progress = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True, help_text="What went wrong, for the administrator.")
    claim = models.CharField(
        max_length=32, blank=True, help_text="The worker's claim; a batch under another is refused."
    )
    restarts = models.PositiveSmallIntegerField(
        default=0, help_text="Times it was taken over after its worker stopped responding."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last batch saved, or last handed to a worker."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = BulkApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A second click while one is under way can never start a second one.
            models.UniqueConstraint(
                fields=["run"],
                condition=Q(status__in=["queued", "running"]),
                name="one_open_bulk_approval_per_run",
            )
        ]

    def __str__(self) -> str:
        return f"Bulk approval {self.pk} for match run {self.run_id} ({self.get_status_display()})"

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.FAILED)

    @property
    def done_count(self) -> int:
        return self.approved_count + self.failed_count
