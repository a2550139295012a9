"""The match-run pages' forms: how to match, and which proposals to approve."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .models import MatchRun


class StartRunForm(forms.Form):
    """Start a run: optimal or stable."""

    method = forms.ChoiceField(
        label="How should mentees be matched?",
        widget=forms.RadioSelect,
        choices=MatchRun.Method.choices,
        initial=MatchRun.Method.OPTIMAL,
        error_messages={
            "required": "Select how mentees should be matched",
            "invalid_choice": "Select optimal or stable matching",
        },
    )


class ProposalIdsField(forms.Field):
    """The ticked proposals' ids; anything that is not a whole number is refused."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        try:
            return [int(v) for v in value or []]
        except (TypeError, ValueError) as exc:
            raise ValidationError("Select proposals from the list") from exc


class ApproveForm(forms.Form):
    """Approve the ticked proposals, or all of them."""

    proposal = ProposalIdsField(required=False)
    approve = forms.ChoiceField(choices=[("selected", "selected"), ("all", "all")])
    # "Approve all" first shows what will happen; the confirmation page sets this.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("approve") == "selected" and not data.get("proposal"):
            self.add_error("proposal", "Select at least one proposal to approve")
        return data
