"""People a mentee must not be matched with (their supervisor, line manager, someone from
their own department): a hard rule like "never self". Only the mentee sees who and why;
managers see that an exclusion exists."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class ExclusionQuerySet(models.QuerySet["Exclusion"]):
    def pairs(self, mentee_ids=None) -> list[tuple[int, int]]:
        """(mentee, mentor) user id pairs the engine and the services must never make, for
        the given mentees (all when None). Matched on the excluded person's email address,
        so naming someone before they join still counts once they do."""
        from accounts.models import User

        rows = self if mentee_ids is None else self.filter(mentee_id__in=list(mentee_ids))
        by_email: dict[str, list[int]] = {}
        for mentee_id, email in rows.values_list("mentee_id", "email"):
            by_email.setdefault(email, []).append(mentee_id)
        if not by_email:
            return []
        people = (
            User.objects.annotate(lower_email=Lower("email"))
            .filter(lower_email__in=list(by_email))
            .values_list("pk", "lower_email")
        )
        return [(mentee_id, pk) for pk, email in people for mentee_id in by_email[email]]

    def excludes(self, mentee, mentor) -> bool:
        return self.filter(mentee=mentee, email=mentor.email.lower()).exists()


class Exclusion(models.Model):
    class Reason(models.TextChoices):
        SUPERVISOR = "supervisor", "My educational or clinical supervisor"
        LINE_MANAGER = "line_manager", "My line manager"
        DEPARTMENT = "department", "Someone from my own department"
        OTHER = "other", "Another reason"

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exclusions"
    )
    name = models.CharField("their name", max_length=200)
    email = models.EmailField("their work email address")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExclusionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["mentee", "email"], name="exclude_a_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} excludes someone"

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)
