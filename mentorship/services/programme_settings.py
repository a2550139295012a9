"""A programme's settings, changed by its own managers: one service that saves and logs the
change. The preview of new matching weights, shown first, is mentorship/weights_preview.py.
"""

from __future__ import annotations

import hashlib
import json
from copy import copy
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.permissions import may_manage_programme

from ..models import (
    Action,
    Event,
    MeetingCadence,
    Programme,
)
from ..models.programmes import WEIGHT_FIELDS
from .errors import InvalidTransition, NotAllowed, ServiceError

# Every setting a manager may change, in the order the page shows them, with the words the
# page and the change history use for each.
SETTING_LABELS: dict[str, str] = {
    "description": "Description",
    "is_open": "Open to applications",
    "requires_approval": "A manager approves each match",
    "duration_weeks": "Length of a mentorship",
    "meeting_cadence": "How often pairs meet",
    "max_open_requests": "Open requests a mentee may have",
    "request_expiry_days": "A request expires after",
    "check_in_points": "Check-in points",
    "freedom_to_speak_up": "Freedom to Speak Up guardian",
    "safeguarding_lead": "Safeguarding lead",
    "concern_acknowledge_days": "Working days to acknowledge a concern",
    "weight_specialty": "Specialty weight",
    "weight_goals": "Goals weight",
    "weight_region": "Region weight",
    "weight_format": "Meeting format weight",
    "weight_img_experience": "Lived IMG experience weight",
    "weight_capacity": "Free places weight",
}
SETTINGS_FIELDS = tuple(SETTING_LABELS)
_LONG_TEXT = 120  # a description longer than this is cut short in the change history


class SettingsChanged(InvalidTransition):
    """Someone saved the settings after this form was opened (shown as 409)."""


class InvalidSettings(ServiceError):
    """A value breaks a rule (shown as 400; the form normally catches it first)."""

    status_code = 400


# --- What changed ------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One setting's old and new value, in words."""

    field: str
    label: str
    old: str
    new: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "old": self.old, "new": self.new}


def shown(name: str, value: Any) -> str:
    """A setting's value as a manager reads it ("16 weeks", "Every 2 weeks", "Open")."""
    if name == "is_open":
        return "Open" if value else "Closed"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name == "duration_weeks":
        return f"{value} week{'s' if value != 1 else ''}"
    if name == "request_expiry_days":
        return f"{value} day{'s' if value != 1 else ''}"
    if name == "meeting_cadence":
        return MeetingCadence(value).label if value in MeetingCadence.values else str(value)
    if name == "check_in_points":
        return ", ".join(value) if value else "None"
    if name in WEIGHT_FIELDS:
        return f"{float(value):g}"
    text = " ".join(str(value).split())
    if not text:
        return "Not set"
    return text if len(text) <= _LONG_TEXT else text[: _LONG_TEXT - 1] + "…"


def current_settings(programme: Programme) -> dict[str, Any]:
    return {name: getattr(programme, name) for name in SETTINGS_FIELDS}


def settings_version(programme: Programme) -> str:
    """A fingerprint of the settings as they are. A form carries the one it was opened
    with; if the settings changed since (here or in the admin), saving it is refused."""
    values = current_settings(programme)
    for name in WEIGHT_FIELDS:  # 35 typed in and 35.0 read back are the same weight
        values[name] = float(values[name])
    data = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:20]


def describe_changes(programme: Programme, values: dict[str, Any]) -> list[Change]:
    """Each setting whose new value differs from the programme's, old and new in words."""
    changes = []
    for name in SETTINGS_FIELDS:
        if name not in values:
            continue
        old, new = getattr(programme, name), values[name]
        if name in WEIGHT_FIELDS:
            differs = float(old) != float(new)
        else:
            differs = old != new
        if differs:
            changes.append(Change(name, SETTING_LABELS[name], shown(name, old), shown(name, new)))
    return changes


def changes_weights(changes: list[Change]) -> bool:
    return any(change.field in WEIGHT_FIELDS for change in changes)


# --- Saving ------------------------------------------------------------------------------


def _stale_message(programme: Programme, by=None) -> str:
    said = (
        "These settings have changed since this page was opened, so nothing has been saved. "
        "Open the settings again to see them as they are now, then make your change."
    )
    last = Event.objects.in_programme(programme).about_programme().select_related("actor").last()
    if last is None or last.actor is None:
        return said
    when = date_format(timezone.localtime(last.created_at), "H:i \\o\\n j F Y")
    if by is not None and last.actor_id == by.pk:
        return f"{said} The latest change recorded here was yours, at {when}."
    name = last.actor.full_name or last.actor.email
    return f"{said} The latest change recorded here was by {name}, at {when}."


def check_not_stale(programme: Programme, version: str, *, by=None) -> None:
    """Refuse a form opened on settings that have changed since (before a preview, too)."""
    if settings_version(programme) != version:
        raise SettingsChanged(_stale_message(programme, by))


@transaction.atomic
def change_programme_settings(
    programme: Programme, values: dict[str, Any], *, by, version: str
) -> list[Change]:
    """Only the programme's own managers change its settings, from a form opened on the
    settings as they still are; every change is logged with who, when, and old and new."""
    if not may_manage_programme(by, programme):
        raise NotAllowed("Only this programme's managers can change its settings.")
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise InvalidSettings(f"These are not settings you can change: {', '.join(unknown)}.")
    # Locked, so that two managers saving at once are taken one after the other, and the
    # second sees that the first changed what its form was opened on.
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    check_not_stale(locked, version, by=by)
    before = copy(locked)
    changes = describe_changes(before, values)
    if not changes:
        return []
    for change in changes:
        setattr(locked, change.field, values[change.field])
    others = [f.name for f in Programme._meta.concrete_fields if f.name not in SETTINGS_FIELDS]
    try:
        locked.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise InvalidSettings(" ".join(error.messages)) from error
    # clean() may have tidied a value (check-in points): log what was saved.
    changes = describe_changes(before, current_settings(locked))
    if not changes:
        return []
    locked.save(update_fields=[change.field for change in changes])
    Event.log_programme_action(
        locked, Action.SETTINGS_CHANGED, by=by, changes=[c.as_dict() for c in changes]
    )
    for name in SETTINGS_FIELDS:
        setattr(programme, name, getattr(locked, name))
    return changes
