"""The managers' mentee and mentor lists: who stands where, filtered, sorted by a whitelisted
column, paged, and downloadable (the same filtered rows) as CSV or Excel. The words (stage,
days waited, response rate) are defined once, in mentorship/models/progress.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import F, OrderBy, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, QueryDict

from .. import spreadsheets
from ..forms.lists import MenteeListFilters, MentorListFilters
from ..models import MenteeMembership, MentorMembership, MentorProfile, Programme
from ..models.progress import Stage, days, hours, median_response_times

PER_PAGE = 50


@dataclass(frozen=True)
class Column:
    key: str  # the sort key in the URL; "" when the column does not sort
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Header:
    label: str
    url: str
    aria_sort: str
    numeric: bool


def _ordering(sorts: dict[str, Sequence[str]], wanted: str, default: str) -> tuple[str, list]:
    """The order_by for a whitelisted sort key ("waited" or "-waited"); unknown is default.
    Missing values sort last either way; the name then the id break ties."""
    key = wanted if wanted.lstrip("-") in sorts else default
    descending = key.startswith("-")
    order = [
        OrderBy(F(name), descending=descending, nulls_last=True) for name in sorts[key.lstrip("-")]
    ]
    return key, [*order, "user__full_name", "pk"]


def _headers(request: HttpRequest, columns: Sequence[Column], current: str) -> list[Header]:
    headers = []
    for column in columns:
        if not column.key:
            headers.append(Header(column.label, "", "", column.numeric))
            continue
        is_current = current.lstrip("-") == column.key
        descending = current.startswith("-")
        next_key = f"-{column.key}" if is_current and not descending else column.key
        params = request.GET.copy()
        params.pop("page", None)
        params["sort"] = next_key
        aria = ("descending" if descending else "ascending") if is_current else "none"
        headers.append(Header(column.label, f"?{params.urlencode()}", aria, column.numeric))
    return headers


def _query_without_page(params: QueryDict) -> str:
    params = params.copy()
    params.pop("page", None)
    params.pop("download", None)
    return params.urlencode()


def _page(request: HttpRequest, rows: QuerySet) -> Page:
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # one query, and rows keep what we add to them
    return page


def _download_links(request: HttpRequest) -> dict[str, str]:
    query = _query_without_page(request.GET)
    return {
        kind: "?" + "&".join(filter(None, [query, urlencode({"download": kind})]))
        for kind in ("csv", "xlsx")
    }


# --- Mentees -----------------------------------------------------------------------------

MENTEE_SORTS = {
    "name": ["user__full_name"],
    "stage": ["stage"],
    "accepted": ["decided_at"],
    "waited": ["waited"],
    "open": ["open_requests"],
}
MENTEE_COLUMNS = [
    Column("name", "Mentee"),
    Column("stage", "Stage"),
    Column("", "Wants to work in"),
    Column("", "Current grade"),
    Column("", "Region"),
    Column("accepted", "Accepted"),
    Column("waited", "Days waited", numeric=True),
    Column("open", "Open requests", numeric=True),
]
ACCEPTED_STAGES = {Stage.ACCEPTED, Stage.ASKED, Stage.MATCHED, Stage.COMPLETED}


def mentee_rows(programme: Programme, filters: MenteeListFilters) -> QuerySet[MenteeMembership]:
    """The programme's mentees as the filters choose: everyone accepted by default."""
    rows = (
        MenteeMembership.objects.filter(programme=programme)
        .with_progress()
        .select_related("user__mentee_profile__target_specialty", "user__mentee_profile__region")
    )
    stage = filters.value("stage")
    if stage:
        rows = rows.filter(stage=stage)
    else:
        rows = rows.filter(stage__in=ACCEPTED_STAGES)
    if specialty := filters.value("specialty"):
        rows = rows.filter(user__mentee_profile__target_specialty=specialty)
    if name := filters.value("q"):
        rows = rows.filter(user__full_name__icontains=name.strip())
    return rows


def _mentee_download(programme: Programme, rows: QuerySet, file_format: str) -> HttpResponse:
    headers = [
        "Mentee",
        "Email address",
        "Stage",
        "Wants to work in",
        "Current grade",
        "Region",
        "Applied",
        "Accepted",
        "Days waited",
        "Open requests",
    ]

    def line(m: MenteeMembership) -> list[object]:
        profile = getattr(m.user, "mentee_profile", None)
        return [
            m.user.full_name,
            m.user.email,
            Stage(m.stage).label,
            profile.target_specialty.name if profile else "",
            profile.get_grade_display() if profile else "",
            profile.region.name if profile and profile.region else "",
            m.created_at.date(),
            m.decided_at.date() if m.decided_at else None,
            days(m.waited),
            m.open_requests,
        ]

    return spreadsheets.download(
        headers,
        (line(m) for m in rows.iterator(chunk_size=2000)),
        filename=f"{programme.slug}-mentees",
        file_format=file_format,
        title="Mentees",
    )


def mentee_list(request: HttpRequest, programme: Programme) -> HttpResponse | dict:
    """The page's context, or the download the URL asked for."""
    filters = MenteeListFilters(request.GET)
    sort, ordering = _ordering(MENTEE_SORTS, request.GET.get("sort", ""), "name")
    rows = mentee_rows(programme, filters).order_by(*ordering)
    if request.GET.get("download"):
        return _mentee_download(programme, rows, request.GET["download"])
    page = _page(request, rows)
    return {
        "programme": programme,
        "filters": filters,
        "memberships": page.object_list,
        "page": page,
        "query": _query_without_page(request.GET),
        "headers": _headers(request, MENTEE_COLUMNS, sort),
        "downloads": _download_links(request),
        "filtered": bool(filters.value("q") or filters.value("specialty")),
    }


# --- Mentors -----------------------------------------------------------------------------

MENTOR_SORTS = {
    "name": ["user__full_name"],
    "free": ["free_places"],
    "active": ["active_mentees"],
    "received": ["requests_received"],
    "rate": ["response_rate"],
}
MENTOR_COLUMNS = [
    Column("name", "Mentor"),
    Column("", "Main specialty"),
    Column("", "Places"),
    Column("free", "Free places", numeric=True),
    Column("active", "Active mentees", numeric=True),
    Column("received", "Requests received", numeric=True),
    Column("rate", "Response rate", numeric=True),
    Column("", "Median time to respond", numeric=True),
]


def mentor_rows(programme: Programme, filters: MentorListFilters) -> QuerySet[MentorProfile]:
    """The programme's approved mentors, with their places and how they answer requests."""
    approved = MentorMembership.objects.filter(
        programme=programme, status=MentorMembership.Status.APPROVED
    )
    membership = approved.filter(user_id=OuterRef("user_id")).values("pk")[:1]
    rows = (
        MentorProfile.objects.filter(user_id__in=approved.values("user_id"))
        .with_free_places()
        .with_responses(programme)
        .annotate(membership_pk=Subquery(membership))
        .select_related("user", "primary_specialty")
    )
    places = filters.value("places")
    if places == "free":
        rows = rows.filter(free_places__gt=0)
    elif places == "full":
        rows = rows.filter(is_accepting_requests=True, free_places=0)
    elif places == "paused":
        rows = rows.filter(is_accepting_requests=False)
    if specialty := filters.value("specialty"):
        rows = rows.filter(primary_specialty=specialty)
    if name := filters.value("q"):
        rows = rows.filter(user__full_name__icontains=name.strip())
    return rows


def _with_median_times(programme: Programme, profiles: Sequence[MentorProfile]) -> None:
    """Each profile's median time to respond, for a page of mentors in one query."""
    medians = median_response_times([programme.pk], [p.user_id for p in profiles])
    for profile in profiles:
        profile.median_response = medians.get(profile.user_id)
        profile.median_response_hours = hours(profile.median_response)


def _mentor_download(programme: Programme, rows: QuerySet, file_format: str) -> HttpResponse:
    profiles = list(rows)
    medians = median_response_times([programme.pk], rows.values("user_id"))
    headers = [
        "Mentor",
        "Email address",
        "Role",
        "Main specialty",
        "Capacity",
        "Free places",
        "Taking requests",
        "Active mentees",
        "Requests received",
        "Answered",
        "Expired unanswered",
        "Response rate %",
        "Median hours to respond",
    ]
    return spreadsheets.download(
        headers,
        (
            [
                p.user.full_name,
                p.user.email,
                f"{p.job_title}, {p.organisation}",
                p.primary_specialty.name,
                p.capacity,
                p.free_places,
                p.is_accepting_requests,
                p.active_mentees,
                p.requests_received,
                p.requests_answered,
                p.requests_expired,
                None if p.response_rate is None else round(p.response_rate, 1),
                hours(medians.get(p.user_id)),
            ]
            for p in profiles
        ),
        filename=f"{programme.slug}-mentors",
        file_format=file_format,
        title="Mentors",
    )


def approved_mentors(request: HttpRequest, programme: Programme) -> HttpResponse | dict:
    """The approved mentors' part of the roster's context, or the download asked for."""
    filters = MentorListFilters(request.GET)
    sort, ordering = _ordering(MENTOR_SORTS, request.GET.get("sort", ""), "name")
    rows = mentor_rows(programme, filters).order_by(*ordering)
    if request.GET.get("download"):
        return _mentor_download(programme, rows, request.GET["download"])
    page = _page(request, rows)
    _with_median_times(programme, page.object_list)
    return {
        "filters": filters,
        "approved": page.object_list,
        "page": page,
        "query": _query_without_page(request.GET),
        "headers": _headers(request, MENTOR_COLUMNS, sort),
        "downloads": _download_links(request),
        "filtered": bool(
            filters.value("q") or filters.value("specialty") or filters.value("places")
        ),
    }
