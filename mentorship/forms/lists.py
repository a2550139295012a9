"""The filters on the managers' mentee and mentor lists, and the dashboard's date range.
Unknown values fall back to the defaults (a list is never a 500 because of its URL)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from ..models import Specialty
from ..models.progress import Stage

MENTEE_STAGES = [
    ("", "Everyone accepted"),
    (Stage.ACCEPTED.value, "Accepted, not asked a mentor yet"),
    (Stage.ASKED.value, "Asked a mentor"),
    (Stage.MATCHED.value, "Matched"),
    (Stage.COMPLETED.value, "Completed"),
    (Stage.APPLIED.value, "Applied, waiting for a decision"),
    (Stage.DECLINED.value, "Not accepted"),
    (Stage.WITHDRAWN.value, "Withdrawn"),
]

MENTOR_PLACES = [
    ("", "Every approved mentor"),
    ("free", "Has a free place"),
    ("full", "Full"),
    ("paused", "Not taking requests"),
]


def _specialty(label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Specialty.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label="Any specialty",
    )


class _ListFilters(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=100)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def value(self, name: str) -> Any:
        """The cleaned value, or the default when the URL held something we do not know."""
        if not self.is_bound:
            return self.fields[name].initial
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None


class MenteeListFilters(_ListFilters):
    stage = forms.ChoiceField(label="Stage", choices=MENTEE_STAGES, required=False)
    specialty = _specialty("Wants to work in")
    field_order = ["q", "stage", "specialty", "sort"]


class MentorListFilters(_ListFilters):
    places = forms.ChoiceField(label="Places", choices=MENTOR_PLACES, required=False)
    specialty = _specialty("Main specialty")
    field_order = ["q", "places", "specialty", "sort"]


class PeriodForm(forms.Form):
    """The dashboard's date range; both ends optional, both included."""

    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be the same as or after the start date")
        for name in ("start", "end"):
            day = data.get(name)
            if day and not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
                self.add_error(name, "Enter a date between the year 2000 and 2100")
        return data
