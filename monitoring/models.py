"""Equality monitoring answers and outcome surveys.

Both are kept apart from the profile: one row per person (or per survey) that points at
the user, never the other way round, so nothing that loads a profile (the matching engine,
the directory, the managers' lists) ever reaches them. They are read only as aggregates
(monitoring/aggregates.py), except by the person themselves.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFER_NOT_TO_SAY = "prefer_not_to_say"
PREFER_NOT_TO_SAY_LABEL = "Prefer not to say"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


# The ethnic groups of the 2021 Census of England and Wales, as NHS England records them:
# five high-level groups, each with its detailed categories. The codes are stored: never
# rename or remove one.
ETHNIC_GROUPS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "asian",
        "Asian or Asian British",
        [
            ("asian_indian", "Indian"),
            ("asian_pakistani", "Pakistani"),
            ("asian_bangladeshi", "Bangladeshi"),
            ("asian_chinese", "Chinese"),
            ("asian_other", "Any other Asian background"),
        ],
    ),
    (
        "black",
        "Black, Black British, Caribbean or African",
        [
            ("black_caribbean", "Caribbean"),
            ("black_african", "African"),
            ("black_other", "Any other Black, Black British or Caribbean background"),
        ],
    ),
    (
        "mixed",
        "Mixed or multiple ethnic groups",
        [
            ("mixed_white_black_caribbean", "White and Black Caribbean"),
            ("mixed_white_black_african", "White and Black African"),
            ("mixed_white_asian", "White and Asian"),
            ("mixed_other", "Any other Mixed or multiple ethnic background"),
        ],
    ),
    (
        "white",
        "White",
        [
            ("white_british", "English, Welsh, Scottish, Northern Irish or British"),
            ("white_irish", "Irish"),
            ("white_gypsy_traveller", "Gypsy or Irish Traveller"),
            ("white_roma", "Roma"),
            ("white_other", "Any other White background"),
        ],
    ),
    (
        "other",
        "Other ethnic group",
        [
            ("other_arab", "Arab"),
            ("other_any", "Any other ethnic group"),
        ],
    ),
]
ETHNICITY_CHOICES: list[tuple[str, str]] = [
    (code, f"{group_label}: {label}")
    for _group, group_label, categories in ETHNIC_GROUPS
    for code, label in categories
] + [(PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL)]
# Detailed category -> high-level group code; the reports group by the high-level group.
ETHNIC_GROUP_OF: dict[str, str] = {
    code: group for group, _label, categories in ETHNIC_GROUPS for code, _ in categories
}
ETHNIC_GROUP_LABELS: dict[str, str] = {group: label for group, label, _ in ETHNIC_GROUPS}


class Disability(models.TextChoices):
    """The Equality Act 2010 definition, asked as one question."""

    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class EqualityAnswersQuerySet(models.QuerySet["EqualityAnswers"]):
    def of(self, user) -> EqualityAnswersQuerySet:
        """The person's own answers: the only per-person read there is."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class EqualityAnswers(models.Model):
    """One person's optional equality monitoring answers. Every question may be left blank
    ("not answered") or answered "prefer not to say"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="equality_answers"
    )
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(max_length=40, choices=ETHNICITY_CHOICES, blank=True)
    disability = models.CharField(max_length=20, choices=Disability.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EqualityAnswersQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "equality answers"

    def __str__(self) -> str:
        # Never the answers themselves: this string may reach a log or the admin.
        return f"Equality answers #{self.pk}"


class OutcomeSurveyQuerySet(models.QuerySet["OutcomeSurvey"]):
    def of(self, user) -> OutcomeSurveyQuerySet:
        """The mentee's own surveys."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(mentee=user)

    def answered(self) -> OutcomeSurveyQuerySet:
        return self.filter(status=OutcomeSurvey.Status.ANSWERED)

    def still_open(self, today: datetime.date | None = None) -> OutcomeSurveyQuerySet:
        """Open and within their 60 days (the daily job may not have closed one yet)."""
        today = today or timezone.localdate()
        since = today - datetime.timedelta(days=OutcomeSurvey.ANSWER_WITHIN_DAYS - 1)
        return self.filter(status=OutcomeSurvey.Status.OPEN, due_on__gte=since)

    def in_programme(self, programme) -> OutcomeSurveyQuerySet:
        return self.filter(mentorship__programme=programme)


class OutcomeSurvey(models.Model):
    """Three short questions to the mentee, six and twelve months after a mentorship ends."""

    ANSWER_WITHIN_DAYS = 60

    class Wave(models.IntegerChoices):
        SIX_MONTHS = 6, "6 months"
        TWELVE_MONTHS = 12, "12 months"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for an answer"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed without an answer"

    class InNHS(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        PREFER_NOT = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL

    class Training(models.TextChoices):
        IN_POST = "in_post", "Yes, I am in a training post"
        APPLYING = "applying", "I am applying for one"
        NEITHER = "neither", "Neither"
        PREFER_NOT = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL

    class Helped(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    mentorship = models.ForeignKey(
        "mentorship.Mentorship", on_delete=models.CASCADE, related_name="outcome_surveys"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_surveys"
    )
    wave = models.PositiveSmallIntegerField(choices=Wave.choices)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    still_in_nhs = models.CharField(max_length=20, choices=InNHS.choices, blank=True)
    training = models.CharField(max_length=20, choices=Training.choices, blank=True)
    helped = models.CharField(max_length=10, choices=Helped.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OutcomeSurveyQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "wave"], name="one_survey_per_wave")
        ]

    def __str__(self) -> str:
        return f"{self.get_wave_display()} outcome survey #{self.pk}"

    @property
    def closes_on(self) -> datetime.date:
        """The last day it can be answered."""
        return self.due_on + datetime.timedelta(days=self.ANSWER_WITHIN_DAYS - 1)

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and today <= self.closes_on
