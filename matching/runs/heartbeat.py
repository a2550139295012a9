"""A worker's sign of life: while a long step runs, a thread records `heartbeat_at` on the
row every few seconds, so that a killed worker is noticed within minutes.

A thread, because the long steps (the engine's solver, a bulk insert) cannot stop to report:
if the process is killed the thread dies with it and the heartbeat stops; if the task only
hangs, Celery's time limit kills the process and the heartbeat stops too.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from ..models import heartbeat_every

log = logging.getLogger(__name__)


def beat(model: type[models.Model], pk: int, **still: object) -> bool:
    """Record a heartbeat now on the row if it is still in the state `still` says; skip it
    (without waiting) if the worker's own transaction has the row locked. True if written."""
    try:
        with transaction.atomic():
            # skip_locked: the row is locked only by the worker's own short transactions
            # (saving); waiting for them would make the heartbeat late, not more honest.
            mine = model.objects.select_for_update(skip_locked=True).filter(pk=pk, **still)
            if not mine.exists():
                return False
            model.objects.filter(pk=pk).update(heartbeat_at=timezone.now())
            return True
    except DatabaseError:
        log.warning("Could not record a heartbeat for %s %s", model.__name__, pk, exc_info=True)
        return False


class Heartbeat:
    """`with Heartbeat(MatchRun, run.pk, status="running"):` beats every few seconds."""

    def __init__(self, model: type[models.Model], pk: int, **still: object) -> None:
        self.model, self.pk, self.still = model, pk, still
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"heartbeat-{model.__name__}-{pk}", daemon=True
        )

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        seconds = heartbeat_every().total_seconds()
        try:
            while not self._stop.wait(seconds):
                beat(self.model, self.pk, **self.still)
        finally:
            connection.close()  # this thread's own database connection
