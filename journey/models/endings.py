"""Changing course and ending well: extending the planned end, feedback from both people,
and a certificate each with a verification code."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

# The mentorship functions and attributes programme managers use in their reports.
MENTORSHIP_FUNCTIONS = [
    ("teaching", "Teaching"),
    ("socialising", "Socialising"),
    ("providing_opportunity", "Providing opportunity"),
    ("sponsoring", "Sponsoring"),
    ("coaching", "Coaching"),
    ("guiding", "Guiding"),
    ("protecting", "Protecting"),
    ("advising_counselling", "Advising and counselling"),
    ("encouraging", "Encouraging"),
    ("inspiring", "Inspiring"),
    ("challenging", "Challenging"),
    ("role_modelling", "Role modelling"),
    ("supporting", "Supporting"),
    ("befriending", "Befriending"),
]
ATTRIBUTES = [
    ("inquisitive", "Inquisitive"),
    ("humble", "Humble"),
    ("proactive", "Proactive"),
    ("adaptable", "Adaptable"),
    ("grateful", "Grateful"),
]


class Extension(models.Model):
    """A proposal to move the planned end; the other person agrees (or a manager decides)."""

    mentorship = models.ForeignKey(
        "mentorship.Mentorship", on_delete=models.CASCADE, related_name="extensions"
    )
    new_end_on = models.DateField()
    reason = models.CharField(max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    agreed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"Extend to {self.new_end_on}"


class Feedback(models.Model):
    """One person's feedback at the end. Private to the programme team unless the person
    shares it with the other."""

    class Recommend(models.TextChoices):
        YES = "yes", "Yes"
        MAYBE = "maybe", "Maybe"
        NO = "no", "No"

    mentorship = models.ForeignKey(
        "mentorship.Mentorship", on_delete=models.CASCADE, related_name="feedback"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # {function code: 0-4} over MENTORSHIP_FUNCTIONS (the mentee's view; the mentor's too).
    function_ratings = models.JSONField(default=dict, blank=True)
    # {attribute code: short reflection} over ATTRIBUTES.
    attribute_reflections = models.JSONField(default=dict, blank=True)
    what_changed = models.JSONField(default=list, blank=True)
    what_changed_detail = models.TextField(blank=True)
    would_recommend = models.CharField(max_length=10, choices=Recommend.choices)
    comment = models.TextField(blank=True)
    shared_with_other = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "person"], name="one_feedback_per_person")
        ]

    def __str__(self) -> str:
        return f"Feedback on mentorship {self.mentorship_id}"


def new_verification_code() -> str:
    """12 characters from an alphabet without look-alikes, shown as XXXX-XXXX-XXXX."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Certificate(models.Model):
    """A record of a completed mentorship for one person, as it stood when issued, with a
    code that the programme's page checks."""

    mentorship = models.ForeignKey(
        "mentorship.Mentorship", on_delete=models.PROTECT, related_name="certificates"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=12, unique=True, default=new_verification_code)
    issued_at = models.DateTimeField(auto_now_add=True)
    # What the certificate says, fixed when it is issued.
    programme_name = models.CharField(max_length=200)
    mentee_name = models.CharField(max_length=200)
    mentor_name = models.CharField(max_length=200)
    started_on = models.DateField()
    ended_on = models.DateField()
    meetings = models.PositiveIntegerField()
    confirmed_minutes = models.PositiveIntegerField()
    goals = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "person"], name="one_certificate_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Certificate {self.display_code}"

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, 12, 4))
