"""Beat's jobs without a beat process, for `make run` (no Redis, tasks run in-process).

With no broker there is no worker or beat, so expiry, reminders, digests, the outbox flush
and the match-run check would never run. This middleware runs each scheduled job when it
falls due, in a background thread after a request, so nothing waits for it. It is on only
when INLINE_BEAT is set (by default: DEBUG without REDIS_URL); production runs Celery beat.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)


class InlineBeatMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.last_run: dict[str, float] = {}
        self.lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.INLINE_BEAT:
            due = self.due_jobs(time.monotonic())
            if due:
                threading.Thread(target=_in_background, args=(due,), daemon=True).start()
        return response

    def due_jobs(self, now: float) -> list[str]:
        """Task names whose interval has passed since they last ran here (all, at first)."""
        due = []
        with self.lock:
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
                every = entry["schedule"]
                if not isinstance(every, int | float):
                    continue  # a crontab: only real beat runs those
                if now - self.last_run.get(name, float("-inf")) >= every:
                    self.last_run[name] = now
                    due.append(entry["task"])
        return due


def run_jobs(task_names: list[str]) -> None:
    """Run each task in this thread, as an eager worker would; a failure is logged."""
    from config.celery import app

    app.loader.import_default_modules()  # the web process has not discovered tasks yet
    for name in task_names:
        result = app.tasks[name].apply()
        if result.failed():
            log.error("Periodic job %s failed: %s", name, result.result)


def _in_background(task_names: list[str]) -> None:
    try:
        run_jobs(task_names)
    finally:
        connections.close_all()  # this thread's own connections
