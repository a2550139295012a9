"""Every download the programme team opens in a spreadsheet: no cell runs as a formula, in
CSV and in Excel, and numbers stay numbers."""

import datetime
import io

import openpyxl
import pytest

from mentorship.spreadsheets import download, safe_cell

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_is_prefixed_with_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


def test_numbers_dates_and_plain_text_are_kept_as_they_are():
    day = datetime.date(2026, 3, 1)
    assert safe_cell(-3) == -3
    assert safe_cell(2.5) == 2.5
    assert safe_cell(day) == day
    assert safe_cell("Dr Amara Okafor") == "Dr Amara Okafor"
    assert safe_cell(None) == ""
    assert safe_cell(True) == "Yes"


def test_a_csv_download_starts_with_a_byte_order_mark_and_neutralises_formulas():
    response = download(["Name", "Meetings"], [[HOSTILE[0], 3]], filename="Mentees list")
    assert response["Content-Disposition"] == 'attachment; filename="mentees-list.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_an_excel_download_is_a_real_workbook_with_no_formula_cells():
    response = download(
        ["Name", "Meetings"],
        [[h, i] for i, h in enumerate(HOSTILE)],
        filename="x",
        file_format="xlsx",
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == list(range(len(HOSTILE)))
    for cell in sheet["A"][1:]:
        assert cell.data_type != "f"
        assert str(cell.value).startswith("'")
