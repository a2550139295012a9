"""Where each mentee and mentor stands in a programme: the words the managers' lists, the
dashboard and their exports share. Each is one definition, as SQL annotations (never a query
per row), used through the QuerySet methods `MenteeMembership.objects.with_progress()` and
`MentorProfile.objects.with_responses(programme)`.

- A mentee's **stage**: matched (an active mentorship in the programme), else completed (a
  completed mentorship there), else asked (an open request there), else accepted, applied,
  not accepted or withdrawn, as their membership says.
- **Days waited**: from the managers' acceptance until the first mentorship in the programme
  started, or until now while there is none.
- A mentor **answered** a request when they accepted, declined or asked a question about it
  (an event by the mentor on that request: the log, not a label). A request that expired
  without an answer counts against them. **Response rate** = answered / (answered + expired
  unanswered); **time to respond** = from the request to the mentor's first answer.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable

from django.db import connections, models
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .events import Action, Event
from .mentorships import Mentorship
from .requests import MentorRequest


class Stage(models.TextChoices):
    APPLIED = "applied", "Applied"
    ACCEPTED = "accepted", "Accepted"
    ASKED = "asked", "Asked a mentor"
    MATCHED = "matched", "Matched"
    COMPLETED = "completed", "Completed"
    DECLINED = "declined", "Not accepted"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The stages of the path the dashboard follows, in order (not accepted and withdrawn leave it).
PATH = (Stage.APPLIED, Stage.ACCEPTED, Stage.ASKED, Stage.MATCHED, Stage.COMPLETED)

# What a mentor does that answers a request (accepting a proposal starts the mentorship at
# once, which the log records as approved by the mentor).
MENTOR_ANSWERS = (Action.ACCEPTED, Action.DECLINED, Action.ASKED, Action.APPROVED)


# --- Medians ---------------------------------------------------------------------------


class _PercentileMedian(Aggregate):
    """PostgreSQL's median (works on numbers and on intervals)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


def _is_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def median_duration(queryset: QuerySet, expression) -> datetime.timedelta | None:
    """The median of a duration over the rows, in one query: PERCENTILE_CONT on PostgreSQL,
    the values and Python's statistics.median elsewhere (SQLite has no median)."""
    rows = queryset.annotate(
        _duration=ExpressionWrapper(expression, output_field=DurationField())
    ).filter(_duration__isnull=False)
    if _is_postgres(queryset):
        median = _PercentileMedian("_duration", output_field=DurationField())
        return rows.order_by().aggregate(median=median)["median"]
    values = list(rows.order_by().values_list("_duration", flat=True))
    return statistics.median(values) if values else None


def aggregate_with_median(
    queryset: QuerySet, aggregates: dict, expression
) -> tuple[dict, datetime.timedelta | None]:
    """The aggregates, and the median of a duration over the rows where it is not null. One
    pass over the rows on PostgreSQL (PERCENTILE_CONT skips nulls); a second query elsewhere."""
    if not _is_postgres(queryset):
        return queryset.aggregate(**aggregates), median_duration(queryset, expression)
    rows = queryset.annotate(_duration=ExpressionWrapper(expression, output_field=DurationField()))
    median = _PercentileMedian("_duration", output_field=DurationField())
    row = rows.aggregate(**aggregates, _median=median)
    return row, row.pop("_median")


def median_duration_by(
    queryset: QuerySet, key: str, expression
) -> dict[object, datetime.timedelta]:
    """The median duration per value of `key`, from one query (the durations, grouped in
    Python: the rows may already be grouped, as `with_first_answer`'s are, and SQL cannot
    nest one aggregate in another). Meant for a page of rows, or a download."""
    rows = queryset.annotate(
        _duration=ExpressionWrapper(expression, output_field=DurationField())
    ).filter(_duration__isnull=False)
    groups: dict[object, list[datetime.timedelta]] = defaultdict(list)
    for value, duration in rows.order_by().values_list(key, "_duration"):
        groups[value].append(duration)
    return {value: statistics.median(durations) for value, durations in groups.items()}


# --- Requests ----------------------------------------------------------------------------


def _mentor_answers() -> QuerySet[Event]:
    """The mentor's answers to the request in the outer query."""
    return Event.objects.filter(
        request_id=OuterRef("pk"), actor_id=OuterRef("mentor_id"), action__in=MENTOR_ANSWERS
    )


def with_first_answer(requests: QuerySet[MentorRequest]) -> QuerySet[MentorRequest]:
    """Annotates `answered_at`: when the mentor first answered (None if never), and
    `expired_unanswered`: expired with no answer from the mentor. A join and a GROUP BY (not
    a subquery per row), so PostgreSQL hashes a whole programme's requests in one pass."""
    # The condition goes in the join (FilteredRelation), so only the answers are joined.
    answers = FilteredRelation(
        "events", condition=Q(events__action__in=MENTOR_ANSWERS, events__actor_id=F("mentor_id"))
    )
    return requests.annotate(answers=answers, answered_at=Min("answers__created_at")).annotate(
        expired_unanswered=ExpressionWrapper(
            Q(status=MentorRequest.Status.EXPIRED, answered_at__isnull=True),
            output_field=models.BooleanField(),
        )
    )


def response_time():
    """From the request to the mentor's first answer (on `with_first_answer` rows)."""
    return F("answered_at") - F("created_at")


# --- Mentees -----------------------------------------------------------------------------


# The mentee's requests and mentorships in the membership's own programme, reached by joins
# (user -> requests_made / mentorships_as_mentee) and counted with GROUP BY: one pass over a
# programme's rows, where a subquery per membership would probe the indexes 50,000 times.
_REQUEST = "user__requests_made"
_MENTORSHIP = "user__mentorships_as_mentee"


def _same_programme(path: str, **more: object) -> Q:
    return Q(**{f"{path}__programme_id": F("programme_id")}) & Q(
        **{f"{path}__{key}": value for key, value in more.items()}
    )


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=models.BooleanField())


def annotate_path(memberships: QuerySet, programme_id: int | None = None) -> QuerySet:
    """Annotates how far along the path each membership has been: `has_asked` (any request
    in the programme), `has_matched` (any mentorship there), `has_completed` (a completed
    one), and `matched_at` (when the first mentorship began). What the dashboard counts; see
    `reached`. Give `programme_id` when every membership is in that one programme."""
    completed = _same_programme(_MENTORSHIP, status=Mentorship.Status.COMPLETED)
    # Whether they asked is one probe of a set of memberships computed once (PostgreSQL
    # hashes it): joining every request too would multiply each mentee's rows by their
    # requests before the GROUP BY.
    # With `programme_id` (every membership is in that one programme) the set is simply
    # who asked there: the requests alone, no join.
    if programme_id is not None:
        asked_q = Q(
            user_id__in=MentorRequest.objects.filter(programme_id=programme_id)
            .order_by()
            .values("mentee_id")
        )
    else:
        scope = memberships if not memberships.query.annotations else memberships.model.objects
        asked_q = Q(pk__in=scope.order_by().filter(_same_programme(_REQUEST)).values("pk"))
    return memberships.annotate(
        _mentorships=Count(_MENTORSHIP, filter=_same_programme(_MENTORSHIP)),
        _completed=Count(_MENTORSHIP, filter=completed),
        matched_at=Min(f"{_MENTORSHIP}__created_at", filter=_same_programme(_MENTORSHIP)),
    ).annotate(
        has_asked=_flag(asked_q),
        has_matched=_flag(Q(_mentorships__gt=0)),
        has_completed=_flag(Q(_completed__gt=0)),
    )


def annotate_first_match(memberships: QuerySet) -> QuerySet:
    """Annotates `matched_at`: when the first mentorship in the programme began (None if
    none did)."""
    return memberships.annotate(
        matched_at=Min(f"{_MENTORSHIP}__created_at", filter=_same_programme(_MENTORSHIP))
    )


def waited_until(now: datetime.datetime):
    """From acceptance until the first match or `now` (on annotate_first_match rows)."""
    return ExpressionWrapper(
        Coalesce(F("matched_at"), Value(now, output_field=models.DateTimeField()))
        - F("decided_at"),
        output_field=DurationField(),
    )


def annotate_mentee_progress(memberships: QuerySet, now: datetime.datetime | None = None):
    """Annotates each membership with the path's flags (annotate_path), `open_requests`,
    `is_matched` (active now), `matched_at`, `stage` and `waited` (a duration, or None before
    acceptance)."""
    now = now or timezone.now()
    Status = memberships.model.Status
    is_open = _same_programme(_REQUEST, status__in=MentorRequest.OPEN_STATUSES)
    active = _same_programme(_MENTORSHIP, status=Mentorship.Status.ACTIVE)
    annotated = annotate_path(memberships).annotate(
        # Distinct: the mentorships' join repeats each request once per mentorship.
        open_requests=Count(_REQUEST, filter=is_open, distinct=True),
        _active=Count(_MENTORSHIP, filter=active),
    )
    annotated = annotated.annotate(is_matched=_flag(Q(_active__gt=0)))
    return annotated.annotate(
        stage=Case(
            When(is_matched=True, then=Value(Stage.MATCHED.value)),
            When(has_completed=True, then=Value(Stage.COMPLETED.value)),
            When(Q(status=Status.ACCEPTED, open_requests__gt=0), then=Value(Stage.ASKED.value)),
            default=F("status"),
            output_field=models.CharField(),
        ),
        waited=Case(
            When(
                Q(decided_at__isnull=False)
                & (Q(status=Status.ACCEPTED) | Q(matched_at__isnull=False)),
                then=waited_until(now),
            ),
            default=None,
            output_field=DurationField(),
        ),
    )


def reached(stage: str) -> Q:
    """Memberships (annotated by annotate_mentee_progress) that got at least this far along
    the path. Accepted covers those who asked or were matched and left later."""
    return {
        Stage.APPLIED: Q(pk__isnull=False),
        Stage.ACCEPTED: Q(status=Stage.ACCEPTED.value) | Q(has_asked=True) | Q(has_matched=True),
        Stage.ASKED: Q(has_asked=True) | Q(has_matched=True),
        Stage.MATCHED: Q(has_matched=True),
        Stage.COMPLETED: Q(has_completed=True),
    }[Stage(stage)]


# --- Mentors -----------------------------------------------------------------------------


def annotate_mentor_responses(profiles: QuerySet, programme_ids: Iterable[int]):
    """Annotates mentor profiles with `requests_received`, `requests_answered`,
    `requests_expired` (unanswered) and `response_rate` (0-100, None with nothing to
    answer yet), over their requests in these programmes."""
    received = MentorRequest.objects.filter(
        programme_id__in=list(programme_ids), mentor_id=OuterRef("user_id")
    )

    def count(queryset: QuerySet) -> Coalesce:
        rows = queryset.order_by().values("mentor_id").annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(rows), 0)

    answered = received.filter(Exists(_mentor_answers()))
    expired = received.filter(status=MentorRequest.Status.EXPIRED).exclude(
        Exists(_mentor_answers())
    )
    return profiles.annotate(
        requests_received=count(received),
        requests_answered=count(answered),
        requests_expired=count(expired),
    ).annotate(
        response_rate=Case(
            When(Q(requests_answered=0, requests_expired=0), then=None),
            default=ExpressionWrapper(
                100.0 * F("requests_answered") / (F("requests_answered") + F("requests_expired")),
                output_field=FloatField(),
            ),
            output_field=FloatField(),
        )
    )


def answered_request_ids(programme_ids: Iterable[int]) -> QuerySet[Event]:
    """The ids of the requests in these programmes that their mentor answered: one
    uncorrelated subquery, which PostgreSQL hashes once (a "hashed SubPlan") and probes."""
    return (
        Event.objects.filter(
            request__programme_id__in=list(programme_ids),
            action__in=MENTOR_ANSWERS,
            actor_id=F("request__mentor_id"),
        )
        .order_by()
        .values("request_id")
    )


def annotate_response_order(profiles: QuerySet, programme_ids: Iterable[int]) -> QuerySet:
    """Annotates `requests_received` and `response_rate` (the same figures as
    annotate_mentor_responses) for sorting every mentor of a programme in one pass: their
    requests there are joined and grouped by mentor (GROUP BY, no subquery per mentor), and
    whether each was answered is one probe of a set hashed once. The rate is the average of
    1 (answered) and 0 (expired unanswered) over the requests that are either: answered /
    (answered + expired), null with neither. Meant for a narrow query (the filters, this,
    the primary keys): beside other subquery annotations, the GROUP BY would take them in.
    (A subquery per mentor over 20,000 mentors took seconds, and made PostgreSQL JIT-compile
    the plan.)"""
    ids = list(programme_ids)
    received = FilteredRelation(
        "user__requests_received", condition=Q(user__requests_received__programme_id__in=ids)
    )
    outcome = Case(
        When(Q(_received__in=answered_request_ids(ids)), then=Value(1.0)),
        When(Q(_received__status=MentorRequest.Status.EXPIRED), then=Value(0.0)),
        default=None,
        output_field=FloatField(),
    )
    return profiles.annotate(_received=received).annotate(
        requests_received=Count("_received"),
        response_rate=ExpressionWrapper(100.0 * Avg(outcome), output_field=FloatField()),
    )


def median_response_times(
    programme_ids: Iterable[int], mentor_ids: Iterable[int] | QuerySet
) -> dict[int, datetime.timedelta]:
    """Each mentor's median time to answer a request in these programmes, in one query (for a
    page of mentors, or a subquery of them)."""
    if not isinstance(mentor_ids, QuerySet):
        mentor_ids = list(mentor_ids)
    requests = with_first_answer(
        MentorRequest.objects.filter(programme_id__in=list(programme_ids), mentor_id__in=mentor_ids)
    )
    return median_duration_by(requests, "mentor_id", response_time())


def days(duration: datetime.timedelta | None) -> int | None:
    """Whole days in a duration (None stays None)."""
    return None if duration is None else duration.days


def hours(duration: datetime.timedelta | None) -> float | None:
    """Hours in a duration, to one decimal place (None stays None)."""
    return None if duration is None else round(duration.total_seconds() / 3600, 1)
