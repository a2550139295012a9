"""The spreadsheet templates a manager downloads: our columns, two example rows, and (in the
Excel file) the lists of specialties, regions and grades we understand."""

from __future__ import annotations

import tablib
from django.http import HttpResponse

from .. import spreadsheets
from ..models import Grade, Region, Specialty
from .resources import RESOURCES

EXAMPLES = {
    "mentors": [
        {
            "Title": "Dr",
            "Full name": "Helen Achebe",
            "Email": "helen.achebe@example.nhs.uk",
            "GMC number": "7012345",
            "Job title": "Consultant geriatrician",
            "Organisation": "Northfield NHS Foundation Trust",
            "Specialty": "Geriatric Medicine",
            "Region": "Midlands",
            "Mentees at once": 2,
            "Qualified outside the UK": "Yes",
            "Country of primary medical qualification": "Nigeria",
        },
        {
            "Title": "Dr",
            "Full name": "Tom Fairweather",
            "Email": "tom.fairweather@example.nhs.uk",
            "Job title": "GP partner",
            "Organisation": "Riverside Surgery",
            "Specialty": "GP",
            "Region": "London",
        },
    ],
    "mentees": [
        {
            "Title": "Dr",
            "Full name": "Amara Nwosu",
            "Email": "amara.nwosu@example.nhs.uk",
            "GMC number": "7054321",
            "Grade": "Clinical fellow",
            "Current specialty": "Geriatric Medicine",
            "Specialty they want to work in": "General Practice",
            "Region": "Midlands",
            "Country of primary medical qualification": "Nigeria",
            "Year they started working in the UK": 2024,
        },
        {
            "Full name": "Dr Bilal Qureshi",
            "Email": "bilal.qureshi@example.nhs.uk",
            "Specialty they want to work in": "Psychiatry",
        },
    ],
}


def download_template(kind: str, file_format: str) -> HttpResponse:
    """The template for `kind` ("mentors" or "mentees") as CSV or Excel."""
    columns = RESOURCES[kind].column_names()
    rows = [[example.get(c, "") for c in columns] for example in EXAMPLES[kind]]
    filename = f"{kind}-import-template"
    if spreadsheets.wanted_format(file_format) == "csv":
        return spreadsheets.download(columns, rows, filename=filename, file_format="csv")
    book = tablib.Databook(
        [
            spreadsheets.dataset(columns, rows, title=kind.capitalize()),
            spreadsheets.dataset(
                ["Specialty"], ([s.name] for s in Specialty.objects.active()), "Specialties"
            ),
            spreadsheets.dataset(
                ["Region"], ([r.name] for r in Region.objects.active()), "Regions"
            ),
            spreadsheets.dataset(["Grade"], ([label] for _, label in Grade.choices), "Grades"),
        ]
    )
    content_type, extension = spreadsheets.FORMATS["xlsx"]
    response = HttpResponse(book.export("xlsx"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response
