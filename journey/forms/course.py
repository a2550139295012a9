"""Forms for changing course: a new planned end, a pause. They check the input, including
the date limits (journey/services/course.py says what they are), so a bad date is a form
error and nothing is saved."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from mentorship.models import Mentorship

from ..services.course import extension_problem, pause_problem

REASON_MAX_LENGTH = 300
PAUSE_REASON_MAX_LENGTH = 200


def _date(label: str, help_text: str, missing: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": missing, "invalid": "Enter a real date"},
    )


class ExtensionForm(forms.Form):
    new_end_on = _date(
        "New planned end",
        "Up to 52 weeks after the current planned end.",
        "Enter the new planned end date",
    )
    reason = forms.CharField(
        label="Why extend? (optional)",
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text="Both of you and the programme team see this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"Your reason must be {REASON_MAX_LENGTH} characters or fewer"
        },
    )

    def __init__(self, *args: Any, mentorship: Mentorship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mentorship = mentorship

    def clean_new_end_on(self) -> datetime.date:
        day = self.cleaned_data["new_end_on"]
        problem = extension_problem(self.mentorship, day)
        if problem:
            raise forms.ValidationError(problem)
        return day


class PauseForm(forms.Form):
    until = _date(
        "Pause until",
        "The last day of the pause, up to 12 weeks from today. Check-ins and reminders to "
        "meet start again the day after.",
        "Enter the date the pause ends",
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=PAUSE_REASON_MAX_LENGTH,
        help_text="For example, annual leave or exams. You do not need to give details. Both "
        "of you and the programme team see this.",
        error_messages={
            "max_length": f"Your reason must be {PAUSE_REASON_MAX_LENGTH} characters or fewer"
        },
    )

    def clean_until(self) -> datetime.date:
        day = self.cleaned_data["until"]
        problem = pause_problem(day)
        if problem:
            raise forms.ValidationError(problem)
        return day
