"""The mentee's list of people who must not be their mentor."""

from __future__ import annotations

from django import forms

from ..models import Exclusion


class ExclusionForm(forms.ModelForm):
    class Meta:
        model = Exclusion
        fields = ["name", "email", "reason"]
        labels = {
            "name": "Their name",
            "email": "Their work email address",
            "reason": "Why must they not be your mentor?",
        }
        help_texts = {
            "email": "We use it to recognise them, now or if they join later. We never "
            "contact them.",
            "reason": "Only you can see who you named and why. The programme team sees only "
            "that you have named someone.",
        }
        widgets = {"reason": forms.RadioSelect}
        error_messages = {
            "name": {
                "required": "Enter their name",
                "max_length": "Enter 200 characters or fewer",
            },
            "email": {
                "required": "Enter their work email address",
                "invalid": "Enter an email address in the correct format, like name@example.org",
            },
            "reason": {"required": "Select a reason", "invalid_choice": "Select a reason"},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = Exclusion.Reason.choices  # no blank "---------" radio
