"""A spreadsheet file, read into a tablib Dataset, with every way it can be wrong said plainly.

tablib reads CSV; openpyxl (tablib's Excel reader) reads .xlsx, in read-only mode with cached
values only, so a formula is never evaluated here. The limits keep one upload bounded: the
file's size, the number of rows and columns, and each cell's length.
"""

from __future__ import annotations

import io
import zipfile

import tablib

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 40
MAX_CELL_CHARS = 1000
FORMATS = ("csv", "xlsx")


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def file_format(name: str, content: bytes) -> str:
    """'csv' or 'xlsx', from the name and, for Excel, the file's own signature."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xlsx" or content.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(io.BytesIO(content)):
            raise UnreadableFile(
                "The file is not a real Excel (.xlsx) file. Save it again as .xlsx."
            )
        return "xlsx"
    if extension == "xls":
        raise UnreadableFile(
            "The file is an old Excel (.xls) file. Save it as Excel Workbook (.xlsx) or CSV."
        )
    if extension == "csv":
        return "csv"
    raise UnreadableFile("The file must be a CSV or Excel (.xlsx) file.")


def read(name: str, content: bytes) -> tablib.Dataset:
    """The file's first sheet as a Dataset of text cells (None for empty), headers first."""
    if not content.strip():
        raise UnreadableFile("The file is empty.")
    if len(content) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB. Split it into "
            "smaller files."
        )
    rows = _xlsx_rows(content) if file_format(name, content) == "xlsx" else _csv_rows(content)
    rows = _without_trailing_blank_rows(rows)
    if not rows or not any(rows[0]):
        raise UnreadableFile("The file is empty.")
    headers, body = list(rows[0]), rows[1:]
    while headers and _text(headers[-1]) is None:  # Excel pads rows with empty cells
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise UnreadableFile(f"The file has more than {MAX_COLUMNS} columns. Use the template.")
    if not body:
        raise UnreadableFile("The file has a header row but no people in it.")
    if len(body) > MAX_ROWS:
        raise UnreadableFile(
            f"The file has more than {MAX_ROWS:,} people. Split it into smaller files."
        )
    width = len(headers)
    data = tablib.Dataset(headers=[_text(h) or "" for h in headers])
    for number, row in enumerate(body, start=2):
        if len(row) > width and any(_text(c) for c in row[width:]):
            raise UnreadableFile(
                f"Row {number} has more cells than the header row has columns. Check for "
                "extra commas or cells outside the table."
            )
        data.append([_text(c) for c in (list(row) + [None] * width)[:width]])
    return data


def _csv_rows(content: bytes) -> list[list[object]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(
            "The CSV file is not saved as UTF-8, so some letters cannot be read. In Excel, "
            "choose Save As and then 'CSV UTF-8 (Comma delimited)'."
        ) from None
    if "\x00" in text:
        raise UnreadableFile("The file is not a CSV file. Save it again as CSV or .xlsx.")
    try:
        # Excel in some European settings saves CSV with semicolons between the columns.
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        data = tablib.import_set(text, format="csv", delimiter=delimiter)
    except Exception:  # csv.Error, InvalidDimensions and others from hostile input
        raise UnreadableFile(
            "The CSV file cannot be read: check that every row has the same columns as the "
            f"header row and that no cell is longer than {MAX_CELL_CHARS:,} characters."
        ) from None
    return [list(data.headers or [])] + [list(row) for row in data]


def _xlsx_rows(content: bytes) -> list[list[object]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile("The Excel file cannot be opened. Save it again as .xlsx.") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        # Stop reading past the limits: a sheet can claim a million rows.
        for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 50:
                break
        return rows
    except Exception:
        raise UnreadableFile("The Excel file cannot be read. Save it again as .xlsx.") from None
    finally:
        book.close()


def _text(value: object) -> str | None:
    """A cell as stripped text (a whole number without ".0"), or None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS + 1]  # still too long: the row's check says so
    return text or None


def _without_trailing_blank_rows(rows: list[list[object]]) -> list[list[object]]:
    while rows and not any(_text(c) for c in rows[-1]):
        rows.pop()
    return rows
