"""Forms for meetings and action points. They check the input (and show the day and length
rules as errors); who may do what, and when, is journey/services/meetings.py's business."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BoundField
from django.utils import timezone

from mentorship.models import Mentorship
from mentorship.services.errors import InvalidTransition

from ..models import AgreedGoal, MeetingKind, MeetingMode
from ..services import meetings as services

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]


def _date(label: str, *, required: bool, help_text: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_FORMATS,
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )


def _owner_choices(mentorship: Mentorship, user: Any) -> list[tuple[str, str]]:
    other = mentorship.other_party(user)
    return [(str(user.pk), f"You ({user.full_name})"), (str(other.pk), other.full_name)]


def _goal_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Towards which goal? (optional)",
        queryset=AgreedGoal.objects.none(),
        required=False,
        empty_label="Not linked to a goal",
        error_messages={"invalid_choice": "Choose one of your agreed goals"},
    )


class ActionPointFields:
    """The fields of one action point, given a prefix: `<prefix>text`, `<prefix>owner`..."""

    @staticmethod
    def add(form: forms.Form, prefix: str, mentorship: Mentorship, user: Any, *, required: bool):
        optional = "" if required else " (optional)"
        form.fields[f"{prefix}text"] = forms.CharField(
            label=f"What will be done?{optional}",
            required=required,
            max_length=services.ACTION_MAX_LENGTH,
            error_messages={
                "required": "Say what will be done",
                "max_length": f"Keep the action point to {services.ACTION_MAX_LENGTH} "
                "characters or fewer",
            },
        )
        form.fields[f"{prefix}owner"] = forms.TypedChoiceField(
            label="Who will do it?",
            choices=_owner_choices(mentorship, user),
            coerce=int,
            widget=forms.RadioSelect,
            required=False,
            error_messages={"invalid_choice": "Choose who will do it"},
        )
        form.fields[f"{prefix}due_on"] = _date(
            "By when? (optional)", required=False, help_text="For example, 15/12/2026."
        )
        goal = _goal_field()
        goal.queryset = mentorship.agreed_goals.all()
        form.fields[f"{prefix}goal"] = goal
        if not goal.queryset.exists():
            del form.fields[f"{prefix}goal"]

    @staticmethod
    def clean(form: forms.Form, prefix: str, mentorship: Mentorship) -> services.ActionPointLine:
        """The action point, or None if its text was left empty."""
        data = form.cleaned_data
        text = (data.get(f"{prefix}text") or "").strip()
        if not text:
            return None
        owner_pk = data.get(f"{prefix}owner")
        if owner_pk in (None, ""):
            form.add_error(f"{prefix}owner", "Choose who will do it")
            return None
        owner = mentorship.mentee if owner_pk == mentorship.mentee_id else mentorship.mentor
        return services.ActionPointLine(
            text=text,
            owner=owner,
            due_on=data.get(f"{prefix}due_on"),
            goal=data.get(f"{prefix}goal"),
        )


class MeetingForm(forms.Form):
    """A meeting that happened, and up to three action points agreed in it."""

    held_on = _date("Date of the meeting", required=True, help_text="For example, 24/11/2026.")
    minutes = forms.IntegerField(
        label="How long, in minutes",
        min_value=services.MIN_MINUTES,
        max_value=services.MAX_MINUTES,
        initial=60,
        error_messages={
            "required": "Enter how long the meeting was, in minutes",
            "invalid": "Enter how long the meeting was as a number of minutes",
            "min_value": f"A meeting must be at least {services.MIN_MINUTES} minutes",
            "max_value": "A meeting must be 12 hours (720 minutes) or less",
        },
    )
    mode = forms.ChoiceField(
        label="How did you meet?",
        choices=MeetingMode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how you met",
            "invalid_choice": "Select how you met from the list",
        },
    )
    kind = forms.ChoiceField(
        label="What kind of meeting was it?",
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of meeting it was",
            "invalid_choice": "Select what kind of meeting it was from the list",
        },
    )
    topics = forms.CharField(
        label="Topics (optional)",
        required=False,
        max_length=services.TOPICS_MAX_LENGTH,
        help_text="A few words, for example: leadership, the PCN project, GP training.",
        error_messages={
            "max_length": f"Keep the topics to {services.TOPICS_MAX_LENGTH} characters or fewer"
        },
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=services.NOTES_MAX_LENGTH,
        help_text="Only the two of you see the topics and notes. The programme team sees the "
        "date, length and kind of meeting, and whether it is confirmed.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": f"Keep your notes to {services.NOTES_MAX_LENGTH} characters or fewer"
        },
    )

    def __init__(self, *args: Any, mentorship: Mentorship, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mentorship = mentorship
        # A date picker offers only the days a meeting can have been on.
        self.fields["held_on"].widget.attrs.update(
            min=mentorship.started_on.isoformat(), max=timezone.localdate().isoformat()
        )
        for n in range(1, services.MAX_ACTION_POINTS_PER_MEETING + 1):
            ActionPointFields.add(self, f"action_{n}_", mentorship, user, required=False)

    def meeting_fields(self) -> list[BoundField]:
        return [self[name] for name in ("held_on", "minutes", "mode", "kind", "topics", "notes")]

    def action_point_groups(self) -> list[tuple[int, list[BoundField]]]:
        groups = []
        for n in range(1, services.MAX_ACTION_POINTS_PER_MEETING + 1):
            prefix = f"action_{n}_"
            groups.append((n, [self[name] for name in self.fields if name.startswith(prefix)]))
        return groups

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        held_on, minutes = data.get("held_on"), data.get("minutes")
        if held_on is not None and minutes is not None:
            try:
                services.check_meeting(self.mentorship, held_on=held_on, minutes=minutes)
            except InvalidTransition as error:
                self.add_error("held_on", error.message)
        self.action_points = [
            line
            for n in range(1, services.MAX_ACTION_POINTS_PER_MEETING + 1)
            if (line := ActionPointFields.clean(self, f"action_{n}_", self.mentorship))
        ]
        return data


class ActionPointForm(forms.Form):
    """One action point, added between meetings."""

    def __init__(self, *args: Any, mentorship: Mentorship, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mentorship = mentorship
        ActionPointFields.add(self, "", mentorship, user, required=True)
        self.fields["owner"].required = True
        self.fields["owner"].error_messages["required"] = "Choose who will do it"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.action_point = ActionPointFields.clean(self, "", self.mentorship)
        return data
