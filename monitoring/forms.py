"""The person's own equality answers, and the outcome survey."""

from __future__ import annotations

from django import forms

from .models import ETHNICITY_CHOICES, Disability, OutcomeSurvey, Sex


class EqualityForm(forms.Form):
    """Every question is optional: one left with no choice is saved as not answered;
    "prefer not to say" is an answer of its own (and counted as such). To take every answer
    back, the person deletes them (equality_delete)."""

    sex = forms.ChoiceField(
        label="What is your sex?",
        choices=Sex.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    ethnicity = forms.ChoiceField(
        label="What is your ethnic group?",
        help_text="The groups of the 2021 Census, as the NHS records them.",
        choices=ETHNICITY_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    disability = forms.ChoiceField(
        label="Do you consider yourself to have a disability?",
        help_text=(
            "The Equality Act 2010 says you are disabled if you have a physical or mental "
            "impairment that has a substantial and long-term negative effect on your ability "
            "to do normal daily activities."
        ),
        choices=Disability.choices,
        required=False,
        widget=forms.RadioSelect,
    )


class OutcomeSurveyForm(forms.Form):
    still_in_nhs = forms.ChoiceField(
        label="Are you still working in the NHS?",
        choices=OutcomeSurvey.InNHS.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you are still working in the NHS"},
    )
    training = forms.ChoiceField(
        label="Are you in a training post, or applying for one?",
        choices=OutcomeSurvey.Training.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you are in a training post or applying"},
    )
    helped = forms.ChoiceField(
        label="Did the mentorship help you?",
        choices=OutcomeSurvey.Helped.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the mentorship helped"},
    )
