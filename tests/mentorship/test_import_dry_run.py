"""Checking a file is a dry run: each row's outcome and every error in plain words, with the
row number as in the spreadsheet (the header is row 1), and nothing saved."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from mentorship.models import (
    Event,
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    MentorProfile,
    OutboxEmail,
)
from tests.factories import MentorProfileFactory
from tests.mentorship.import_files import (
    MENTEE_COLUMNS,
    MENTOR_COLUMNS,
    csv_bytes,
    mentee_row,
    mentor_row,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

MODELS = [
    User,
    EmailAddress,
    MentorProfile,
    MenteeProfile,
    MentorMembership,
    MenteeMembership,
    Event,
    OutboxEmail,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def errors_of(response) -> list[tuple[int, str, str]]:
    return [
        (row.number, column, message)
        for row in response.context["check"].rows
        for column, message in row.errors
    ]


def test_every_row_error_is_shown_with_its_row_and_column_and_nothing_is_saved(
    manager_client, programme, mentor
):
    MentorProfileFactory(gmc_number="6999999", user__email="someone.else@example.org")
    rows = [
        mentor_row(1),  # row 2: fine
        mentor_row(2, Email="not an email"),  # row 3
        mentor_row(3, Specialty="Cardiolgy"),  # row 4
        mentor_row(4, **{"GMC number": "6000005"}),  # row 5: the same as row 6
        mentor_row(5),  # row 6
        mentor_row(6, **{"GMC number": "6999999"}),  # row 7: another mentor's number
        mentor_row(7, **{"Full name": "", "Job title": ""}),  # row 8
        mentor_row(8, **{"GMC number": "12345"}),  # row 9
        mentor_row(9, Email="mentor1@example.nhs.uk"),  # row 10: the same as row 2
        mentor_row(10, Region="Atlantis", **{"Mentees at once": "12"}),  # row 11
        mentor_row(11, **{"Full name": '=HYPERLINK("http://evil")'}),  # row 12
        mentor_row(12, **{"Qualified outside the UK": "perhaps"}),  # row 13
        mentor_row(13, Email=mentor.email),  # row 14: already in the programme
    ]
    before = counts()

    response = upload(manager_client, programme, "mentors", csv_bytes(rows, MENTOR_COLUMNS))

    assert response.status_code == 200
    assert counts() == before
    found = errors_of(response)
    assert (
        3,
        "Email",
        "'not an email' is not an email address. Enter one like name@nhs.net.",
    ) in found
    assert (
        4,
        "Specialty",
        "We do not know the specialty 'Cardiolgy'. Use a specialty from the list on the import "
        "page, like General Practice.",
    ) in found
    assert (5, "GMC number", "The same GMC number is on row 6. Keep one row.") in found
    assert (6, "GMC number", "The same GMC number is on row 5. Keep one row.") in found
    assert (
        7,
        "GMC number",
        "Another mentor's profile already has this GMC number, with a different email address. "
        "Check the number and the email address.",
    ) in found
    assert (8, "Full name", "Enter their full name.") in found
    assert (8, "Job title", "Enter their job title.") in found
    assert (
        9,
        "GMC number",
        "'12345' is not a GMC number. Enter exactly 7 digits, like 7012345.",
    ) in found
    assert (2, "Email", "The same email address is on row 10. Keep one row.") in found
    assert (10, "Email", "The same email address is on row 2. Keep one row.") in found
    assert (11, "Mentees at once", "Enter a number of mentees from 1 to 10.") in found
    assert (
        11,
        "Region",
        "We do not know the region 'Atlantis'. Use a region from the list on the import page, "
        "like London.",
    ) in found
    assert (
        12,
        "Full name",
        "This looks like a spreadsheet formula. Type the text itself.",
    ) in found
    assert (13, "Qualified outside the UK", "Enter Yes or No.") in found
    outcomes = {row.number: row.outcome for row in response.context["check"].rows}
    assert outcomes[14] == "unchanged"
    assert [n for n, o in outcomes.items() if o != "error"] == [14]
    html = response.content.decode()
    assert "Row 4, Specialty: We do not know the specialty" in html
    assert "Nothing has been saved yet." in html


def test_specialties_regions_and_grades_are_read_as_people_write_them(manager_client, programme):
    rows = [
        mentee_row(1, **{"Specialty they want to work in": "gp", "Grade": "SHO"}),
        mentee_row(2, **{"Specialty they want to work in": "OBS & GYNAE", "Region": "LONDON"}),
        mentee_row(3, **{"Specialty they want to work in": "A&E", "Grade": "fy2"}),
        mentee_row(4, **{"Specialty they want to work in": "ear, nose and throat"}),
        mentee_row(5, **{"Specialty they want to work in": "general-practice"}),
        mentee_row(6, **{"Country of primary medical qualification": "IN"}),
    ]

    response = upload(manager_client, programme, "mentees", csv_bytes(rows, MENTEE_COLUMNS))

    check = response.context["check"]
    assert errors_of(response) == []
    assert [row.outcome for row in check.rows] == ["create"] * 6


def test_a_phrase_that_names_two_specialties_is_not_guessed(manager_client, programme):
    rows = [mentee_row(1, **{"Specialty they want to work in": "Sexual health"})]

    response = upload(manager_client, programme, "mentees", csv_bytes(rows, MENTEE_COLUMNS))

    assert errors_of(response)[0][:2] == (2, "Specialty they want to work in")


def test_a_mentee_row_without_the_specialty_they_want_is_an_error(manager_client, programme):
    rows = [mentee_row(1, **{"Specialty they want to work in": ""})]

    response = upload(manager_client, programme, "mentees", csv_bytes(rows, MENTEE_COLUMNS))

    assert errors_of(response) == [(2, "Specialty they want to work in", "Enter their specialty.")]


def test_a_manager_cannot_import_themselves_as_a_mentee(manager_client, manager, programme):
    rows = [mentee_row(1, Email=manager.email)]

    response = upload(manager_client, programme, "mentees", csv_bytes(rows, MENTEE_COLUMNS))

    assert errors_of(response) == [
        (
            2,
            "Email",
            "This is your own email address. Another manager of the programme must add you.",
        )
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.pdf", b"%PDF-1.4 nothing", "The file must be a CSV or Excel (.xlsx) file."),
        ("people.csv", b"", "The file is empty."),
        ("people.csv", b"  \n\n", "The file is empty."),
        (
            "people.csv",
            ",".join(MENTOR_COLUMNS).encode(),
            "The file has a header row but no people in it.",
        ),
        (
            "people.csv",
            "Full name,Email,Specialty\nDr Zoë Ó Briain,zoe@example.org,GP\n".encode("latin-1"),
            "The CSV file is not saved as UTF-8",
        ),
        (
            "people.csv",
            b"Full name,Specialty\nDr A,GP\n",
            "The file has no 'Email', 'Job title', 'Organisation' column. Download the template",
        ),
        ("people.xls", b"\xd0\xcf\x11\xe0 old excel", "The file is an old Excel (.xls) file."),
        (
            "people.xlsx",
            b"PK\x03\x04 not really a zip",
            "The file is not a real Excel (.xlsx) file",
        ),
        (
            "people.csv",
            b"Full name,Email\nDr A,a@example.org,extra,cells\n",
            "The CSV file cannot be read: check that every row has the same columns as the "
            "header row",
        ),
    ],
)
def test_a_file_that_cannot_be_read_says_why_and_saves_nothing(
    manager_client, programme, name, content, message
):
    before = counts()

    response = upload(manager_client, programme, "mentors", content, name)

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert response.context["check"] is None
    assert counts() == before


def test_an_excel_row_wider_than_the_header_says_which_row(manager_client, programme):
    content = xlsx_bytes(
        [{"Full name": "Dr A", "Email": "a@example.org", "": "extra"}], ["Full name", "Email", ""]
    )

    response = upload(manager_client, programme, "mentors", content, "people.xlsx")

    assert response.status_code == 400
    assert "Row 2 has more cells than the header row has columns." in response.content.decode()


def test_a_file_with_too_many_rows_is_refused(manager_client, programme):
    rows = [mentor_row(n) for n in range(1, 1002)]

    response = upload(manager_client, programme, "mentors", csv_bytes(rows, MENTOR_COLUMNS))

    assert response.status_code == 400
    assert "The file has more than 1,000 people. Split it into smaller files." in (
        response.content.decode()
    )


def test_a_file_over_two_megabytes_is_refused(manager_client, programme):
    content = b"Full name,Email\n" + b"x" * (2 * 1024 * 1024 + 1)

    response = upload(manager_client, programme, "mentors", content)

    assert response.status_code == 400
    assert "The file is larger than 2 MB." in response.content.decode()


def test_a_huge_cell_is_an_error_on_its_row_not_a_crash(manager_client, programme):
    rows = [mentor_row(1, Organisation="N" * 5000)]

    response = upload(manager_client, programme, "mentors", csv_bytes(rows, MENTOR_COLUMNS))

    assert errors_of(response) == [(2, "Organisation", "Use 200 characters or fewer.")]


def test_a_formula_in_an_excel_cell_is_never_run(manager_client, programme):
    rows = [mentor_row(1, Organisation="=1+1"), mentor_row(2, Title="=cmd|' /C calc'!A0")]

    response = upload(
        manager_client, programme, "mentors", xlsx_bytes(rows, MENTOR_COLUMNS), "people.xlsx"
    )

    assert response.status_code == 200
    # openpyxl wrote formulas with no cached value: read as empty, never evaluated.
    found = errors_of(response)
    assert (2, "Organisation", "Enter their organisation.") in found
    assert response.context["check"].rows[1].outcome == "create"


def test_columns_we_do_not_know_are_listed_as_not_used(manager_client, programme):
    rows = [{**mentor_row(1), "Favourite colour": "green"}]

    response = upload(
        manager_client, programme, "mentors", csv_bytes(rows, [*MENTOR_COLUMNS, "Favourite colour"])
    )

    assert response.context["check"].ignored_columns == ["Favourite colour"]
    assert "We did not use these columns: Favourite colour." in response.content.decode()


def test_the_import_page_shows_the_templates_and_the_upload(manager_client, programme):
    response = manager_client.get(reverse("manage:import", args=[programme.slug, "mentees"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("manage:import_template", args=[programme.slug, "mentees", "xlsx"]) in html
    assert 'enctype="multipart/form-data"' in html
    assert "Clinical fellow" in html


def test_the_lists_link_to_the_import(manager_client, programme):
    for kind in ("mentors", "mentees"):
        response = manager_client.get(reverse(f"manage:{kind}", args=[programme.slug]))
        assert reverse("manage:import", args=[programme.slug, kind]) in response.content.decode()
        assert "Import from a spreadsheet" in response.content.decode()


def test_a_csv_with_semicolons_between_columns_is_read(manager_client, programme):
    content = csv_bytes([mentor_row(1)], MENTOR_COLUMNS).decode().replace(",", ";").encode()

    response = upload(manager_client, programme, "mentors", content)

    assert [row.outcome for row in response.context["check"].rows] == ["create"]
