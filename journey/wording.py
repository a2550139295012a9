"""How the journey names days in pages, emails, reasons and certificates (UK style)."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format


def long_date(day: datetime.date) -> str:
    """ "3 March 2026": a date that must stand on its own (certificates, planned ends)."""
    return date_format(day, "j F Y")


def weekday_date(day: datetime.date) -> str:
    """ "Tuesday 24 November": how people name a recent or coming day."""
    return date_format(day, "l j F")


def date_this_year(day: datetime.date, today: datetime.date) -> str:
    """ "24 November", with the year only when it is not this year."""
    return date_format(day, "j F" if day.year == today.year else "j F Y")
