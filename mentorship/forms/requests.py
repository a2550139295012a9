"""Forms for mentor requests, approvals and mentorships. Each checks only the input: the
rules about who may do what, and when, live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from ..models import MentorRequest, Mentorship
from ..models.requests import MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH


def _text(
    label: str,
    *,
    required_message: str | None = None,
    too_long: str,
    max_length: int = NOTE_MAX_LENGTH,
    help_text: str = "",
    rows: int = 4,
) -> forms.CharField:
    """A textarea; optional unless `required_message` says what to enter."""
    errors = {"max_length": too_long}
    if required_message:
        errors["required"] = required_message
    return forms.CharField(
        label=label,
        required=bool(required_message),
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=errors,
    )


class RequestMentorForm(forms.Form):
    message = _text(
        "Message to the mentor (optional)",
        max_length=MESSAGE_MAX_LENGTH,
        too_long=f"Your message must be {MESSAGE_MAX_LENGTH} characters or fewer",
        help_text=f"Up to {MESSAGE_MAX_LENGTH} characters. Say what you hope to work on "
        "together. The mentor and your programme team see it, with your profile.",
    )


class AnswerForm(forms.Form):
    answer = _text(
        "Your answer",
        required_message="Enter your answer",
        too_long=f"Your answer must be {NOTE_MAX_LENGTH} characters or fewer",
        help_text="The mentor sees your answer with your request.",
    )


class QuestionForm(forms.Form):
    question = _text(
        "Your question",
        required_message="Enter your question",
        too_long=f"Your question must be {NOTE_MAX_LENGTH} characters or fewer",
        help_text="The mentee is emailed your question. Their request waits for your decision "
        "after they answer.",
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you declining?",
        widget=forms.RadioSelect,
        choices=MentorRequest.DeclineReason.choices,
        help_text="The mentee sees this reason.",
        error_messages={
            "required": "Select a reason",
            "invalid_choice": "Select a reason from the list",
        },
    )
    note = _text(
        "A note for the mentee (optional)",
        too_long=f"Your note must be {NOTE_MAX_LENGTH} characters or fewer",
        help_text="For example, who else might help them. Keep it kind: they will read it. "
        "Needed if you choose another reason.",
        rows=3,
    )

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("reason") == MentorRequest.DeclineReason.OTHER
            and not (data.get("note") or "").strip()
        ):
            self.add_error("note", "Write a note to say why: the mentee reads it")
        return data


class RejectForm(forms.Form):
    reason = _text(
        "Why are you not approving this match?",
        required_message="Enter a reason",
        too_long=f"Your reason must be {NOTE_MAX_LENGTH} characters or fewer",
        help_text="The mentee and the mentor both see this reason.",
        rows=3,
    )


class BulkApproveForm(forms.Form):
    """Tick the matches to approve. Choices are the programme's requests; the service says
    which of them can still be approved."""

    requests = forms.ModelMultipleChoiceField(
        queryset=MentorRequest.objects.none(),
        label="Matches to approve",
        widget=forms.CheckboxSelectMultiple,
        help_text="Each match is approved on its own: if one cannot be, the others still are.",
        error_messages={
            "required": "Select at least one match to approve",
            "invalid_choice": "Select matches from the list",
            "invalid_pk_value": "Select matches from the list",
        },
    )

    # Set by the confirmation page: the first submit only lists what will be approved.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, queryset: QuerySet[MentorRequest], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["requests"]
        field.queryset = queryset
        field.label_from_instance = _match_label


def _match_label(mentor_request: MentorRequest) -> str:
    label = f"{mentor_request.mentee.full_name} with {mentor_request.mentor.full_name}"
    if mentor_request.score is not None:
        label += f" ({mentor_request.score:.0f}% match)"
    return label


class EndEarlyForm(forms.Form):
    """Why a mentorship is ending before it is complete: a category and the reason, which
    both people and the programme team read."""

    because = forms.ChoiceField(
        label="Why is the mentorship ending early?",
        widget=forms.RadioSelect,
        choices=Mentorship.EndedBecause.choices,
        error_messages={
            "required": "Select why the mentorship is ending early",
            "invalid_choice": "Select why the mentorship is ending early",
        },
    )
    reason = _text(
        "Tell us more",
        required_message="Enter why the mentorship is ending early",
        too_long=f"Your reason must be {NOTE_MAX_LENGTH} characters or fewer",
        help_text="Both of you and the programme team will read this. Keep it factual and kind.",
        rows=4,
    )

    def __init__(self, *args: Any, initial_because: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if initial_because in Mentorship.EndedBecause.values:
            self.fields["because"].initial = initial_because
