"""Every table the programme team downloads, as CSV or Excel, safe to open in a spreadsheet.

One place for the two rules every export keeps:
- a cell never runs as a formula (CSV/formula injection): text starting with = + - @ or a
  tab/carriage return is prefixed with an apostrophe, in CSV and in Excel alike;
- CSV starts with a byte order mark so Excel reads UTF-8; Excel files are real .xlsx
  (tablib + openpyxl), with numbers kept as numbers.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

import tablib
from django.http import HttpResponse
from django.utils.text import slugify

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet should hold it: numbers and dates as they are, text that a
    spreadsheet would run as a formula prefixed with an apostrophe, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal | datetime.date):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)  # Excel has no time zones; times are UK local
        return value
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def dataset(
    headers: Sequence[str], rows: Iterable[Sequence[object]], title: str = ""
) -> tablib.Dataset:
    """A tablib Dataset whose every cell has passed safe_cell."""
    data = tablib.Dataset(headers=list(headers), title=(title or "Sheet")[:31])
    for row in rows:
        data.append([safe_cell(v) for v in row])
    return data


def wanted_format(value: str | None) -> str:
    """'xlsx' when asked for Excel, else 'csv' (anything unknown falls back to CSV)."""
    return "xlsx" if (value or "").lower() in {"xlsx", "excel"} else "csv"


def download(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    filename: str,
    file_format: str = "csv",
    title: str = "",
) -> HttpResponse:
    """An attachment response holding the table as CSV or Excel."""
    file_format = wanted_format(file_format)
    content_type, extension = FORMATS[file_format]
    data = dataset(headers, rows, title=title or filename)
    if file_format == "csv":
        body: bytes = ("\ufeff" + data.export("csv")).encode("utf-8")
    else:
        body = data.export("xlsx")
    response = HttpResponse(body, content_type=content_type)
    name = slugify(filename) or "export"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response
