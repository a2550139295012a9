"""Onboarding, programme applications, managers' decisions and the directory filters."""

from __future__ import annotations

from django import forms

from ..models import (
    Format,
    Goal,
    MenteeMembership,
    Region,
    Specialty,
)
from .fields import CodeChoiceField


class RolesForm(forms.Form):
    ROLE_CHOICES = [
        ("mentee", "I want a mentor"),
        ("mentor", "I want to mentor"),
        ("both", "Both"),
    ]
    role = forms.ChoiceField(
        label="How do you want to take part?",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how you want to take part",
            "invalid_choice": "Select how you want to take part",
        },
    )


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = MenteeMembership
        fields = ["application_note"]
        labels = {"application_note": "Why do you want to join? (optional)"}
        help_texts = {"application_note": "The programme team reads this before they meet you."}
        widgets = {"application_note": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "application_note": {"max_length": "Keep this to 1000 characters or fewer"}
        }


class DecisionForm(forms.Form):
    """A manager's decision on an application, with private notes."""

    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("accept", "Accept"), ("decline", "Decline")],
        error_messages={"required": "Select accept or decline"},
    )
    reason = forms.CharField(
        label="If you decline, what should we tell them?",
        required=False,
        max_length=1000,
        help_text="They read this in an email and on their home page. Say what they can do "
        "next, for example apply again next year or try another programme.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep this to 1000 characters or fewer"},
    )
    notes = forms.CharField(
        label="Interview and intake notes (optional)",
        required=False,
        max_length=5000,
        help_text="Only this programme's managers can see these notes.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Keep notes to 5000 characters or fewer"},
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") in ("decline",) and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why, so that they know what to do next")
        return data


class MentorInviteForm(forms.Form):
    email = forms.EmailField(
        label="Mentor's email address",
        help_text="They need an account with a mentor profile.",
        error_messages={
            "required": "Enter the mentor's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


class DirectoryFilterForm(forms.Form):
    """The directory's filters (GET). An unknown code gets a message, not a crash."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="A name, specialty, goal or any word from their profile, like cardiology, GP "
        "or MRCP.",
    )
    specialty = CodeChoiceField(
        Specialty.objects.active(),
        noun="specialty",
        required=False,
        label="Specialty",
        empty_label="Any specialty",
    )
    region = CodeChoiceField(
        Region.objects.active(),
        noun="region",
        required=False,
        label="Region",
        empty_label="Any region",
    )
    goal = CodeChoiceField(
        Goal.objects.active(),
        noun="goal",
        required=False,
        label="Can help with",
        empty_label="Any goal",
    )
    format = forms.ChoiceField(
        label="Meets mentees",
        required=False,
        choices=[("", "Any way")] + Format.choices,
        error_messages={"invalid_choice": "Select a way to meet from the list"},
    )
    free_place = forms.BooleanField(label="Only mentors with a free place", required=False)
