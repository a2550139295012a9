"""The ZIP a person downloads: data.json for machines and data.html for people. The HTML
is one self-contained page (its style inline, no scripts, images or links to load), so it
opens the same offline, years from now."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from .sections import SECTIONS, collect


def label(key: str) -> str:
    """data.json's keys as headings: "held_on" -> "Held on"."""
    return key.replace("_", " ").capitalize()


def as_node(value: Any) -> dict[str, Any]:
    """A JSON value as a tree the template walks: maps, lists and text."""
    if isinstance(value, dict):
        return {"kind": "map", "items": [(label(str(k)), as_node(v)) for k, v in value.items()]}
    if isinstance(value, list):
        return {"kind": "list", "items": [as_node(item) for item in value]}
    if value is None or value == "":
        return {"kind": "text", "text": "—"}
    if isinstance(value, bool):
        return {"kind": "text", "text": "Yes" if value else "No"}
    return {"kind": "text", "text": str(value)}


def render_html(data: dict[str, Any], user: Any) -> str:
    sections = [
        {
            "key": s.key,
            "title": s.title,
            "about": s.about,
            "node": as_node(data[s.key]),
            "empty": data[s.key] in (None, [], {}),
        }
        for s in SECTIONS
    ]
    return render_to_string(
        "privacy/export_data.html",
        {
            "site_name": settings.SITE_NAME,
            "person": user.full_name or user.email,
            "generated_at": datetime.datetime.fromisoformat(
                data["about_this_file"]["generated_at"]
            ),
            "sections": sections,
        },
    )


def build_zip(user: Any) -> bytes:
    """Collect everything held about `user` and pack it."""
    data = collect(user, site_name=settings.SITE_NAME)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr("data.html", render_html(data, user))
    return buffer.getvalue()
