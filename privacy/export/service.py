"""Asking for, building and expiring a person's "download my data" file. The view asks
(`request_export`); a worker builds (`build_export`) and the person is emailed; beat expires
what is past its link (`expire_exports`)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorship.services.errors import ServiceError

from .. import emails
from ..models import DataExport
from .files import build_zip

log = logging.getLogger(__name__)

# Enough to ask again after a change or a lost file, not enough to load the database with
# builds: each one reads everything held about the person.
EXPORTS_PER_DAY = 3
# Longer than a build may run (CELERY_TASK_TIME_LIMIT) plus time waiting in the queue: a
# build still "building" after this lost its worker and its task, and is given up so that
# the person can ask again.
STUCK_AFTER = timedelta(hours=1)


class TooManyExports(ServiceError):
    """Asked too often today (shown as 429)."""

    status_code = 429


@transaction.atomic
def request_export(user: Any) -> DataExport:
    """The person asks for a copy of their data: one is built at a time, a few a day."""
    # Two clicks (or two web servers) at once queue one build: the person's row is the lock,
    # and the partial unique constraint is the database's own word where locks are no-ops.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    mine = DataExport.objects.of(user).defer("content")
    building = mine.filter(status=DataExport.Status.BUILDING).first()
    if building is not None:
        return building
    since = timezone.now() - timedelta(days=1)
    asked_today = mine.asked_since(since).exclude(status=DataExport.Status.FAILED).count()
    if asked_today >= EXPORTS_PER_DAY:
        raise TooManyExports(
            f"You can ask for a copy of your data {EXPORTS_PER_DAY} times a day. "
            "Use the last file you were sent, or try again tomorrow."
        )
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
    except IntegrityError:
        return mine.get(status=DataExport.Status.BUILDING)
    transaction.on_commit(lambda: enqueue_build(export.pk))
    return export


def enqueue_build(pk: int) -> None:
    """Hand the build to a worker. If the queue is down the person is told at once and can
    ask again, rather than waiting on a file that will never come."""
    from ..tasks import build_data_export

    try:
        build_data_export.delay(pk)
    except Exception as exc:
        log.exception("Could not queue data export %s", pk)
        _fail(pk, f"Queueing failed: {type(exc).__name__}: {exc}")


def build_export(pk: int) -> DataExport | None:
    """Build the file, store it, and email the person that it is ready. Safe to run twice: a
    file that is no longer being built is left as it is."""
    export = (
        DataExport.objects.filter(pk=pk, status=DataExport.Status.BUILDING)
        .select_related("user")
        .defer("content")
        .first()
    )
    if export is None:
        return None
    try:
        content = build_zip(export.user)
    except Exception as exc:
        # A build that fails (or runs out of time) is marked, not retried for ever: the
        # person sees it and can ask again; the team has the error.
        log.exception("Data export %s failed", pk)
        _fail(pk, f"{type(exc).__name__}: {exc}")
        return None
    with transaction.atomic():
        export = DataExport.objects.select_for_update().defer("content").get(pk=pk)
        if export.status != DataExport.Status.BUILDING:
            return export
        now = timezone.now()
        export.content = content
        export.size = len(content)
        export.status = DataExport.Status.READY
        export.ready_at = now
        export.expires_at = now + timedelta(hours=settings.DATA_EXPORT_LINK_HOURS)
        export.save(update_fields=["content", "size", "status", "ready_at", "expires_at"])
        emails.data_export_ready(export)
    return export


def _fail(pk: int, error: str) -> None:
    DataExport.objects.filter(pk=pk, status=DataExport.Status.BUILDING).update(
        status=DataExport.Status.FAILED, error=error[:2000]
    )


def expire_exports(now: Any = None) -> int:
    """Delete the bytes of files past their link (the row stays, so the page can say it has
    expired), and give up builds that lost their worker. Returns how many expired."""
    now = now or timezone.now()
    expired = DataExport.objects.past_their_link(now).update(
        status=DataExport.Status.EXPIRED, content=None
    )
    DataExport.objects.stuck(now - STUCK_AFTER).update(
        status=DataExport.Status.FAILED, error="No worker finished the build in time."
    )
    return expired
