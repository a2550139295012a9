"""The figures on a programme's dashboard (or on one across every programme a manager runs),
for a date range. Pure reads: a fixed number of queries however large the programmes are
(tests/mentorship/test_dashboard_queries.py); the words come from models/progress.py.

What the date range means, figure by figure:
- the path (applied -> completed): mentees who applied in the range, and how far each has got
  since (a cohort, so the conversions compare like with like);
- requests and answers: requests made in the range; mentors paused automatically: their
  latest automatic pause fell in the range;
- mentorships: active today, started, completed or ended early in the range; meetings held
  in the range against what the agreed cadence expected in it;
- check-ins answered, and feedback given, in the range.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Greatest, Least, NullIf, TruncMonth
from django.utils import timezone

from journey.models import MENTORSHIP_FUNCTIONS, CheckIn, Feedback, Meeting
from journey.models.checkins import LOW_SCORE

from .models import MeetingCadence, MenteeMembership, MentorProfile, MentorRequest, Mentorship
from .models.programmes import MentorMembership
from .models.progress import (
    PATH,
    Stage,
    aggregate_with_median,
    annotate_path,
    days,
    hours,
    reached,
    response_time,
    with_first_answer,
)


@dataclass(frozen=True)
class Period:
    """A date range, both ends included; either end may be open."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def bounds(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """Aware datetimes: the start's midnight, and the midnight after the end."""

        def midnight(day: datetime.date) -> datetime.datetime:
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))

        start = midnight(self.start) if self.start else None
        end = midnight(self.end + datetime.timedelta(days=1)) if self.end else None
        return start, end

    def filter(self, name: str, *, is_date: bool = False) -> Q:
        """Rows whose `name` (a datetime, or a date with is_date) falls in the range."""
        q = Q()
        if is_date:
            if self.start:
                q &= Q(**{f"{name}__gte": self.start})
            if self.end:
                q &= Q(**{f"{name}__lte": self.end})
            return q
        start, end = self.bounds()
        if start:
            q &= Q(**{f"{name}__gte": start})
        if end:
            q &= Q(**{f"{name}__lt": end})
        return q

    @property
    def label(self) -> str:
        def day(d: datetime.date) -> str:
            return f"{d.day} {d:%B %Y}"

        if self.start and self.end:
            return f"{day(self.start)} to {day(self.end)}"
        if self.start:
            return f"from {day(self.start)}"
        if self.end:
            return f"up to {day(self.end)}"
        return "all time"


@dataclass(frozen=True)
class Step:
    stage: str
    label: str
    count: int
    conversion: float | None  # percent of the step before; None for the first


@dataclass(frozen=True)
class MonthScore:
    month: datetime.date
    answers: int
    average: float | None
    low: int


@dataclass(frozen=True)
class FunctionFeedback:
    code: str
    label: str
    mentee_average: float | None
    mentee_answers: int
    mentor_average: float | None
    mentor_answers: int


@dataclass
class Figures:
    period: Period
    path: list[Step]
    median_days_to_match: int | None
    requests_made: int
    requests_answered: int
    requests_expired: int
    response_rate: float | None
    median_hours_to_respond: float | None
    mentors_paused_automatically: int
    mentors_paused_now: int
    active_mentorships: int
    mentorships_started: int
    mentorships_completed: int
    mentorships_ended_early: int
    meetings_logged: int
    meetings_confirmed: int
    confirmed_hours: float
    meetings_expected: int
    check_ins: list[MonthScore] = field(default_factory=list)
    feedback_given: int = 0
    would_recommend: dict[str, int] = field(default_factory=dict)
    feedback_by_function: list[FunctionFeedback] = field(default_factory=list)

    @property
    def meetings_against_cadence(self) -> float | None:
        """Confirmed meetings as a percentage of what the agreed cadence expected."""
        if not self.meetings_expected:
            return None
        return round(100 * self.meetings_confirmed / self.meetings_expected, 1)

    @property
    def check_in_average(self) -> float | None:
        answers = sum(m.answers for m in self.check_ins if m.average is not None)
        if not answers:
            return None
        total = sum(m.average * m.answers for m in self.check_ins if m.average is not None)
        return round(total / answers, 1)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- Each group of figures: one or two queries ----------------------------------------------


def _path(programme_ids: Sequence[int], period: Period) -> tuple[list[Step], int | None]:
    cohort = MenteeMembership.objects.filter(programme_id__in=programme_ids).filter(
        period.filter("created_at")
    )
    counts, waited = aggregate_with_median(
        # One programme: whether each mentee asked is a probe of that programme's askers.
        annotate_path(cohort, programme_ids[0] if len(programme_ids) == 1 else None),
        {stage: Count("pk", filter=reached(stage)) for stage in PATH},
        F("matched_at") - F("decided_at"),
    )
    steps, previous = [], None
    for stage in PATH:
        steps.append(
            Step(
                stage,
                Stage(stage).label,
                counts[stage],
                None if previous is None else _percent(counts[stage], previous),
            )
        )
        previous = counts[stage]
    return steps, days(waited)


def _requests(programme_ids: Sequence[int], period: Period) -> dict:
    requests = with_first_answer(
        MentorRequest.objects.filter(programme_id__in=programme_ids).filter(
            period.filter("created_at")
        )
    )
    counts, median = aggregate_with_median(
        requests,
        {
            "made": Count("pk"),
            "answered": Count("pk", filter=Q(answered_at__isnull=False)),
            "expired": Count("pk", filter=Q(expired_unanswered=True)),
        },
        response_time(),
    )
    return {
        "requests_made": counts["made"],
        "requests_answered": counts["answered"],
        "requests_expired": counts["expired"],
        "response_rate": _percent(counts["answered"], counts["answered"] + counts["expired"]),
        "median_hours_to_respond": hours(median),
    }


def _paused(programme_ids: Sequence[int], period: Period) -> dict:
    mentors = MentorMembership.objects.filter(programme_id__in=programme_ids).values("user_id")
    auto = Q(paused_automatically_at__isnull=False) & period.filter("paused_automatically_at")
    counts = MentorProfile.objects.filter(user_id__in=mentors).aggregate(
        auto=Count("pk", filter=auto),
        now=Count("pk", filter=auto & Q(is_accepting_requests=False)),
    )
    return {"mentors_paused_automatically": counts["auto"], "mentors_paused_now": counts["now"]}


def _mentorships(programme_ids: Sequence[int], period: Period, today: datetime.date) -> dict:
    Status = Mentorship.Status
    ended_in = period.filter("ended_on", is_date=True)
    counts = Mentorship.objects.filter(programme_id__in=programme_ids).aggregate(
        active=Count("pk", filter=Q(status=Status.ACTIVE)),
        started=Count("pk", filter=period.filter("started_on", is_date=True)),
        completed=Count("pk", filter=Q(status=Status.COMPLETED) & ended_in),
        ended_early=Count("pk", filter=Q(status=Status.ENDED_EARLY) & ended_in),
    )
    return {
        "active_mentorships": counts["active"],
        "mentorships_started": counts["started"],
        "mentorships_completed": counts["completed"],
        "mentorships_ended_early": counts["ended_early"],
    }


class DaysBetween(Func):
    """Whole days from the second date to the first, as an integer, in SQL."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        return self.as_sql_template(compiler, connection, "(%(expressions)s)", " - ")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql_template(
            compiler, connection, "CAST(julianday(%(expressions)s) AS INTEGER)", ") - julianday("
        )

    def as_sql_template(self, compiler, connection, template, joiner):
        return super().as_sql(
            compiler, connection, template=template, arg_joiner=joiner, function=""
        )


def _meetings(programme_ids: Sequence[int], period: Period, today: datetime.date) -> dict:
    held = Meeting.objects.filter(mentorship__programme_id__in=programme_ids).filter(
        period.filter("held_on", is_date=True)
    )
    confirmed = Q(confirmed_at__isnull=False)
    counts = held.aggregate(
        logged=Count("pk"),
        confirmed=Count("pk", filter=confirmed),
        minutes=Coalesce(Sum("minutes", filter=confirmed), 0),
    )
    # What the agreed cadence (the agreement's, else the programme's) expected in the range:
    # one meeting per full interval of each mentorship's days inside it, up to today.
    window_end = min(d for d in (period.end, today) if d is not None)
    end = Least(Coalesce("ended_on", "planned_end_on"), Value(window_end))
    start = Greatest("started_on", Value(period.start)) if period.start else F("started_on")
    interval = CaseWhen(
        *[When(cadence=c, then=Value(MeetingCadence.interval_days(c))) for c in MeetingCadence],
        output_field=IntegerField(),
    )
    mentorships = Mentorship.objects.filter(programme_id__in=programme_ids).annotate(
        cadence=Coalesce("agreement__cadence", "programme__meeting_cadence"),
    )
    expected = mentorships.annotate(days_in=DaysBetween(end, start), interval=interval).aggregate(
        n=Coalesce(
            Sum(
                CaseWhen(
                    When(days_in__gt=0, then=F("days_in") / F("interval")),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            ),
            0,
        )
    )["n"]
    return {
        "meetings_logged": counts["logged"],
        "meetings_confirmed": counts["confirmed"],
        "confirmed_hours": round(counts["minutes"] / 60, 1),
        "meetings_expected": expected,
    }


def _check_ins(programme_ids: Sequence[int], period: Period) -> list[MonthScore]:
    rows = (
        CheckIn.objects.answered()
        .filter(mentorship__programme_id__in=programme_ids)
        .filter(period.filter("answered_at"))
        .annotate(month=TruncMonth("answered_at"))
        .order_by()
        .values("month")
        .annotate(
            answers=Count("pk"),
            average=Avg("score"),
            low=Count("pk", filter=Q(score__lte=LOW_SCORE) | Q(not_a_good_fit=True)),
        )
        .order_by("month")
    )
    return [
        MonthScore(
            month=row["month"].date() if hasattr(row["month"], "date") else row["month"],
            answers=row["answers"],
            average=None if row["average"] is None else round(row["average"], 1),
            low=row["low"],
        )
        for row in rows
    ]


def _feedback(programme_ids: Sequence[int], period: Period) -> dict:
    given = Feedback.objects.filter(mentorship__programme_id__in=programme_ids).filter(
        period.filter("submitted_at")
    )
    aggregates: dict = {
        "total": Count("pk"),
        **{
            f"recommend_{value}": Count("pk", filter=Q(would_recommend=value))
            for value in Feedback.Recommend.values
        },
    }
    for code, _label in MENTORSHIP_FUNCTIONS:
        # "Not applicable" is stored as JSON null: no rating, not a zero (SQLite reads a JSON
        # null as the text "null"; PostgreSQL as NULL).
        text = NullIf(KeyTextTransform(code, "function_ratings"), Value("null"))
        rating = Cast(text, FloatField())
        aggregates[f"{code}__avg"] = Avg(rating)
        aggregates[f"{code}__n"] = Count(rating)
    # Two rows, the mentees' and the mentors' (grouping is far cheaper than filtering each
    # of the 28 aggregates).
    groups = {
        row["by_mentee"]: row
        for row in given.annotate(
            by_mentee=ExpressionWrapper(
                Q(person_id=F("mentorship__mentee_id")), output_field=BooleanField()
            )
        )
        .order_by()
        .values("by_mentee")
        .annotate(**aggregates)
    }
    empty = {key: None if key.endswith("__avg") else 0 for key in aggregates}
    mentees, mentors = groups.get(True, empty), groups.get(False, empty)

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    def both(key: str) -> int:
        return mentees[key] + mentors[key]

    return {
        "feedback_given": both("total"),
        "would_recommend": {
            label: both(f"recommend_{value}") for value, label in Feedback.Recommend.choices
        },
        "feedback_by_function": [
            FunctionFeedback(
                code,
                label,
                rounded(mentees[f"{code}__avg"]),
                mentees[f"{code}__n"],
                rounded(mentors[f"{code}__avg"]),
                mentors[f"{code}__n"],
            )
            for code, label in MENTORSHIP_FUNCTIONS
        ],
    }


def figures(
    programme_ids: Sequence[int], period: Period | None = None, today: datetime.date | None = None
) -> Figures:
    """Every figure on the dashboard, for these programmes and this date range."""
    period = period or Period()
    today = today or timezone.localdate()
    ids = list(programme_ids)
    path, median_days = _path(ids, period)
    return Figures(
        period=period,
        path=path,
        median_days_to_match=median_days,
        **_requests(ids, period),
        **_paused(ids, period),
        **_mentorships(ids, period, today),
        **_meetings(ids, period, today),
        check_ins=_check_ins(ids, period),
        **_feedback(ids, period),
    )


# --- The same figures as rows, for the exports ---------------------------------------------


FIGURE_HEADERS = ["Section", "Figure", "Value"]


def figure_rows(figs: Figures) -> list[list[object]]:
    """Every figure as (section, figure, value): what the dashboard export holds."""
    rows: list[list[object]] = [["Period", "Dates", figs.period.label]]
    for step in figs.path:
        rows.append(["Path", f"{step.label}: mentees", step.count])
        if step.conversion is not None:
            rows.append(["Path", f"{step.label}: % of the step before", step.conversion])
    rows += [
        ["Path", "Median days from acceptance to match", figs.median_days_to_match],
        ["Requests", "Requests made", figs.requests_made],
        ["Requests", "Answered by the mentor", figs.requests_answered],
        ["Requests", "Expired unanswered", figs.requests_expired],
        ["Requests", "Response rate %", figs.response_rate],
        ["Requests", "Median hours to respond", figs.median_hours_to_respond],
        ["Mentors", "Paused automatically", figs.mentors_paused_automatically],
        ["Mentors", "Still paused", figs.mentors_paused_now],
        ["Mentorships", "Active today", figs.active_mentorships],
        ["Mentorships", "Started", figs.mentorships_started],
        ["Mentorships", "Completed", figs.mentorships_completed],
        ["Mentorships", "Ended early", figs.mentorships_ended_early],
        ["Meetings", "Logged", figs.meetings_logged],
        ["Meetings", "Confirmed", figs.meetings_confirmed],
        ["Meetings", "Confirmed hours", figs.confirmed_hours],
        ["Meetings", "Expected by the agreed cadence", figs.meetings_expected],
        ["Meetings", "Confirmed as % of expected", figs.meetings_against_cadence],
    ]
    for month in figs.check_ins:
        label = f"{month.month:%B %Y}"
        rows.append(["Check-ins", f"{label}: answers", month.answers])
        rows.append(["Check-ins", f"{label}: average score (1-5)", month.average])
        rows.append(["Check-ins", f"{label}: low or not a good fit", month.low])
    rows.append(["Feedback", "Feedback given", figs.feedback_given])
    for label, count in figs.would_recommend.items():
        rows.append(["Feedback", f"Would recommend: {label}", count])
    return rows


FEEDBACK_HEADERS = [
    "Mentorship function",
    "Mentees' average (0-4)",
    "Mentees who rated it",
    "Mentors' average (0-4)",
    "Mentors who rated it",
]


def feedback_rows(figs: Figures) -> list[list[object]]:
    return [
        [f.label, f.mentee_average, f.mentee_answers, f.mentor_average, f.mentor_answers]
        for f in figs.feedback_by_function
    ]
