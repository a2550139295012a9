"""`make run` has no beat process: its periodic jobs still run, in-process, when due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from config.inline_beat import InlineBeatMiddleware, run_jobs
from mentorship.models import MentorRequest
from tests.factories import new_request

pytestmark = pytest.mark.django_db


def test_every_scheduled_job_is_due_at_first_and_then_only_after_its_interval(settings):
    middleware = InlineBeatMiddleware(lambda request: None)
    every = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}

    first = middleware.due_jobs(now=1000.0)
    soon = middleware.due_jobs(now=1001.0)
    later = middleware.due_jobs(now=1000.0 + max(every.values()))

    assert sorted(first) == sorted(every)
    assert soon == []
    assert sorted(later) == sorted(every)


def test_running_the_due_jobs_expires_a_stale_request(programme, mentor, mentee):
    stale = new_request(mentee, mentor, programme)
    MentorRequest.objects.filter(pk=stale.pk).update(expires_at=timezone.now() - timedelta(1))

    run_jobs(["mentorship.tasks.expire_requests"])

    stale.refresh_from_db()
    assert stale.status == MentorRequest.Status.EXPIRED


def test_it_is_off_unless_asked_for(client, settings, monkeypatch):
    settings.INLINE_BEAT = False
    started = []
    monkeypatch.setattr("config.inline_beat.threading.Thread", lambda **kw: started.append(kw))

    client.get("/")

    assert started == []
