"""The next meeting's form: the day and time (in UK time), how long, how and where. It checks
only the input; who may set it, and when, is the service's rule."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone

from ..models import MeetingMode, PlannedMeeting
from ..services.planning import MAX_MINUTES, MIN_MINUTES, WHERE_MAX_LENGTH

# Far enough ahead for any next meeting; further is more likely a typing slip.
LATEST = datetime.timedelta(days=366)


class NextMeetingForm(forms.Form):
    day = forms.DateField(
        label="Date",
        help_text="For example, 24/11/2026.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"],
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    time = forms.TimeField(
        label="Start time",
        help_text="UK time, 24-hour clock. For example, 14:30.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        error_messages={"required": "Enter the start time", "invalid": "Enter a real time"},
    )
    minutes = forms.IntegerField(
        label="How long, in minutes",
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        initial=60,
        error_messages={
            "required": "Enter how long the meeting is, in minutes",
            "invalid": "Enter how long the meeting is as a number of minutes",
            "min_value": f"A meeting must be at least {MIN_MINUTES} minutes",
            "max_value": "A meeting must be 12 hours (720 minutes) or less",
        },
    )
    mode = forms.ChoiceField(
        label="How will you meet?",
        choices=MeetingMode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how you will meet",
            "invalid_choice": "Select how you will meet from the list",
        },
    )
    where = forms.CharField(
        label="Where (optional)",
        required=False,
        max_length=WHERE_MAX_LENGTH,
        help_text="A place (for example, the GP surgery's address) or a link to the video call.",
        error_messages={"max_length": f"Where must be {WHERE_MAX_LENGTH} characters or fewer"},
    )

    @classmethod
    def for_meeting(cls, planned: PlannedMeeting | None) -> NextMeetingForm:
        """A blank form, or one filled in with the meeting being moved."""
        if planned is None:
            return cls()
        local = timezone.localtime(planned.starts_at)
        return cls(
            initial={
                "day": local.date(),
                "time": local.time().replace(second=0, microsecond=0),
                "minutes": planned.minutes,
                "mode": planned.mode,
                "where": planned.where,
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, time = data.get("day"), data.get("time")
        if day is None or time is None:
            return data
        zone = ZoneInfo(settings.TIME_ZONE)
        starts_at = datetime.datetime.combine(day, time, tzinfo=zone)
        # The hour the clocks go forward does not exist: 01:30 would silently become 02:30.
        if starts_at.astimezone(datetime.UTC).astimezone(zone).time() != time:
            self.add_error("time", "That time does not exist on that day: the clocks go forward")
            return data
        now = timezone.now()
        if starts_at <= now:
            self.add_error("day", "The next meeting must be in the future")
        elif starts_at > now + LATEST:
            self.add_error("day", "The next meeting must be within the next year")
        data["starts_at"] = starts_at
        return data
