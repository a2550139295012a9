"""The match run's page in Chromium: it follows a bulk approval until it finishes and then
shows the result without a click, it fits a phone's width, and a run whose worker died
offers "Run again", which works."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matching import runs
from matching.models import BulkApproval, MatchProposal, MatchRun
from matching.runs import bulk_approval
from tests.browser import conftest as browser
from tests.browser.test_whole_path import sign_in
from tests.matching.test_match_runs_execute import build_cohort

page = browser.page  # Chromium through Playwright, as the browser tests use it

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_run_page_follows_approve_all_to_the_end_on_a_phone(
    page, live_server, programme, manager, password, with_mfa, monkeypatch, artifacts_dir
):
    build_cohort(programme)
    code = with_mfa(manager)
    run = runs.start_match_run(programme, by=manager, method="optimal")  # runs eagerly
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FINISHED
    monkeypatch.setattr(bulk_approval, "BATCH_SIZE", 2)
    monkeypatch.setattr(bulk_approval, "enqueue_bulk_approval", lambda pk: None)  # no worker
    job, _ = runs.start_bulk_approval(run, by=manager)
    claim = bulk_approval._claim(job.pk)
    bulk_approval.approve_batch(job.pk, claim)

    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server.url, manager.email, password, code=code)
    page.goto(f"{live_server.url}/manage/{programme.slug}/matching/runs/{run.pk}/")

    progress = page.locator("[data-progress-message]")
    assert progress.inner_text() == "Approving proposals: 2 of 7 proposals approved."
    assert page.get_by_role("button", name="Approve all 5").count() == 0
    assert _no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "match-run-approving-375.png"), full_page=True)

    while bulk_approval.approve_batch(job.pk, claim):  # the worker carries on meanwhile
        pass

    page.get_by_text("Finished: 7 of 7 proposals approved.").wait_for(timeout=15_000)
    assert page.locator("[data-progress-message]").count() == 0  # reloaded with the results
    assert page.get_by_text("Approved", exact=True).count() == 7
    assert _no_sideways_scroll(page)
    assert BulkApproval.objects.get().status == BulkApproval.Status.FINISHED
    assert set(run.proposals.filter(mentor__isnull=False).values_list("status", flat=True)) == {
        MatchProposal.Status.APPROVED
    }
    page.screenshot(path=str(artifacts_dir / "match-run-approved-375.png"), full_page=True)
    assert page.js_errors == []


def test_a_run_whose_worker_died_offers_run_again_and_it_runs(
    page, live_server, programme, manager, password, with_mfa, artifacts_dir
):
    build_cohort(programme)
    code = with_mfa(manager)
    dead = MatchRun.objects.create(
        programme=programme,
        created_by=manager,
        method="stable",
        weights=programme.matching_weights().as_dict(),
        status=MatchRun.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(minutes=3),
        progress="Scoring and assigning 11 mentees to 5 mentors with 7 free places.",
    )

    sign_in(page, live_server.url, manager.email, password, code=code)
    page.goto(f"{live_server.url}/manage/{programme.slug}/matching/runs/{dead.pk}/")
    page.screenshot(path=str(artifacts_dir / "match-run-worker-gone.png"), full_page=True)
    assert page.get_by_text("Matching did not finish").is_visible()
    page.get_by_role("button", name="Run again").click()
    page.get_by_role("heading", name="Proposed matches").wait_for()

    again = MatchRun.objects.exclude(pk=dead.pk).get()
    assert (again.method, again.status) == ("stable", MatchRun.Status.FINISHED)
    assert page.url.endswith(f"/matching/runs/{again.pk}/")
    assert MatchRun.objects.get(pk=dead.pk).status == MatchRun.Status.FAILED
    assert page.js_errors == []
