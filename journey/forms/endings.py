"""The feedback form at the end of a mentorship (one for the mentee, worded for the mentor
when the mentor gives it) and the certificate verification form."""

from __future__ import annotations

from typing import Any

from django import forms

from mentorship.models import Mentorship

from ..models import ATTRIBUTES, MENTORSHIP_FUNCTIONS, Feedback
from ..services.endings import NOT_APPLICABLE, RATINGS, WHAT_CHANGED

NA = "na"
RATING_CHOICES = [(str(value), label) for value, label in RATINGS] + [(NA, NOT_APPLICABLE)]

# A question for each attribute: the mentee about themselves, the mentor about the mentee.
ATTRIBUTE_HINTS = {
    "inquisitive": (
        "When did you ask questions or follow your curiosity?",
        "How did they ask questions or follow their curiosity?",
    ),
    "humble": (
        "When did you ask for help or take feedback on board?",
        "How did they ask for help or take feedback on board?",
    ),
    "proactive": (
        "When did you take the lead or make something happen?",
        "How did they take the lead or make something happen?",
    ),
    "adaptable": (
        "When did you change your approach or adapt to something new?",
        "How did they change their approach or adapt to something new?",
    ),
    "grateful": (
        "How did you show your appreciation?",
        "How did they show their appreciation?",
    ),
}


class FeedbackForm(forms.Form):
    what_changed = forms.MultipleChoiceField(
        label="What changed because of the mentorship?",
        help_text="Select all that apply.",
        choices=WHAT_CHANGED,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    what_changed_detail = forms.CharField(
        label="Tell us more about what changed (optional)",
        help_text="For example, which career path, which application or which project.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    would_recommend = forms.ChoiceField(
        label="Would you recommend the programme to a colleague?",
        choices=Feedback.Recommend.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you would recommend the programme"},
    )
    comment = forms.CharField(
        label="Anything else you would like to tell the programme team? (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    shared_with_other = forms.BooleanField(required=False)

    def __init__(self, *args: Any, mentorship: Mentorship, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.as_mentee = person.pk == mentorship.mentee_id
        other = mentorship.other_party(person)
        self.other = other
        ask = "how much the mentorship gave you" if self.as_mentee else "how much you gave"
        for code, label in MENTORSHIP_FUNCTIONS:
            self.fields[f"function_{code}"] = forms.ChoiceField(
                label=label,
                choices=RATING_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select {ask} in {label.lower()}, or not applicable"},
            )
        for code, label in ATTRIBUTES:
            mentee_hint, mentor_hint = ATTRIBUTE_HINTS[code]
            self.fields[f"reflection_{code}"] = forms.CharField(
                label=label,
                help_text=mentee_hint if self.as_mentee else mentor_hint,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=1000,
                required=False,
            )
        share = self.fields["shared_with_other"]
        share.label = f"Share my feedback with {other.full_name}"
        share.help_text = "If you leave this unticked, only the programme team sees your feedback."
        # Put the generic questions after the functions and attributes, in the page's order.
        self.order_fields(
            [f"function_{c}" for c, _ in MENTORSHIP_FUNCTIONS]
            + [f"reflection_{c}" for c, _ in ATTRIBUTES]
        )

    @property
    def function_fields(self) -> list[forms.BoundField]:
        return [self[f"function_{code}"] for code, _ in MENTORSHIP_FUNCTIONS]

    @property
    def reflection_fields(self) -> list[forms.BoundField]:
        return [self[f"reflection_{code}"] for code, _ in ATTRIBUTES]

    @property
    def closing_fields(self) -> list[forms.BoundField]:
        names = ["what_changed", "what_changed_detail", "would_recommend", "comment"]
        return [self[name] for name in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "other" in data.get("what_changed", []) and not data.get("what_changed_detail"):
            self.add_error("what_changed_detail", "Tell us what else changed")
        return data

    def answers(self) -> dict[str, Any]:
        """The cleaned answers as give_feedback takes them."""
        data = self.cleaned_data
        ratings = {}
        for code, _ in MENTORSHIP_FUNCTIONS:
            value = data[f"function_{code}"]
            ratings[code] = None if value == NA else int(value)
        return {
            "function_ratings": ratings,
            "attribute_reflections": {code: data[f"reflection_{code}"] for code, _ in ATTRIBUTES},
            "what_changed": data["what_changed"],
            "what_changed_detail": data["what_changed_detail"],
            "would_recommend": data["would_recommend"],
            "comment": data["comment"],
            "shared_with_other": data["shared_with_other"],
        }


class VerifyCertificateForm(forms.Form):
    code = forms.CharField(
        label="Verification code",
        help_text="12 letters and numbers printed on the certificate, like ABCD-EFGH-JK23.",
        max_length=40,
        error_messages={"required": "Enter the verification code from the certificate"},
    )
