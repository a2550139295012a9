"""Forms for raising and closing a concern. They check only the input; who may do what is
the service's rule."""

from __future__ import annotations

from django import forms

from ..models import Concern
from ..services.concerns import DETAILS_MAX_LENGTH, OUTCOME_MAX_LENGTH


class RaiseConcernForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is your concern about?",
        choices=Concern.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what your concern is about",
            "invalid_choice": "Select what your concern is about from the list",
        },
    )
    details = forms.CharField(
        label="Tell us about your concern",
        max_length=DETAILS_MAX_LENGTH,
        help_text="What happened, when, and who was involved. Only the programme team will "
        "read this.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Tell us about your concern",
            "max_length": f"Your concern must be {DETAILS_MAX_LENGTH} characters or fewer",
        },
    )


class CloseConcernForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome",
        max_length=OUTCOME_MAX_LENGTH,
        help_text="What was done. The person who raised the concern is emailed this and sees "
        "it on the mentorship page; the other person does not.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter the outcome",
            "max_length": f"The outcome must be {OUTCOME_MAX_LENGTH} characters or fewer",
        },
    )
