"""The settings page a programme's managers use: every setting they may change, in groups,
with what each one does in plain words."""

from __future__ import annotations

from copy import copy
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField

from ..models import MeetingCadence, Programme
from ..models.programmes import WEIGHT_FIELDS
from ..services.programme_settings import SETTING_LABELS, SETTINGS_FIELDS, settings_version


def _whole_number(label: str, low: int, high: int, unit: str, help_text: str) -> forms.Field:
    message = f"Enter a whole number of {unit} from {low} to {high}"
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=help_text,
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
    )


def _weight(name: str) -> forms.Field:
    message = "Enter a weight from 0 to 100"
    return forms.FloatField(
        label=SETTING_LABELS[name],
        min_value=0,
        max_value=100,
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


class CheckInPointsField(forms.CharField):
    """Check-in points typed as "+14, half, -14"; saved as the list Programme keeps."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(point) for point in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value)
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]

    def validate(self, value: Any) -> None:
        """Each point is checked by Programme.clean (journey.schedule)."""
        if not value:
            raise ValidationError(self.error_messages["required"], code="required")


class ProgrammeSettingsForm(forms.Form):
    """Everything a manager may change about their programme. `version` is the settings'
    fingerprint when the form was opened: saving it after someone else changed them is
    refused rather than overwriting their change."""

    description = forms.CharField(
        label=SETTING_LABELS["description"],
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the programme offers and who it is for. People read this before "
        "they apply.",
    )
    is_open = forms.BooleanField(
        label=SETTING_LABELS["is_open"],
        required=False,
        help_text="When it is closed, nobody new can apply as a mentee or offer to mentor. "
        "People already in the programme carry on.",
    )
    requires_approval = forms.BooleanField(
        label=SETTING_LABELS["requires_approval"],
        required=False,
        help_text="After a mentor accepts a request, a manager approves the match before "
        "the mentorship starts. Without it, the mentorship starts when the mentor accepts.",
    )
    duration_weeks = _whole_number(
        "Length of a mentorship, in weeks",
        1,
        104,
        "weeks",
        "How long a new mentorship is planned to last.",
    )
    meeting_cadence = forms.ChoiceField(
        label=SETTING_LABELS["meeting_cadence"],
        choices=MeetingCadence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often pairs meet"},
        help_text="New agreements start from this. A pair that has agreed how often they "
        "meet keeps what they agreed; pairs without an agreement yet are reminded to meet at "
        "this rate.",
    )
    check_in_points = CheckInPointsField(
        label=SETTING_LABELS["check_in_points"],
        max_length=200,
        error_messages={
            "required": "Enter at least one check-in point, for example: +14, half, -14"
        },
        help_text="When we ask each person how the mentorship is going, separated by commas. "
        '"+14" means 14 days after it starts, "-14" means 14 days before its planned end, '
        'and "half" means half-way. For example: +14, half, -14. Check-ins that have not '
        "opened yet follow the new points, in mentorships that have started too.",
    )
    max_open_requests = _whole_number(
        SETTING_LABELS["max_open_requests"],
        1,
        10,
        "requests",
        "How many mentors a mentee may have asked and be waiting to hear from at one time.",
    )
    request_expiry_days = _whole_number(
        "Days before an unanswered request expires",
        1,
        90,
        "days",
        "A request the mentor has not answered by then expires, and the mentee can ask "
        "someone else. Requests already sent keep the date they expire on.",
    )
    freedom_to_speak_up = forms.CharField(
        label=SETTING_LABELS["freedom_to_speak_up"],
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Their name and how to contact them. We show this to anyone raising a "
        "concern, and in every mentoring agreement.",
    )
    safeguarding_lead = forms.CharField(
        label=SETTING_LABELS["safeguarding_lead"],
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Their name and how to contact them. We show this to anyone raising a "
        "concern, and in every mentoring agreement.",
    )
    concern_acknowledge_days = _whole_number(
        SETTING_LABELS["concern_acknowledge_days"],
        1,
        30,
        "working days",
        "A manager should acknowledge a concern within this many working days. After that, "
        "we remind the programme's managers. Concerns already raised keep their date.",
    )
    weight_specialty = _weight("weight_specialty")
    weight_goals = _weight("weight_goals")
    weight_region = _weight("weight_region")
    weight_format = _weight("weight_format")
    weight_img_experience = _weight("weight_img_experience")
    weight_capacity = _weight("weight_capacity")
    version = forms.CharField(widget=forms.HiddenInput)

    # (heading, a note under it, the fields in it)
    SECTIONS = (
        ("About the programme", "", ("description", "is_open", "requires_approval")),
        (
            "Mentorships",
            "Mentorships that have already started keep their planned end date and the "
            "cadence they agreed. Only new mentorships and new agreements start from these.",
            ("duration_weeks", "meeting_cadence", "check_in_points"),
        ),
        ("Requests", "", ("max_open_requests", "request_expiry_days")),
        (
            "Concerns",
            "",
            ("freedom_to_speak_up", "safeguarding_lead", "concern_acknowledge_days"),
        ),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        self.programme = programme
        initial = {name: getattr(programme, name) for name in SETTINGS_FIELDS}
        for name in WEIGHT_FIELDS:  # 35, not 35.0
            initial[name] = f"{float(initial[name]):g}"
        initial["version"] = settings_version(programme)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    def sections(self) -> list[tuple[str, str, list[BoundField]]]:
        return [
            (title, note, [self[name] for name in names]) for title, note, names in self.SECTIONS
        ]

    def weight_fields(self) -> list[BoundField]:
        return [self[name] for name in WEIGHT_FIELDS]

    def clean(self) -> dict[str, Any]:
        """The programme's own rules on the new values (Programme.clean): not every weight
        0, and check-in points that journey.schedule understands."""
        cleaned = super().clean()
        candidate = copy(self.programme)
        for name in SETTINGS_FIELDS:
            if name in cleaned:
                setattr(candidate, name, cleaned[name])
        if any(name not in cleaned for name in WEIGHT_FIELDS):
            return cleaned  # a weight already has its own error
        try:
            candidate.clean()
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    if name in self.fields and name not in self.errors:
                        self.add_error(name, errors)
            else:
                self.add_error(None, error)
        else:
            if "check_in_points" in cleaned:
                cleaned["check_in_points"] = candidate.check_in_points
        return cleaned

    def carried(self) -> list[tuple[str, str]]:
        """The posted values, to carry through the preview page as hidden inputs (an
        unticked box is left out, as a browser leaves it out)."""
        return [(name, value) for name in self.fields for value in self.data.getlist(name)]

    def values(self) -> dict[str, Any]:
        """The new settings, as the service takes them."""
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}
