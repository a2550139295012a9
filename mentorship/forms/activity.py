"""The activity log's filters: a kind and a person (part of a name or an email)."""

from __future__ import annotations

from django import forms

from ..activity import Kind


class ActivityFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Everything"), *Kind.choices]
    )
    q = forms.CharField(
        label="Person",
        required=False,
        max_length=100,
        help_text="Part of a name or an email address: who acted or who it is about.",
    )
    person = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
