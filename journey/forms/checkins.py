"""The check-in form: four short questions. It checks the input only; who may answer, and
when, is the service's rule."""

from __future__ import annotations

from django import forms

from ..models import CheckIn

SCORES = [
    ("5", "5: very well"),
    ("4", "4: well"),
    ("3", "3: all right"),
    ("2", "2: not very well"),
    ("1", "1: not well at all"),
]
FOR_TEAM_MAX_LENGTH = 2000


class HandledForm(forms.Form):
    note = forms.CharField(
        label="What was done (optional)",
        help_text=(
            "For the programme team only, for example: called both, they will meet fortnightly."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Say what was done in 1000 characters or fewer"},
    )


class CheckInForm(forms.Form):
    score = forms.TypedChoiceField(
        label="How is the mentorship going?",
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the mentorship is going",
            "invalid_choice": "Select how the mentorship is going",
        },
    )
    meeting_as_agreed = forms.ChoiceField(
        label="Are you meeting as you agreed?",
        choices=CheckIn.MeetingAsAgreed.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you are meeting as you agreed",
            "invalid_choice": "Select whether you are meeting as you agreed",
        },
    )
    for_programme_team = forms.CharField(
        label="Is there anything the programme team should know? (optional)",
        required=False,
        max_length=FOR_TEAM_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"Your answer must be {FOR_TEAM_MAX_LENGTH} characters or fewer"
        },
    )
    not_a_good_fit = forms.BooleanField(
        label="This mentorship is not a good fit",
        required=False,
        help_text="It happens, and it is nobody's fault. The programme team will contact you "
        "to talk about what to do next.",
    )
