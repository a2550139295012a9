"""The two ways personal text is removed, shared by erasure and retention:

- `blank`: set free-text fields to a fixed value (usually empty) on the rows of a queryset
  that still hold something, and say how many rows changed (so a second run says 0);
- `sweep_mentions`: look through every text field of every model for a person's name, email
  address or GMC number (in plain, HTML-escaped and JSON-escaped form) and replace it. This
  is what makes "nothing of them remains anywhere" true for models added later too.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from accounts.models import HONORIFICS

NAME_REPLACEMENT = "a former member"
DETAIL_REPLACEMENT = "[removed]"

# Fields that never hold readable personal text, or that are handled on their own: secrets,
# encoded sessions, and this app's own logs (which hold no personal data by design).
NOT_SWEPT = {
    ("accounts", "user", "password"),
    # The account itself is anonymised by name; sweeping here would rename anyone else who
    # happens to share the name.
    ("accounts", "user", "full_name"),
    ("accounts", "user", "email"),
    ("sessions", "session", "session_data"),
    ("sessions", "session", "session_key"),
    ("mfa", "authenticator", "data"),
    ("account", "emailconfirmation", "key"),
    ("privacy", "erasurerecord", "reason"),
    ("privacy", "erasurerecord", "counts"),
    ("privacy", "retentionrun", "counts"),
    ("privacy", "retentionrun", "error"),
}
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def blank(queryset: models.QuerySet, values: dict[str, Any]) -> int:
    """Set `values` on the rows of `queryset` that do not hold them yet, locking those rows
    first; returns how many changed. A queryset update, so no `auto_now` field moves and no
    `save()` side effect runs: erasing is not an edit by anyone."""
    differs = Q()
    for name, value in values.items():
        differs |= ~Q(**{name: value})
    pks = list(
        queryset.filter(differs).select_for_update(of=("self",)).values_list("pk", flat=True)
    )
    if pks:
        queryset.model.objects.filter(pk__in=pks).update(**values)
    return len(pks)


@dataclass
class Identity:
    """What identifies a person in free text: their names and email addresses, and their
    GMC numbers. Captured before the account is anonymised."""

    names: set[str] = field(default_factory=set)
    details: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, user: Any, *, emails: Iterable[str] = (), gmc_numbers: Iterable[str] = ()):
        # A name of one or two letters would match too much to be worth looking for.
        names = {user.full_name.strip()} if len(user.full_name.strip()) > 2 else set()
        words = user.full_name.split()
        plain = [w for w in words if w.lower().rstrip(".") not in HONORIFICS]
        if len(plain) >= 2 and len(plain) != len(words):
            names.add(" ".join(plain))  # "Dr Amara Nwosu" is often written "Amara Nwosu"
        details = {e.strip().lower() for e in [user.email, *emails] if e and e.strip()}
        details |= {g for g in gmc_numbers if g}
        return cls(names=names, details=details)

    def replacements(self) -> list[tuple[str, str]]:
        """(text to find, its replacement), longest first so a full name goes before a part
        of it; each in plain, HTML-escaped and JSON-escaped spelling."""
        found: dict[str, str] = {}
        for terms, replacement in (
            (self.names, NAME_REPLACEMENT),
            (self.details, DETAIL_REPLACEMENT),
        ):
            for term in terms:
                for spelling in {term, html.escape(term), json.dumps(term)[1:-1]}:
                    found.setdefault(spelling, replacement)
        return sorted(found.items(), key=lambda item: -len(item[0]))

    def scrub(self, text: str) -> str:
        """Whole words only: "Ana Li" goes from "Ana Li said", not from "Banana Lilies"."""
        for term, replacement in self.replacements():
            pattern = rf"(?<!\w){re.escape(term)}(?!\w)"
            text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
        return text

    def scrub_value(self, value: Any) -> Any:
        """A JSON value with every string in it scrubbed."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, list):
            return [self.scrub_value(item) for item in value]
        if isinstance(value, dict):
            return {self.scrub(str(k)): self.scrub_value(v) for k, v in value.items()}
        return value


def swept_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every text, character and JSON field of every model, but those in NOT_SWEPT."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.concrete_fields:
            key = (model._meta.app_label, model._meta.model_name, f.name)
            if isinstance(f, TEXT_FIELDS) and not f.choices and key not in NOT_SWEPT:
                found.append((model, f))
    return found


def sweep_mentions(
    identity: Identity, *, special: dict | None = None, keep: dict | None = None
) -> int:
    """Replace every mention of the person in every swept field; returns rows changed.
    `special` maps a model to a function that handles its matching rows instead (the outbox
    erases a whole email that mentions someone rather than patch it); `keep` maps a model to
    the rows left exactly as they are (a concern still under investigation)."""
    special = special or {}
    kept = {model: set(rows.values_list("pk", flat=True)) for model, rows in (keep or {}).items()}
    terms = [term for term, _ in identity.replacements()]
    if not terms:
        return 0
    changed = 0
    for model, f in swept_fields():
        if isinstance(f, models.JSONField):
            alias = f"_swept_{f.name}"
            rows = model.objects.annotate(**{alias: Cast(f.name, TextField())})
            column = alias
        else:
            rows, column = model.objects.all(), f.name
        mentions = Q()
        for term in terms:
            mentions |= Q(**{f"{column}__icontains": term})
        pks = list(rows.filter(mentions).values_list("pk", flat=True))
        pks = [pk for pk in pks if pk not in kept.get(model, ())]
        if not pks:
            continue
        if model in special:
            changed += special[model](pks)
            continue
        for row in model.objects.select_for_update(of=("self",)).filter(pk__in=pks):
            old = getattr(row, f.attname)
            new = (
                identity.scrub_value(old)
                if isinstance(f, models.JSONField)
                else identity.scrub(old)
            )
            if isinstance(f, models.EmailField) and new != old:
                new = ""  # an address that named them is no address at all
            if f.max_length and isinstance(new, str):
                new = new[: f.max_length]
            if new != old:
                model.objects.filter(pk=row.pk).update(**{f.attname: new})
                changed += 1
    return changed
