"""Run the retention job now, by hand: `python manage.py apply_retention`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from privacy import retention


class Command(BaseCommand):
    help = "Erase or anonymise what is past its retention period (settings.RETENTION_DAYS)."

    def handle(self, *args: Any, **options: Any) -> None:
        run = retention.run_retention()
        if run is None:
            self.stdout.write("Another retention run is under way; nothing was done.")
            return
        for kind, count in run.counts.items():
            days = settings.RETENTION_DAYS[kind]
            self.stdout.write(f"{kind} (older than {days} days): {count} records changed")
        self.stdout.write(self.style.SUCCESS(f"Retention run {run.pk} finished."))
