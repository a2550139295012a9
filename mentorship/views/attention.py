"""What needs the programme team's attention, with why and where to fix it; and the download
of the programme's mentorships with their meetings and hours. Managers of the programme only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import manager_required

from .. import attention, mentorship_export, spreadsheets
from .lookups import managed_programme_or_404


@manager_required
def attention_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    rows = attention.rows_for_programme(programme)
    kind = request.GET.get("kind", "")
    kind = attention.Kind(kind) if kind in attention.Kind.values else None
    context = {
        "programme": programme,
        "counts": attention.counts(rows),
        "total": len(rows),
        "kind": kind,
        "rows": [row for row in rows if row.kind == kind] if kind else rows,
    }
    return render(request, "mentorship/manage/attention.html", context)


@manager_required
def mentorships_download(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    return spreadsheets.download(
        mentorship_export.HEADERS,
        mentorship_export.export_rows(programme),
        filename=f"{programme.slug}-mentorships",
        file_format=request.GET.get("format", "csv"),
        title="Mentorships",
    )
