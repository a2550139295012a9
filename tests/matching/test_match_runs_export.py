"""Exporting a run's proposals as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from matching.export import export_csv
from matching.models import MatchProposal, MatchRun
from matching.reasons import render_all
from tests.factories import MenteeProfileFactory, MentorProfileFactory
from tests.matching.test_match_runs_execute import build_cohort, run_now

pytestmark = pytest.mark.django_db

HEADER = [
    "Mentee name",
    "Mentee email",
    "Target specialty",
    "Mentor name",
    "Mentor email",
    "Score",
    "Reasons",
    "Status",
    "Why not matched",
]


def _rows(content: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content)))


def test_the_csv_lists_every_proposal_best_first(
    manager_client, programme, manager, django_capture_on_commit_callbacks
):
    build_cohort(programme)
    run = run_now(programme, manager, capture=django_capture_on_commit_callbacks)

    response = manager_client.get(reverse("matching:export", args=[programme.slug, run.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="northfield-fellows-match-run-{run.pk}.csv"'
    )
    rows = _rows(response.content.decode("utf-8-sig"))
    assert rows[0] == HEADER
    body = rows[1:]
    assert len(body) == run.proposals.count()
    matched = [r for r in body if r[3]]
    assert len(matched) == run.matched_count
    scores = [float(r[5]) for r in matched]
    assert scores == sorted(scores, reverse=True)
    best = run.proposals.select_related("mentee", "mentor").first()
    assert matched[0][:5] == [
        best.mentee.full_name,
        best.mentee.email,
        "General Practice",
        best.mentor.full_name,
        best.mentor.email,
    ]
    assert matched[0][5] == f"{best.score:.1f}"
    assert matched[0][6] == "; ".join(render_all(best.reasons, "manager"))
    assert matched[0][6].startswith("Works in the mentee's target specialty: General Practice")
    assert matched[0][7] == "Proposed"
    unmatched = body[len(matched) :]
    assert all(r[3] == r[4] == r[5] == "" and r[7] == "No mentor" and r[8] for r in unmatched)


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(programme):
    mentee = MenteeProfileFactory(user__full_name='=HYPERLINK("http://evil.example","x")').user
    mentor = MentorProfileFactory(user__full_name="+Dr Plus", user__email="@at@example.org").user
    run = MatchRun.objects.create(programme=programme, method="optimal", weights={})
    MatchProposal.objects.create(
        run=run,
        mentee=mentee,
        mentor=mentor,
        target_specialty="-General Practice",
        score=81.25,
        reasons=["=1+1", 'Same region: London, "quoted"'],
    )

    rows = _rows(export_csv(run))

    name, _, target, mentor_name, mentor_email, score, reasons, *_ = rows[1]
    assert name == '\'=HYPERLINK("http://evil.example","x")'
    assert target == "'-General Practice"
    assert mentor_name == "'+Dr Plus"
    assert mentor_email == "'@at@example.org"
    assert score == "81.2"
    assert reasons == '\'=1+1; Same region: London, "quoted"'


def test_commas_quotes_and_line_breaks_survive_a_round_trip(programme):
    mentee = MenteeProfileFactory(user__full_name='Dr "Ngozi", Okeke\nJr').user
    run = MatchRun.objects.create(programme=programme, method="stable", weights={})
    MatchProposal.objects.create(
        run=run, mentee=mentee, status="unmatched", unmatched_reason="No mentor, sadly."
    )

    rows = _rows(export_csv(run))

    assert rows[1][0] == 'Dr "Ngozi", Okeke\nJr'
    assert rows[1][8] == "No mentor, sadly."
