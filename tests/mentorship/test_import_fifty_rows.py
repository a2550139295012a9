"""The issue's story: a manager imports 50 mentors from a file with three bad rows, fixes
them, and imports the file again; only the three fixed rows are added the second time."""

import pytest

from accounts.models import User
from mentorship.models import MentorMembership, OutboxEmail
from tests.mentorship.import_files import (
    BAD_MENTOR_ROWS,
    MENTOR_COLUMNS,
    confirm,
    csv_bytes,
    mentors_with_three_bad_rows,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_fifty_mentors_with_three_bad_rows_then_fixed(manager_client, programme, file_format):
    write = csv_bytes if file_format == "csv" else xlsx_bytes
    name = f"mentors.{file_format}"
    bad = write(mentors_with_three_bad_rows(), MENTOR_COLUMNS)

    checked = upload(manager_client, programme, "mentors", bad, name)

    check = checked.context["check"]
    assert [row.number for row in check.errors] == sorted(BAD_MENTOR_ROWS)
    assert check.counts["create"] == 47
    assert User.objects.count() == 1  # the manager: the check saved nothing
    confirm(manager_client, programme, "mentors", checked)
    assert MentorMembership.objects.filter(programme=programme).count() == 47
    assert OutboxEmail.objects.filter(kind="import_mentor_invited").count() == 47

    fixed = write(mentors_with_three_bad_rows(fixed=True), MENTOR_COLUMNS)
    checked_again = upload(manager_client, programme, "mentors", fixed, name)

    again = checked_again.context["check"]
    assert again.counts == {"unchanged": 47, "create": 3}
    assert [row.number for row in again.rows if row.outcome == "create"] == sorted(BAD_MENTOR_ROWS)
    confirm(manager_client, programme, "mentors", checked_again)
    assert MentorMembership.objects.filter(programme=programme).count() == 50
    assert OutboxEmail.objects.filter(kind="import_mentor_invited").count() == 50
