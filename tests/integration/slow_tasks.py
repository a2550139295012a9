"""Imported by a test worker (`workers.start(include=("tests.integration.slow_tasks",))`)
to make match-run work slow enough to kill the worker at a known step. Test-only: nothing
in the application knows about it.

SLOW_MATCH_RUN_SECONDS: the engine step of a match run sleeps this long first.
SLOW_APPROVAL_SECONDS: a bulk approval sleeps this long before each proposal (inside the
batch's transaction); BULK_APPROVAL_BATCH_SIZE sets its batch size.
"""

from __future__ import annotations

import os
import time

from celery.signals import task_prerun


def _slow(real, seconds: float):
    def slow(*args, **kwargs):
        time.sleep(seconds)
        return real(*args, **kwargs)

    slow.slowed = True
    return slow


@task_prerun.connect
def _slow_down(**kwargs) -> None:
    # Patched when the first task starts: Django is set up by then.
    from matching.runs import bulk_approval, execute

    seconds = float(os.environ.get("SLOW_MATCH_RUN_SECONDS", "0"))
    if seconds and not getattr(execute.assign_mentors, "slowed", False):
        execute.assign_mentors = _slow(execute.assign_mentors, seconds)
    seconds = float(os.environ.get("SLOW_APPROVAL_SECONDS", "0"))
    if seconds and not getattr(bulk_approval.approve_one, "slowed", False):
        bulk_approval.approve_one = _slow(bulk_approval.approve_one, seconds)
    if "BULK_APPROVAL_BATCH_SIZE" in os.environ:
        bulk_approval.BATCH_SIZE = int(os.environ["BULK_APPROVAL_BATCH_SIZE"])
