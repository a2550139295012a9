"""Forms only programme managers use. They reuse the decision form's fields and messages."""

from __future__ import annotations

from typing import Any

from django import forms

from .programmes import DecisionForm


class IntakeNotesForm(DecisionForm):
    """Save interview and intake notes without deciding.

    While an application waits, the notes share one form with the decision radios, so the
    radios stay on the page but are ignored here. Once decided, only the notes are shown.
    """

    def __init__(self, *args: Any, with_decision: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_decision:
            self.fields["decision"].required = False
            self.fields["reason"].required = False
        else:
            del self.fields["decision"]
            del self.fields["reason"]
        self.fields["notes"].label = "Interview and intake notes"


class MentorDecisionForm(DecisionForm):
    """A manager's vetting decision on a mentor: approve or decline, with private notes."""

    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("approve", "Approve: mentees can see and request them"), ("decline", "Decline")],
        error_messages={"required": "Select approve or decline"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "reason"
        ].help_text = "They read this in an email. Say what they can do next, if anything."
        self.fields["notes"].label = "Vetting notes (optional)"
        self.fields["notes"].help_text = (
            "For example, what you checked on the GMC register and how you confirmed their "
            "role. Only this programme's managers can see these notes."
        )
