"""The programme-wide activity log: every event of the programme, newest first, filtered by
kind and person, paged, and downloadable as CSV or Excel. Managers of the programme only."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import manager_required

from .. import activity, spreadsheets
from ..forms.activity import ActivityFilterForm
from ..models import Event, Programme
from .lookups import managed_programme_or_404

PAGE_SIZE = 50


def _filtered(request: HttpRequest, programme: Programme) -> tuple[ActivityFilterForm, object]:
    form = ActivityFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    events = activity.events_in(
        programme,
        kind=data.get("kind") or "",
        person_id=data.get("person"),
        search=data.get("q") or "",
    )
    return form, events


@manager_required
def activity_log(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    form, events = _filtered(request, programme)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    entries = [_entry(event, programme) for event in page]
    context = {
        "programme": programme,
        "form": form,
        "page": page,
        "entries": entries,
        "person": _person_shown(form, entries),
        "filtered": any(query.get(key) for key in ("kind", "q", "person")),
        "query": query.urlencode(),
    }
    return render(request, "mentorship/manage/activity.html", context)


def _person_shown(form: ActivityFilterForm, entries: list[dict]) -> object | None:
    """The person filtered by id, named from the events shown (never looked up by a guessed
    id, which could name someone outside the programme)."""
    person_id = form.cleaned_data.get("person") if form.is_valid() else None
    for entry in entries:
        for person in [entry["event"].actor, *entry["people"]]:
            if person is not None and person.pk == person_id:
                return person
    return None


def _entry(event: Event, programme: Programme) -> dict:
    return {
        "event": event,
        "kind": activity.kind_of(event),
        "about": activity.about_text(event),
        "people": activity.about(event),
        "link": activity.link(event, programme),
    }


@manager_required
def activity_download(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme_or_404(request, slug)
    _, events = _filtered(request, programme)
    return spreadsheets.download(
        activity.HEADERS,
        activity.export_rows(events.iterator(chunk_size=500)),
        filename=f"{programme.slug}-activity",
        file_format=request.GET.get("format", "csv"),
        title="Activity",
    )
