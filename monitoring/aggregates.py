"""The only reads of equality answers and outcome surveys that anyone but the person sees:
per-programme tables of groups, each passed through monitoring/suppression.py.

Every figure is worked out in Python from a handful of queries per programme (the same
number whatever its size); no row names a person.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone
from django_countries import countries

from mentorship.models import (
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    Mentorship,
    Programme,
)

from .models import (
    ETHNIC_GROUP_LABELS,
    ETHNIC_GROUP_OF,
    PREFER_NOT_TO_SAY,
    PREFER_NOT_TO_SAY_LABEL,
    Disability,
    EqualityAnswers,
    OutcomeSurvey,
    Sex,
)
from .suppression import FEWER_THAN, big_enough, hidden_groups

NOT_ANSWERED = "Not answered"
NONE = "–"

Value = int | float | str | None


@dataclass
class Row:
    label: str
    values: list[Value]  # numbers as numbers, FEWER_THAN where hidden, None where no data
    cells: list[str]  # the same, as the page shows them


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]  # the first is the group's heading
    rows: list[Row] = field(default_factory=list)

    @property
    def body(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Each row's label with (column, cell) pairs: what a table that stacks on a phone
        shows, each cell with its heading."""
        return [
            (row.label, list(zip(self.columns[1:], row.cells, strict=True))) for row in self.rows
        ]


# --- Equality --------------------------------------------------------------------------


@dataclass
class _Mentee:
    """What the equality report needs of one accepted mentee (never leaves this module)."""

    user_id: int
    waited_days: int | None = None
    matched: bool = False
    finished: bool = False
    completed: bool = False
    feedback: float | None = None
    sex: str = ""
    ethnic_group: str = ""
    disability: str = ""
    country: str = ""


EQUALITY_COLUMNS = [
    "Group",
    "Mentees",
    "Matched",
    "Median days waited",
    "Completed",
    "Average feedback (0 to 4)",
]


def _mentees(programme: Programme) -> list[_Mentee]:
    """The programme's accepted mentees with their journey and answers: five queries."""
    accepted = MenteeMembership.objects.filter(
        programme=programme, status=MenteeMembership.Status.ACCEPTED
    )
    memberships = list(accepted.values_list("user_id", "decided_at"))
    in_programme = accepted.values("user_id")  # a subquery, so no list of ids is sent
    people = {user_id: _Mentee(user_id) for user_id, _ in memberships}
    accepted_on = {
        user_id: timezone.localtime(decided_at).date() if decided_at else None
        for user_id, decided_at in memberships
    }
    first_start: dict[int, object] = {}
    active: set[int] = set()
    for mentee_id, status, started_on in Mentorship.objects.filter(programme=programme).values_list(
        "mentee_id", "status", "started_on"
    ):
        person = people.get(mentee_id)
        if person is None:  # no longer an accepted mentee of the programme
            continue
        person.matched = True
        if status == Mentorship.Status.ACTIVE:
            active.add(mentee_id)
        if status == Mentorship.Status.COMPLETED:
            person.completed = True
        if mentee_id not in first_start or started_on < first_start[mentee_id]:
            first_start[mentee_id] = started_on
    for mentee_id, started_on in first_start.items():
        person = people[mentee_id]
        person.finished = mentee_id not in active
        if accepted_on.get(mentee_id):
            person.waited_days = max((started_on - accepted_on[mentee_id]).days, 0)
    _add_feedback(programme, people)
    for user_id, sex, ethnicity, disability in EqualityAnswers.objects.filter(
        user_id__in=in_programme
    ).values_list("user_id", "sex", "ethnicity", "disability"):
        person = people[user_id]
        person.sex = sex
        person.ethnic_group = (
            PREFER_NOT_TO_SAY
            if ethnicity == PREFER_NOT_TO_SAY
            else ETHNIC_GROUP_OF.get(ethnicity, "")
        )
        person.disability = disability
    for user_id, country in MenteeProfile.objects.filter(user_id__in=in_programme).values_list(
        "user_id", "qualification_country"
    ):
        people[user_id].country = str(country or "")
    return list(people.values())


def _add_feedback(programme: Programme, people: dict[int, _Mentee]) -> None:
    """Each mentee's average over every function they rated, in all their feedback here."""
    from journey.models import Feedback

    ratings: dict[int, list[float]] = defaultdict(list)
    for person_id, given in Feedback.objects.filter(
        mentorship__programme=programme, person_id=F("mentorship__mentee_id")
    ).values_list("person_id", "function_ratings"):
        for value in (given or {}).values():
            if isinstance(value, int | float) and not isinstance(value, bool):
                ratings[person_id].append(float(value))
    for person_id, values in ratings.items():
        if person_id in people and values:
            people[person_id].feedback = statistics.fmean(values)


def _percent(part: int, whole: int) -> Value:
    if whole == 0:
        return None
    if not big_enough(whole):
        return FEWER_THAN
    return round(100 * part / whole)


def _median_days(waits: list[int]) -> int:
    return round(statistics.median(waits))  # whole days; half a day means nothing here


def _average(ratings: list[float]) -> float:
    return round(statistics.fmean(ratings), 1)


def _figures(group: list[_Mentee]) -> list[Value]:
    matched = [p for p in group if p.matched]
    waits = [p.waited_days for p in matched if p.waited_days is not None]
    finished = [p for p in group if p.finished]
    feedback = [p.feedback for p in group if p.feedback is not None]

    def only_if_enough(values: list, how: Callable[[list], Value]) -> Value:
        if not values:
            return None
        return how(values) if big_enough(len(values)) else FEWER_THAN

    return [
        len(group),
        _percent(len(matched), len(group)),
        only_if_enough(waits, _median_days),
        _percent(sum(p.completed for p in finished), len(finished)),
        only_if_enough(feedback, _average),
    ]


def _cells(values: list[Value]) -> list[str]:
    shown = []
    for i, value in enumerate(values):
        if value is None:
            shown.append(NONE)
        elif value == FEWER_THAN:
            shown.append(FEWER_THAN)
        elif i in (1, 3):
            shown.append(f"{value}%")
        else:
            shown.append(f"{value:g}" if isinstance(value, float) else str(value))
    return shown


def _grouped_table(
    key: str,
    caption: str,
    people: list[_Mentee],
    attribute: Callable[[_Mentee], str],
    groups: Iterable[tuple[str, str]],
) -> Table:
    """One row per group (in `groups` order), each passed through the suppression rule."""
    members: dict[str, list[_Mentee]] = {code: [] for code, _ in groups}
    labels = dict(groups)
    for person in people:
        members.setdefault(attribute(person), []).append(person)
    hidden = hidden_groups({code: len(group) for code, group in members.items()})
    table = Table(key=key, caption=caption, columns=EQUALITY_COLUMNS)
    for code, group in members.items():
        if code in hidden:
            values: list[Value] = [FEWER_THAN] * 5
        else:
            values = _figures(group)
        table.rows.append(Row(labels.get(code, code), values, _cells(values)))
    return table


def _answer_groups(choices: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [*choices, ("", NOT_ANSWERED)]


def _country_groups(people: list[_Mentee]) -> tuple[list[tuple[str, str]], Callable]:
    """Countries of primary medical qualification, biggest first; countries with fewer than 5
    mentees are put together as "Other countries" before suppression, so that the table is
    not mostly "fewer than 5"."""
    counts: dict[str, int] = defaultdict(int)
    for person in people:
        counts[person.country] += 1
    big = sorted(
        (code for code, n in counts.items() if code and big_enough(n)),
        key=lambda code: (-counts[code], code),
    )
    groups = [(code, countries.name(code) or code) for code in big]
    groups += [("other", "Other countries (each with fewer than 5 mentees)"), ("", "Not given")]
    big_set = set(big)

    def country_of(person: _Mentee) -> str:
        if not person.country:
            return ""
        return person.country if person.country in big_set else "other"

    return groups, country_of


def _mentor_tables(programme: Programme, groups: dict[str, list[tuple[str, str]]]) -> list[Table]:
    """How many of the programme's approved mentors are in each group (counts only: the
    figures above are about mentees); the same suppression. Two queries."""
    approved = MentorMembership.objects.approved().filter(programme=programme)
    total = approved.count()
    answers = {
        user_id: {
            "sex": sex,
            "ethnicity": ETHNIC_GROUP_OF.get(ethnicity, ethnicity),
            "disability": d,
        }
        for user_id, sex, ethnicity, d in EqualityAnswers.objects.filter(
            user_id__in=approved.values("user_id")
        ).values_list("user_id", "sex", "ethnicity", "disability")
    }
    tables = []
    for key, caption in MENTOR_QUESTIONS:
        counts = {code: 0 for code, _ in groups[key]}
        for given in answers.values():
            counts[given[key]] = counts.get(given[key], 0) + 1
        counts[""] = total - sum(n for code, n in counts.items() if code)
        hidden = hidden_groups(counts)
        labels = dict(groups[key])
        table = Table(key=f"mentors-{key}", caption=caption, columns=["Group", "Mentors"])
        for code, n in counts.items():
            value: Value = FEWER_THAN if code in hidden else n
            table.rows.append(Row(labels.get(code, code), [value], [str(value)]))
        tables.append(table)
    return tables


MENTOR_QUESTIONS = [
    ("sex", "Mentors by sex"),
    ("ethnicity", "Mentors by ethnic group"),
    ("disability", "Mentors by disability"),
]


def equality_report(programme: Programme) -> dict[str, object]:
    """The programme's mentees, overall and by each equality question's groups."""
    people = _mentees(programme)
    overall: list[Value] = [0, None, None, None, None]
    # The programme's own figures are not equality data: shown whatever the size.
    if people:
        matched = [p for p in people if p.matched]
        waits = [p.waited_days for p in matched if p.waited_days is not None]
        finished = [p for p in people if p.finished]
        feedback = [p.feedback for p in people if p.feedback is not None]
        overall = [
            len(people),
            round(100 * len(matched) / len(people)),
            _median_days(waits) if waits else None,
            round(100 * sum(p.completed for p in finished) / len(finished)) if finished else None,
            _average(feedback) if feedback else None,
        ]
    ethnic = [(code, label) for code, label in ETHNIC_GROUP_LABELS.items()]
    ethnic.append((PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL))
    country_groups, country_of = _country_groups(people)
    answered = sum(1 for p in people if p.sex or p.ethnic_group or p.disability)
    tables = [
        _grouped_table("sex", "Sex", people, lambda p: p.sex, _answer_groups(Sex.choices)),
        _grouped_table(
            "ethnicity",
            "Ethnic group (2021 Census groups)",
            people,
            lambda p: p.ethnic_group,
            _answer_groups(ethnic),
        ),
        _grouped_table(
            "disability",
            "Disability (Equality Act 2010)",
            people,
            lambda p: p.disability,
            _answer_groups(Disability.choices),
        ),
        _grouped_table(
            "country",
            "Country of primary medical qualification",
            people,
            country_of,
            country_groups,
        ),
    ]
    overall_row = Row("All mentees", overall, _cells(overall))
    mentor_tables = _mentor_tables(
        programme,
        {
            "sex": _answer_groups(Sex.choices),
            "ethnicity": _answer_groups(ethnic),
            "disability": _answer_groups(Disability.choices),
        },
    )
    return {
        "mentor_tables": mentor_tables,
        "overall": overall_row,
        "overall_figures": list(zip(EQUALITY_COLUMNS[1:], overall_row.cells, strict=True)),
        "answered": answered,
        "total": len(people),
        "tables": tables,
    }


def equality_rows(report: dict) -> tuple[list[str], list[list[Value]]]:
    """The report as one sheet for the download: question, group, then the figures."""
    headers = ["Question", "Group", "People", *EQUALITY_COLUMNS[2:]]
    rows: list[list[Value]] = [["All", report["overall"].label, *report["overall"].values]]
    for table in report["tables"]:
        rows += [[table.caption, row.label, *row.values] for row in table.rows]
    blank = [None] * (len(EQUALITY_COLUMNS) - 2)
    for table in report["mentor_tables"]:
        rows += [[table.caption, row.label, *row.values, *blank] for row in table.rows]
    return headers, rows


# --- Outcomes over time ------------------------------------------------------------------

QUESTIONS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("still_in_nhs", "Still working in the NHS", OutcomeSurvey.InNHS.choices),
    ("training", "In a training post or applying for one", OutcomeSurvey.Training.choices),
    ("helped", "Did the mentorship help", OutcomeSurvey.Helped.choices),
]


def cohort_of(ended_on) -> str:
    """The cohort is the calendar year the mentorship ended: surveys are timed from the end,
    and a year gives groups big enough to show (a quarter would mostly be "fewer than 5")."""
    return str(ended_on.year)


def _count_cell(n: int, whole: int, hidden: bool) -> tuple[Value, str]:
    if hidden:
        return FEWER_THAN, FEWER_THAN
    return n, f"{n} ({round(100 * n / whole)}%)"


def outcomes_report(programme: Programme) -> list[dict[str, object]]:
    """For each wave (6 and 12 months): per cohort, surveys sent and answered, then each
    question's answers with counts and percentages of those who answered."""
    surveys = (
        OutcomeSurvey.objects.in_programme(programme)
        .values_list("wave", "status", "mentorship__ended_on", *[q for q, _, _ in QUESTIONS])
        .order_by()
    )
    by_wave: dict[int, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for wave, status, ended_on, *answers in surveys:
        by_wave[wave][cohort_of(ended_on)].append((status, answers))
    waves = []
    for wave, wave_label in OutcomeSurvey.Wave.choices:
        cohorts = sorted(by_wave.get(wave, {}).items())
        response = Table(
            key=f"response-{wave}",
            caption="Surveys sent and answered",
            columns=["Cohort (year ended)", "Sent", "Answered", "Closed unanswered", "Still open"],
        )
        question_tables = []
        for code, caption, choices in QUESTIONS:
            question_tables.append(
                Table(
                    key=f"{code}-{wave}",
                    caption=caption,
                    columns=["Cohort (year ended)", "Answered", *[label for _, label in choices]],
                )
            )
        for cohort, rows in cohorts:
            statuses = [status for status, _ in rows]
            answered = [answers for status, answers in rows if status == "answered"]
            counts = [
                len(rows),
                len(answered),
                statuses.count(OutcomeSurvey.Status.CLOSED),
                statuses.count(OutcomeSurvey.Status.OPEN),
            ]
            response.rows.append(Row(cohort, list(counts), [str(n) for n in counts]))
            for index, (_code, _caption, choices) in enumerate(QUESTIONS):
                tally = {value: 0 for value, _ in choices}
                for answers in answered:
                    if answers[index] in tally:
                        tally[answers[index]] += 1
                if big_enough(len(answered)):
                    hidden = hidden_groups(tally)
                else:
                    hidden = set(tally)
                values: list[Value] = [len(answered)]
                cells = [str(len(answered))]
                for value, _label in choices:
                    shown, text = _count_cell(tally[value], len(answered), value in hidden)
                    values.append(shown)
                    cells.append(text)
                question_tables[index].rows.append(Row(cohort, values, cells))
        waves.append(
            {"wave": wave, "label": wave_label, "response": response, "questions": question_tables}
        )
    return waves


def outcome_rows(waves: list[dict]) -> tuple[list[str], list[list[Value]]]:
    """The outcomes as one sheet: wave, cohort, question, answer, count (or fewer than 5)."""
    headers = ["After", "Cohort (year ended)", "Question", "Answer", "People"]
    rows: list[list[Value]] = []
    for wave in waves:
        for row in wave["response"].rows:
            for column, value in zip(wave["response"].columns[1:], row.values, strict=True):
                rows.append([wave["label"], row.label, "Surveys", column, value])
        for table in wave["questions"]:
            for row in table.rows:
                for column, value in zip(table.columns[1:], row.values, strict=True):
                    rows.append([wave["label"], row.label, table.caption, column, value])
    return headers, rows
