"""monitoring.demo.seed gives the managers' pages something to show, once."""

from __future__ import annotations

from django.urls import reverse

from monitoring import demo
from monitoring.aggregates import equality_report, outcomes_report
from monitoring.models import EqualityAnswers, OutcomeSurvey
from tests.factories import new_mentor


def test_the_demo_fills_both_pages_and_a_second_run_changes_nothing(
    programme, mentee, manager_client
):
    for _ in range(3):
        new_mentor(programme)
    demo.seed(programme)
    surveys, answers = OutcomeSurvey.objects.count(), EqualityAnswers.objects.count()
    assert surveys > 30 and OutcomeSurvey.objects.answered().count() > 20
    assert answers > 20
    report = equality_report(programme)
    shown = [r for t in report["tables"] for r in t.rows if isinstance(r.values[0], int)]
    assert any(r.values[0] >= 5 for r in shown)
    waves = outcomes_report(programme)
    assert all(w["response"].rows for w in waves)
    for name in ("monitoring:equality_report", "monitoring:outcomes_report"):
        assert manager_client.get(reverse(name, args=[programme.slug])).status_code == 200

    demo.seed(programme)
    assert (OutcomeSurvey.objects.count(), EqualityAnswers.objects.count()) == (surveys, answers)
