"""Check-ins: at the points the programme sets, each person answers a short private
question set. Answers go to the programme team only; a low score or "not a good fit"
alerts the managers at once."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# A score at or below this alerts the programme's managers.
LOW_SCORE = 2


class CheckInQuerySet(models.QuerySet["CheckIn"]):
    def answered(self) -> CheckInQuerySet:
        return self.filter(answered_at__isnull=False)

    def open(self) -> CheckInQuerySet:
        return self.filter(answered_at__isnull=True)

    def alerting(self) -> CheckInQuerySet:
        """Answered with a low score or "not a good fit"."""
        return self.answered().filter(
            models.Q(score__lte=LOW_SCORE) | models.Q(not_a_good_fit=True)
        )

    def not_handled(self) -> CheckInQuerySet:
        """Not yet marked as dealt with by the programme team."""
        return self.filter(handled_at__isnull=True)


class CheckIn(models.Model):
    class MeetingAsAgreed(models.TextChoices):
        YES = "yes", "Yes"
        MOSTLY = "mostly", "Mostly"
        NO = "no", "No"

    mentorship = models.ForeignKey(
        "mentorship.Mentorship", on_delete=models.CASCADE, related_name="check_ins"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    point = models.CharField(max_length=10, help_text='The programme\'s point: "+14", "half"…')
    due_on = models.DateField()
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    meeting_as_agreed = models.CharField(max_length=10, choices=MeetingAsAgreed.choices, blank=True)
    for_programme_team = models.TextField(blank=True)
    not_a_good_fit = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    # The programme team marks an alert as dealt with (so it leaves "needs attention").
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_note = models.TextField("what was done", max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "person", "point"], name="one_check_in_per_point"
            )
        ]

    def __str__(self) -> str:
        return f"Check-in due {self.due_on}"

    @property
    def alert_reasons(self) -> list[str]:
        """Why this answer alerts the programme team, in words ("says it is not a good fit",
        "scored 2 out of 5"); empty when it does not. The rule `alerting()` filters by."""
        if self.answered_at is None:
            return []
        reasons = []
        if self.not_a_good_fit:
            reasons.append("says it is not a good fit")
        if self.score is not None and self.score <= LOW_SCORE:
            reasons.append(f"scored {self.score} out of 5")
        return reasons

    @property
    def is_alerting(self) -> bool:
        return bool(self.alert_reasons)
