"""Celery tasks for "download my data": thin, each calls the service."""

from __future__ import annotations

from celery import shared_task

from .export import service


@shared_task(name="privacy.tasks.build_data_export")
def build_data_export(pk: int) -> str:
    """Build one person's file (safe to run twice: a finished file is left alone)."""
    export = service.build_export(pk)
    return export.status if export is not None else "skipped"


@shared_task(name="privacy.tasks.expire_data_exports")
def expire_data_exports() -> int:
    """Delete the bytes of files past DATA_EXPORT_LINK_HOURS (hourly)."""
    return service.expire_exports()
