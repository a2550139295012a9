"""Starting a match run from the programme's matching page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from matching import runs
from matching.models import MatchRun
from tests.matching.test_match_runs_execute import build_cohort

pytestmark = pytest.mark.django_db


def test_the_matching_page_says_who_is_waiting_and_offers_both_methods(manager_client, programme):
    build_cohort(programme)

    response = manager_client.get(reverse("matching:home", args=[programme.slug]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "11 mentees are waiting for a mentor" in page
    assert "5 mentors have 7 free places between them" in page
    assert 'value="optimal"' in page and 'value="stable"' in page
    assert "Matching has not been run for this programme yet." in page


def test_the_programme_page_links_to_matching(manager_client, programme):
    page = manager_client.get(reverse("manage:programme", args=[programme.slug])).content.decode()

    assert reverse("matching:home", args=[programme.slug]) in page


@pytest.mark.parametrize("method", ["optimal", "stable"])
def test_starting_a_run_queues_it_and_shows_its_page(
    manager_client, programme, manager, method, django_capture_on_commit_callbacks
):
    build_cohort(programme)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = manager_client.post(
            reverse("matching:start", args=[programme.slug]), {"method": method}
        )

    run = MatchRun.objects.get()
    assert len(callbacks) == 1
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:run", args=[programme.slug, run.pk])
    assert (run.programme, run.created_by, run.method) == (programme, manager, method)
    assert run.status == MatchRun.Status.FINISHED  # Celery runs eagerly in tests
    page = manager_client.get(response["Location"]).content.decode()
    assert "Proposed matches" in page
    assert (
        "Earlier runs"
        in manager_client.get(reverse("matching:home", args=[programme.slug])).content.decode()
    )


def test_an_unknown_method_is_refused_and_nothing_is_started(manager_client, programme):
    response = manager_client.post(
        reverse("matching:start", args=[programme.slug]), {"method": "greedy"}
    )

    assert response.status_code == 400
    assert "Select optimal or stable matching" in response.content.decode()
    assert not MatchRun.objects.exists()


def test_the_service_refuses_an_unknown_method_too(programme, manager):
    with pytest.raises(runs.BadInput):
        runs.start_match_run(programme, by=manager, method="greedy")
    assert not MatchRun.objects.exists()


def test_a_second_run_while_one_is_running_is_refused(manager_client, programme, manager):
    MatchRun.objects.create(
        programme=programme,
        method="optimal",
        weights={},
        status=MatchRun.Status.RUNNING,
        heartbeat_at=timezone.now(),
    )

    response = manager_client.post(
        reverse("matching:start", args=[programme.slug]), {"method": "optimal"}
    )

    assert response.status_code == 409
    assert "already running" in response.content.decode()
    assert MatchRun.objects.count() == 1


def test_when_the_broker_is_down_the_run_fails_with_a_clear_message(
    programme, manager, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from matching import tasks

    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(tasks.execute_match_run_task, "delay", unreachable)

    with django_capture_on_commit_callbacks(execute=True):
        run = runs.start_match_run(programme, by=manager, method="optimal")

    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED
    assert "task queue is not available" in run.progress
    assert "Connection refused" in run.error
    assert not MatchRun.objects.in_progress().exists()  # the manager can try again
