"""Forms for the mentoring agreement and its goals. Each checks only the input; who may
change what, and when, is journey/services/agreements.py's business."""

from __future__ import annotations

from typing import Any

from django import forms

from mentorship.models import MeetingCadence

from ..models import AgreedGoal
from ..services.agreements import (
    GOAL_MAX_LENGTH,
    MAX_GOALS,
    MAX_WEEKS,
    REFLECTION_MAX_LENGTH,
    TEXT_MAX_LENGTH,
)

# Empty lines below the goals, for adding new ones.
SPARE_LINES = 3


def _textarea(label: str, help_text: str, *, required_message: str = "") -> forms.CharField:
    errors = {"max_length": f"Keep this to {TEXT_MAX_LENGTH} characters or fewer"}
    if required_message:
        errors["required"] = required_message
    return forms.CharField(
        label=label,
        required=bool(required_message),
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=errors,
    )


class AgreementForm(forms.Form):
    """The agreement: goals as editable lines (with room to add), then how and how often
    you meet, what is confidential, and how either of you can end it."""

    cadence = forms.ChoiceField(
        label="How often will you meet?",
        choices=MeetingCadence.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how often you will meet",
            "invalid_choice": "Choose how often you will meet from the list",
        },
    )
    duration_weeks = forms.IntegerField(
        label="For how many weeks?",
        min_value=1,
        max_value=MAX_WEEKS,
        help_text="The programme suggests a length; agree what suits you both.",
        error_messages={
            "required": "Enter a number of weeks",
            "invalid": "Enter the number of weeks as a number, like 16",
            "min_value": f"Enter a number of weeks between 1 and {MAX_WEEKS}",
            "max_value": f"Enter a number of weeks between 1 and {MAX_WEEKS}",
        },
    )
    how_we_meet = _textarea(
        "How will you meet? (optional)",
        "Only the two of you see this. For example: an hour on Tuesday mornings, by video, "
        "with shadowing at clinics and board meetings.",
    )
    confidentiality = _textarea(
        "What is confidential, and its limits",
        "Only the two of you see this wording. The programme team sees that the agreement "
        "exists, who confirmed it and when, and how often you meet.",
        required_message="Say what stays between you, and its limits",
    )
    ending = _textarea(
        "How either of you can end it",
        "Only the two of you see this.",
        required_message="Say how either of you can end the mentorship",
    )

    def __init__(self, *args: Any, goal_count: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lines = min(MAX_GOALS, max(goal_count + SPARE_LINES, 5))
        if self.is_bound:
            # However many lines the page had, read them all (up to the most allowed).
            lines = MAX_GOALS
        goal_fields = {
            f"goal_{n}": forms.CharField(
                label=f"Goal {n}",
                required=False,
                max_length=GOAL_MAX_LENGTH,
                error_messages={
                    "max_length": f"Goal {n} must be {GOAL_MAX_LENGTH} characters or fewer"
                },
            )
            for n in range(1, lines + 1)
        }
        # Goals first, in the order of the page.
        self.fields = {**goal_fields, **self.fields}

    @classmethod
    def initial_from(cls, defaults: dict[str, Any]) -> dict[str, Any]:
        initial = {k: v for k, v in defaults.items() if k != "goals"}
        for n, line in enumerate(defaults["goals"][:MAX_GOALS], start=1):
            initial[f"goal_{n}"] = line.text
        return initial

    def goal_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("goal_")]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("goal_")]

    def goal_lines(self) -> list[str]:
        lines = (self.cleaned_data.get(f.name) or "" for f in self.goal_fields())
        return [" ".join(line.split()) for line in lines if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(f.name, "").strip() for f in self.goal_fields()) and not any(
            self[f.name].errors for f in self.goal_fields()
        ):
            self.add_error("goal_1", "Enter at least one goal to work on")
        return data


class GoalProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="How is this goal going?",
        choices=AgreedGoal.Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how the goal is going",
            "invalid_choice": "Choose how the goal is going from the list",
        },
    )
    reflection = forms.CharField(
        label="Your reflection (optional)",
        required=False,
        max_length=REFLECTION_MAX_LENGTH,
        help_text="A few lines on what you have done and learnt. Only the two of you see "
        "this; it can be evidence for your appraisal or portfolio.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": f"Keep your reflection to {REFLECTION_MAX_LENGTH} characters or fewer"
        },
    )
