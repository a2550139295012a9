"""The run page and its progress: a JSON status endpoint polled by a small script, and a
plain refresh link without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching.models import MatchRun
from tests.matching.test_match_runs_execute import build_cohort, run_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(programme, manager) -> MatchRun:
    return MatchRun.objects.create(
        programme=programme,
        created_by=manager,
        method="optimal",
        weights=programme.matching_weights().as_dict(),
        progress="Waiting for a worker to start matching.",
    )


def test_the_status_of_a_queued_run(manager_client, programme, queued):
    response = manager_client.get(reverse("matching:status", args=[programme.slug, queued.pk]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "queued",
        "status_label": "Waiting to start",
        "progress": "Waiting for a worker to start matching.",
        "done": False,
        "matched": 0,
        "unmatched": 0,
        "url": reverse("matching:run", args=[programme.slug, queued.pk]),
        "approval": None,
    }


def test_the_status_of_a_finished_run(
    manager_client, programme, manager, django_capture_on_commit_callbacks
):
    build_cohort(programme)
    run = run_now(programme, manager, capture=django_capture_on_commit_callbacks)

    data = manager_client.get(reverse("matching:status", args=[programme.slug, run.pk])).json()

    assert data["status"] == "finished"
    assert data["done"] is True
    assert data["matched"] == run.matched_count == 7
    assert data["unmatched"] == run.unmatched_count
    assert data["progress"].startswith("Finished: 7 of")


def test_a_running_page_shows_progress_a_refresh_link_and_the_script(
    manager_client, programme, queued
):
    response = manager_client.get(reverse("matching:run", args=[programme.slug, queued.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'aria-live="polite"' in page
    assert "Waiting for a worker to start matching." in page
    assert "Refresh the page" in page
    assert 'src="/static/js/match-run-progress.js"' in page
    assert 'type="module"' in page
    status_url = reverse("matching:status", args=[programme.slug, queued.pk])
    assert f'data-status-url="{status_url}"' in page


def test_a_finished_page_lists_proposals_and_who_is_left_without_a_mentor(
    manager_client, programme, manager, django_capture_on_commit_callbacks
):
    build_cohort(programme)
    run = run_now(programme, manager, capture=django_capture_on_commit_callbacks)

    page = manager_client.get(
        reverse("matching:run", args=[programme.slug, run.pk])
    ).content.decode()

    assert "match-run-progress.js" not in page
    assert "Approve selected" in page
    assert f"Approve all {run.matched_count}" in page
    assert "Fewer places than mentees" in page
    assert "No mentor in the programme covers Paediatrics" in page
    assert reverse("matching:export", args=[programme.slug, run.pk]) in page
    best, second = run.proposals.select_related("mentee")[:2]
    assert page.index(best.mentee.full_name) < page.index(second.mentee.full_name) or (
        best.score == second.score
    )


def test_a_failed_run_says_what_happened(manager_client, programme, queued):
    queued.status = MatchRun.Status.FAILED
    queued.progress = "Matching could not start because the task queue is not available."
    queued.save()

    page = manager_client.get(
        reverse("matching:run", args=[programme.slug, queued.pk])
    ).content.decode()

    assert "Matching did not finish" in page
    assert "task queue is not available" in page
    assert "Refresh the page" not in page


def test_a_large_run_shows_its_proposals_a_page_at_a_time(
    manager_client, programme, manager, monkeypatch, django_capture_on_commit_callbacks
):
    from matching import views

    monkeypatch.setattr(views, "PROPOSALS_PER_PAGE", 3)
    monkeypatch.setattr(views, "UNMATCHED_SHOWN", 2)
    build_cohort(programme)
    run = run_now(programme, manager, capture=django_capture_on_commit_callbacks)
    url = reverse("matching:run", args=[programme.slug, run.pk])
    ordered = list(run.proposals.filter(mentor__isnull=False).values_list("pk", flat=True))

    first = manager_client.get(url).content.decode()
    second = manager_client.get(url, {"page": 2}).content.decode()

    assert "Showing 1 to 3 of 7 proposals." in first
    assert "Showing 4 to 6 of 7 proposals." in second
    assert [pk for pk in ordered if f'value="{pk}"' in first] == ordered[:3]
    assert [pk for pk in ordered if f'value="{pk}"' in second] == ordered[3:6]
    assert 'href="?page=2"' in first and 'href="?page=3"' in second
    assert "Approve all 7" in first and "Approve all 7" in second  # every page, not this one
    assert "Showing the first 2 of 4. Download the proposals as a spreadsheet" in first
