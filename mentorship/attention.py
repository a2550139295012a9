"""Needs attention: what the programme team should look at now, each with why and a link to
the page where it is fixed. Pure reads; nothing here changes state.

One query per kind, however many rows or programmes (`rows_for`):

- a mentee accepted UNMATCHED_AFTER_DAYS ago or more and still without a mentor;
- a request waiting too long: for the mentor's answer for REQUEST_WAITING_DAYS or past half
  its time to expiry, whichever comes first; or accepted by the mentor and waiting
  APPROVAL_WAITING_DAYS for a manager's approval;
- a quiet mentorship (the journey's rule: `journey.services.meetings`);
- a check-in with a low score or "not a good fit", while the mentorship is active and until
  the same person answers a later check-in without one (there is no "dealt with" mark yet);
- a concern not yet acknowledged (overdue or not: the reason says which);
- a mentor over-asked: at least OVER_ASKED_MIN_WAITING requests waiting for their answer and
  more than OVER_ASKED_FACTOR times their free places, or OVER_ASKED_RECENT_ENDED requests
  declined or left to expire in the last OVER_ASKED_WINDOW_DAYS days.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from journey.models import CheckIn, Concern
from journey.services.meetings import ATTENTION_AFTER_INTERVALS, quiet_mentorships, quiet_reason

from .models import (
    MenteeMembership,
    MentorMembership,
    MentorProfile,
    MentorRequest,
    Mentorship,
    Programme,
)

UNMATCHED_AFTER_DAYS = 21
REQUEST_WAITING_DAYS = 7
APPROVAL_WAITING_DAYS = 3
OVER_ASKED_MIN_WAITING = 3
OVER_ASKED_FACTOR = 2
OVER_ASKED_RECENT_ENDED = 3
OVER_ASKED_WINDOW_DAYS = 28


class Kind(models.TextChoices):
    """In the order the lists show them: people waiting first, then mentorships."""

    UNMATCHED = "unmatched", "Waiting for a mentor"
    REQUEST = "request", "Requests waiting too long"
    QUIET = "quiet", "Quiet mentorships"
    CHECK_IN = "check_in", "Low check-ins and not a good fit"
    CONCERN = "concern", "Concerns not acknowledged"
    OVER_ASKED = "over_asked", "Mentors over-asked"


@dataclass(frozen=True)
class Row:
    kind: Kind
    programme: Programme
    who: str
    reason: str
    since: datetime.date
    link: str  # a path on this site: prefix settings.SITE_URL for an email
    mentorship_id: int | None = None

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


def _day(value: datetime.date | datetime.datetime, today: datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return date_format(value, "j F" if value.year == today.year else "j F Y")


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _date(value: datetime.date | datetime.datetime) -> datetime.date:
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def _pair(mentorship: Mentorship) -> str:
    return f"{mentorship.mentee.full_name} and {mentorship.mentor.full_name}"


# --- One read per kind --------------------------------------------------------------------


def _unmatched(programmes: dict[int, Programme], now: datetime.datetime) -> list[Row]:
    today = timezone.localdate(now)
    cutoff = now - datetime.timedelta(days=UNMATCHED_AFTER_DAYS)
    open_requests = (
        MentorRequest.objects.open()
        .filter(programme_id=OuterRef("programme_id"), mentee_id=OuterRef("user_id"))
        .order_by()
        .values("mentee_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # waiting_for_a_mentor reads one programme; OR-ed together they are still one query.
    waiting = functools.reduce(
        operator.or_,
        (MenteeMembership.objects.waiting_for_a_mentor(p) for p in programmes.values()),
    )
    found = (
        waiting.annotate(
            accepted_at=Coalesce("decided_at", "created_at"),
            open_requests=Coalesce(Subquery(open_requests[:1]), 0),
        )
        .filter(accepted_at__lte=cutoff)
        .select_related("user")
        .order_by("accepted_at", "pk")
    )
    rows = []
    for m in found:
        days = (today - _date(m.accepted_at)).days
        reason = f"Accepted {_days(days)} ago and still without a mentor"
        reason += (
            f"; {m.open_requests} request{'' if m.open_requests == 1 else 's'} open"
            if m.open_requests
            else "; no open requests"
        )
        programme = programmes[m.programme_id]
        rows.append(
            Row(
                Kind.UNMATCHED,
                programme,
                m.user.full_name,
                reason,
                _date(m.accepted_at),
                reverse("manage:mentee", args=[programme.slug, m.pk]),
            )
        )
    return rows


def _requests(programmes: dict[int, Programme], now: datetime.datetime) -> list[Row]:
    today = timezone.localdate(now)
    mentor_membership = MentorMembership.objects.filter(
        programme_id=OuterRef("programme_id"), user_id=OuterRef("mentor_id")
    ).values("pk")[:1]
    elapsed = ExpressionWrapper(models.Value(now) - F("created_at"), output_field=DurationField())
    remaining = ExpressionWrapper(F("expires_at") - models.Value(now), output_field=DurationField())
    waiting_for_mentor = Q(status__in=MentorRequest.WAITING_FOR_MENTOR) & (
        Q(created_at__lte=now - datetime.timedelta(days=REQUEST_WAITING_DAYS))
        | Q(expires_at__isnull=False, elapsed__gte=F("remaining"))
    )
    waiting_for_manager = Q(
        status=MentorRequest.Status.ACCEPTED,
        updated_at__lte=now - datetime.timedelta(days=APPROVAL_WAITING_DAYS),
    )
    found = (
        MentorRequest.objects.filter(programme_id__in=programmes)
        .annotate(elapsed=elapsed, remaining=remaining, mentor_membership=mentor_membership)
        .filter(waiting_for_mentor | waiting_for_manager)
        .select_related("mentee", "mentor")
        .order_by("created_at", "pk")
    )
    rows = []
    for r in found:
        programme = programmes[r.programme_id]
        who = f"{r.mentee.full_name} asked {r.mentor.full_name}"
        if r.status == MentorRequest.Status.ACCEPTED:
            since = _date(r.updated_at)
            reason = (
                f"Accepted by the mentor {_days((today - since).days)} ago and waiting "
                "for a manager's approval"
            )
            link = reverse("manage:approvals", args=[programme.slug])
        else:
            since = _date(r.created_at)
            reason = f"Waiting {_days((today - since).days)} for the mentor's answer"
            if r.status == MentorRequest.Status.MORE_INFO:
                reason = (
                    f"Asked {_days((today - since).days)} ago; the mentor is waiting for "
                    "the answer to their question"
                )
            if r.expires_at:
                reason += f"; expires on {_day(r.expires_at, today)}"
            link = (
                reverse("manage:mentor", args=[programme.slug, r.mentor_membership])
                if r.mentor_membership
                else reverse("manage:mentors", args=[programme.slug])
            )
        rows.append(Row(Kind.REQUEST, programme, who, reason, since, link))
    rows.sort(key=lambda row: row.since)
    return rows


def _quiet(programmes: dict[int, Programme], now: datetime.datetime) -> list[Row]:
    today = timezone.localdate(now)
    found = quiet_mentorships(
        Mentorship.objects.filter(programme_id__in=programmes),
        intervals=ATTENTION_AFTER_INTERVALS,
        today=today,
    )
    return [
        Row(
            Kind.QUIET,
            programmes[m.programme_id],
            _pair(m),
            quiet_reason(m.quiet_since, m.agreed_cadence, started_on=m.started_on, today=today),
            m.quiet_since,
            m.page_url("meetings"),
            m.pk,
        )
        for m in found
    ]


def _check_ins(programmes: dict[int, Programme], now: datetime.datetime) -> list[Row]:
    today = timezone.localdate(now)
    later = CheckIn.objects.answered().filter(
        mentorship_id=OuterRef("mentorship_id"),
        person_id=OuterRef("person_id"),
        answered_at__gt=OuterRef("answered_at"),
    )
    found = (
        CheckIn.objects.alerting()
        .not_handled()
        .filter(
            mentorship__programme_id__in=programmes,
            mentorship__status=Mentorship.Status.ACTIVE,
        )
        .exclude(models.Exists(later))
        .select_related("person", "mentorship__mentee", "mentorship__mentor")
        .order_by("answered_at", "pk")
    )
    rows = []
    for c in found:
        mentorship = c.mentorship
        rows.append(
            Row(
                Kind.CHECK_IN,
                programmes[mentorship.programme_id],
                _pair(mentorship),
                f"{c.person.full_name} {' and '.join(c.alert_reasons)} "
                f"on {_day(c.answered_at, today)}",
                _date(c.answered_at),
                reverse("journey:check_in_answers", args=[mentorship.pk]),
                mentorship.pk,
            )
        )
    return rows


def _concerns(programmes: dict[int, Programme], now: datetime.datetime) -> list[Row]:
    today = timezone.localdate(now)
    found = (
        Concern.objects.unacknowledged()
        .open()
        .filter(mentorship__programme_id__in=programmes)
        .defer("details", "outcome")  # the concern's words are read on its own page
        .select_related("mentorship__mentee", "mentorship__mentor")
        .order_by("raised_at", "pk")
    )
    rows = []
    for c in found:
        by = _day(c.acknowledge_by, today)
        when = f"overdue since {by}" if c.acknowledge_by < now else f"to be acknowledged by {by}"
        mentorship = c.mentorship
        rows.append(
            Row(
                Kind.CONCERN,
                programmes[mentorship.programme_id],
                _pair(mentorship),
                f"A concern ({c.get_kind_display().lower()}) raised on "
                f"{_day(c.raised_at, today)}, {when}",
                _date(c.raised_at),
                reverse("journey:concern_detail", args=[mentorship.pk, c.pk]),
                mentorship.pk,
            )
        )
    return rows


def _over_asked(programmes: dict[int, Programme], now: datetime.datetime) -> list[Row]:
    def count(queryset: models.QuerySet) -> Coalesce:
        rows = (
            queryset.filter(programme_id=OuterRef("programme_id"), mentor_id=OuterRef("user_id"))
            .order_by()
            .values("mentor_id")
        )
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)

    def oldest(queryset: models.QuerySet) -> Subquery:
        rows = (
            queryset.filter(programme_id=OuterRef("programme_id"), mentor_id=OuterRef("user_id"))
            .order_by()
            .values("mentor_id")
        )
        return Subquery(rows.annotate(at=Min("created_at")).values("at")[:1])

    window_start = now - datetime.timedelta(days=OVER_ASKED_WINDOW_DAYS)
    waiting = MentorRequest.objects.filter(status__in=MentorRequest.WAITING_FOR_MENTOR)
    ended = MentorRequest.objects.filter(
        status__in=(MentorRequest.Status.DECLINED, MentorRequest.Status.EXPIRED),
        updated_at__gte=window_start,
    )
    free_places = (
        MentorProfile.objects.with_free_places()
        .filter(user_id=OuterRef("user_id"))
        .values("free_places")[:1]
    )
    found = (
        MentorMembership.objects.approved()
        .filter(programme_id__in=programmes)
        .annotate(
            waiting=count(waiting),
            ended_lately=count(ended),
            oldest_waiting=oldest(waiting),
            free_places=Coalesce(Subquery(free_places), 0),
        )
        .filter(
            Q(waiting__gte=OVER_ASKED_MIN_WAITING, waiting__gt=F("free_places") * OVER_ASKED_FACTOR)
            | Q(ended_lately__gte=OVER_ASKED_RECENT_ENDED)
        )
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    rows = []
    for m in found:
        reasons = []
        over = m.waiting >= OVER_ASKED_MIN_WAITING and m.waiting > m.free_places * OVER_ASKED_FACTOR
        if over:
            places = f"{m.free_places} free place{'' if m.free_places == 1 else 's'}"
            reasons.append(f"{m.waiting} requests waiting for an answer and {places}")
        if m.ended_lately >= OVER_ASKED_RECENT_ENDED:
            reasons.append(
                f"{m.ended_lately} requests declined or expired in the last "
                f"{OVER_ASKED_WINDOW_DAYS // 7} weeks"
            )
        since = _date(m.oldest_waiting) if over and m.oldest_waiting else _date(window_start)
        programme = programmes[m.programme_id]
        rows.append(
            Row(
                Kind.OVER_ASKED,
                programme,
                m.user.full_name,
                "; ".join(reasons),
                since,
                reverse("manage:mentor", args=[programme.slug, m.pk]),
            )
        )
    return rows


READS: dict[str, Callable[[dict[int, Programme], datetime.datetime], list[Row]]] = {
    Kind.UNMATCHED: _unmatched,
    Kind.REQUEST: _requests,
    Kind.QUIET: _quiet,
    Kind.CHECK_IN: _check_ins,
    Kind.CONCERN: _concerns,
    Kind.OVER_ASKED: _over_asked,
}


# --- What the pages and the email use ---------------------------------------------------


def rows_for(
    programmes: Iterable[Programme],
    *,
    kinds: Sequence[str] | None = None,
    now: datetime.datetime | None = None,
) -> list[Row]:
    """Everything that needs attention in these programmes, kind by kind (in Kind's order),
    oldest first within a kind. One query per kind whatever the size."""
    now = now or timezone.now()
    by_pk = {p.pk: p for p in programmes}
    if not by_pk:
        return []
    wanted = [k for k in Kind.values if kinds is None or k in kinds]
    rows: list[Row] = []
    for kind in wanted:
        rows.extend(READS[kind](by_pk, now))
    return rows


def rows_for_programme(
    programme: Programme, *, kinds: Sequence[str] | None = None, now=None
) -> list[Row]:
    return rows_for([programme], kinds=kinds, now=now)


def counts(rows: Iterable[Row]) -> list[tuple[Kind, int]]:
    """(kind, how many) for every kind, in order, zeros included."""
    found = Counter(row.kind for row in rows)
    return [(Kind(k), found.get(k, 0)) for k in Kind.values]


def reasons_by_mentorship(rows: Iterable[Row]) -> dict[int, str]:
    """Each mentorship's reasons joined, for exports."""
    found: dict[int, list[str]] = {}
    for row in rows:
        if row.mentorship_id is not None:
            found.setdefault(row.mentorship_id, []).append(row.reason)
    return {pk: "; ".join(reasons) for pk, reasons in found.items()}


def block(programmes: Iterable[Programme]) -> dict:
    """The context of templates/mentorship/manage/attention_block.html."""
    rows = rows_for(programmes)
    return {"attention": rows, "attention_counts": [(k, n) for k, n in counts(rows) if n]}
