"""Spreadsheets for the import tests (and the browser test): rows of mentors or mentees,
written as CSV or Excel bytes, with some rows made bad on purpose."""

from __future__ import annotations

import io

import openpyxl
import tablib

from mentorship.imports.resources import MenteeResource, MentorResource

MENTOR_COLUMNS = MentorResource.column_names()
MENTEE_COLUMNS = MenteeResource.column_names()
SPECIALTIES = ["Geriatric Medicine", "GP", "cardiology", "Obs and Gynae", "ICU", "Psychiatry"]
REGIONS = ["London", "midlands", "North West", "", "Scotland"]


def mentor_row(n: int, **overrides: object) -> dict[str, object]:
    row = {
        "Title": "Dr",
        "Full name": f"Mentor Number{n}",
        "Email": f"mentor{n}@example.nhs.uk",
        "GMC number": f"{6000000 + n}",
        "Job title": "Consultant",
        "Organisation": "Northfield NHS Foundation Trust",
        "Specialty": SPECIALTIES[n % len(SPECIALTIES)],
        "Region": REGIONS[n % len(REGIONS)],
        "Mentees at once": 2,
        "Qualified outside the UK": "Yes" if n % 2 else "No",
        "Country of primary medical qualification": "India" if n % 2 else "",
    }
    row.update(overrides)
    return row


def mentee_row(n: int, **overrides: object) -> dict[str, object]:
    row = {
        "Title": "Dr",
        "Full name": f"Mentee Number{n}",
        "Email": f"mentee{n}@example.nhs.uk",
        "GMC number": f"{7100000 + n}",
        "Grade": "Clinical fellow",
        "Current specialty": "Geriatric Medicine",
        "Specialty they want to work in": SPECIALTIES[n % len(SPECIALTIES)],
        "Region": REGIONS[n % len(REGIONS)],
        "Country of primary medical qualification": "Nigeria",
        "Year they started working in the UK": 2023,
    }
    row.update(overrides)
    return row


# The three bad rows of `mentors_with_three_bad_rows`, by their spreadsheet row number (the
# header is row 1), and how to fix each.
BAD_MENTOR_ROWS = {
    8: {"Email": "not-an-email"},
    21: {"Specialty": "Cardiolgy"},
    35: {"Organisation": ""},
}
FIXES = {
    8: {"Email": "mentor7@example.nhs.uk"},
    21: {"Specialty": "Cardiology"},
    35: {"Organisation": "Southgate Hospitals NHS Trust"},
}


def mentors_with_three_bad_rows(count: int = 50, *, fixed: bool = False) -> list[dict[str, object]]:
    """`count` mentors; rows 8, 21 and 35 are bad (a bad email, an unknown specialty, no
    organisation) unless `fixed`."""
    rows = []
    for n in range(1, count + 1):
        number = n + 1
        changes = (FIXES if fixed else BAD_MENTOR_ROWS).get(number, {})
        rows.append(mentor_row(n, **changes))
    return rows


def csv_bytes(rows: list[dict[str, object]], columns: list[str] | None = None) -> bytes:
    columns = columns or list(rows[0])
    data = tablib.Dataset(headers=columns)
    for row in rows:
        data.append([row.get(c, "") for c in columns])
    return data.export("csv").encode("utf-8")


def xlsx_bytes(rows: list[dict[str, object]], columns: list[str] | None = None) -> bytes:
    columns = columns or list(rows[0])
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c, None) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_file(path, rows: list[dict[str, object]]) -> None:
    """Write rows to `path`, as Excel when it ends in .xlsx, else CSV (for the browser)."""
    data = xlsx_bytes(rows) if str(path).endswith(".xlsx") else csv_bytes(rows)
    with open(path, "wb") as file:
        file.write(data)


def upload(client, programme, kind: str, content: bytes, name: str = "people.csv"):
    """Post a file to the import page (the check); the response shows each row's outcome."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("manage:import", args=[programme.slug, kind])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def confirm(client, programme, kind: str, checked_response):
    """Confirm the import of the file a check response showed."""
    from django.urls import reverse

    url = reverse("manage:confirm_import", args=[programme.slug, kind])
    return client.post(url, {"digest": checked_response.context["check"].digest})
