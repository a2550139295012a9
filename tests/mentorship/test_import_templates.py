"""A manager downloads a template for mentors or mentees, as CSV or Excel."""

import io

import openpyxl
import pytest
import tablib
from django.urls import reverse

from mentorship.imports.resources import MenteeResource, MentorResource
from tests.mentorship.import_files import upload

pytestmark = pytest.mark.django_db

COLUMNS = {"mentors": MentorResource.column_names(), "mentees": MenteeResource.column_names()}


@pytest.mark.parametrize("kind", ["mentors", "mentees"])
def test_the_csv_template_has_the_columns_and_two_example_rows(manager_client, programme, kind):
    url = reverse("manage:import_template", args=[programme.slug, kind, "csv"])

    response = manager_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{kind}-import-template.csv"' in response["Content-Disposition"]
    data = tablib.import_set(response.content.decode("utf-8-sig"), format="csv")
    assert data.headers == COLUMNS[kind]
    assert data.height == 2
    assert "Email" in data.headers and "GMC number" in data.headers


@pytest.mark.parametrize("kind", ["mentors", "mentees"])
def test_the_excel_template_lists_the_values_we_understand(manager_client, programme, kind):
    url = reverse("manage:import_template", args=[programme.slug, kind, "xlsx"])

    response = manager_client.get(url)

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [kind.capitalize(), "Specialties", "Regions", "Grades"]
    first = book.worksheets[0]
    assert [c.value for c in next(first.iter_rows(max_row=1))] == COLUMNS[kind]
    specialties = [row[0] for row in book["Specialties"].iter_rows(min_row=2, values_only=True)]
    assert "General Practice" in specialties and "Geriatric Medicine" in specialties


@pytest.mark.parametrize("kind", ["mentors", "mentees"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_template_as_downloaded_passes_its_own_check(
    manager_client, programme, kind, file_format
):
    template = manager_client.get(
        reverse("manage:import_template", args=[programme.slug, kind, file_format])
    )

    response = upload(manager_client, programme, kind, template.content, f"t.{file_format}")

    assert response.status_code == 200
    check = response.context["check"]
    assert [row.outcome for row in check.rows] == ["create", "create"]


def test_an_unknown_template_format_is_404(manager_client, programme):
    url = reverse("manage:import_template", args=[programme.slug, "mentors", "pdf"])

    assert manager_client.get(url).status_code == 404
