"""A match run's proposals as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from django.db.models import F

from mentorship.spreadsheets import safe_cell

from .models import MatchRun
from .reasons import render_all

CSV_HEADER = (
    "Mentee name",
    "Mentee email",
    "Target specialty",
    "Mentor name",
    "Mentor email",
    "Score",
    "Reasons",
    "Status",
    "Why not matched",
)


def export_csv(run: MatchRun) -> str:
    """Every proposal of the run, best score first, then those without a mentor; the reasons
    in a manager's words ("Supports 3 of the mentee's 4 goals")."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_HEADER)
    proposals = run.proposals.select_related("mentee", "mentor").order_by(
        F("score").desc(nulls_last=True), "mentee__full_name", "pk"
    )
    for p in proposals:
        row = (
            p.mentee.full_name,
            p.mentee.email,
            p.target_specialty,
            p.mentor.full_name if p.mentor else "",
            p.mentor.email if p.mentor else "",
            f"{p.score:.1f}" if p.score is not None else "",
            "; ".join(render_all(p.reasons, "manager")),
            p.get_status_display(),
            p.unmatched_reason,
        )
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()
