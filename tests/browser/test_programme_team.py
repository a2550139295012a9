"""The programme team's command centre in Chromium, with a real worker and SMTP server.

A manager imports 50 mentors from a spreadsheet with three bad rows, reads what is wrong
with each, fixes the file and imports it; the invitations arrive by SMTP. They watch the
dashboard and the needs-attention list change as the programme moves (a long-waiting mentee
is matched, a concern is raised), and download the dashboard's figures."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from journey.services import concerns
from mentorship.models import MenteeMembership, MentorMembership
from tests.factories import new_mentor, new_mentorship
from tests.integration.fixtures import wait_until
from tests.mentorship.import_files import BAD_MENTOR_ROWS, mentors_with_three_bad_rows, write_file

from .test_whole_path import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def _shot(page, artifacts_dir, name):
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artifacts_dir / f"team-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _figure(page, label):
    """The value beside a label in the dashboard's summary lists."""
    row = page.locator(".nhsuk-summary-list__row", has=page.locator(f"dt:text-is('{label}')"))
    return row.locator("dd").first.inner_text().strip()


def test_import_fix_watch_and_export(
    page,
    live_server,
    workers,
    smtp_server,
    mentee,
    manager,
    programme,
    password,
    with_mfa,
    artifacts_dir,
    tmp_path,
):
    base = live_server.url
    slug = programme.slug
    # The mentee was accepted five weeks ago and still has no mentor.
    MenteeMembership.objects.filter(programme=programme, user=mentee).update(
        decided_at=timezone.now() - datetime.timedelta(weeks=5)
    )
    code = with_mfa(manager)
    workers.start()
    sign_in(page, base, manager.email, password, code=code)

    # Import: the check finds the three bad rows and saves nothing.
    page.goto(f"{base}/manage/{slug}/mentors/")
    page.get_by_role("link", name="Import from a spreadsheet").click()
    bad_file = tmp_path / "mentors.csv"
    write_file(bad_file, mentors_with_three_bad_rows(50))
    page.locator("#id_file").set_input_files(str(bad_file))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    text = page.content()
    for row in BAD_MENTOR_ROWS:
        assert f"Row {row}" in text, row
    assert "not-an-email" in text and "Cardiolgy" in text
    assert MentorMembership.objects.filter(programme=programme).count() == 0
    _shot(page, artifacts_dir, "1-import-check")

    # The manager fixes the file and imports all 50.
    fixed_file = tmp_path / "mentors-fixed.csv"
    write_file(fixed_file, mentors_with_three_bad_rows(50, fixed=True))
    page.locator("#id_file").set_input_files(str(fixed_file))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 50 mentors").click()
    page.wait_for_load_state()
    assert MentorMembership.objects.filter(programme=programme).count() == 50
    assert wait_until(
        lambda: len({str(m["To"]) for m in smtp_server.recorder.messages}) >= 50, timeout=120
    ), workers.log()
    invited = {str(m["To"]) for m in smtp_server.recorder.messages}
    assert "mentor1@example.nhs.uk" in invited and "mentor50@example.nhs.uk" in invited
    _shot(page, artifacts_dir, "2-imported")

    # Before: the long wait needs attention; nothing is active.
    page.goto(f"{base}/manage/{slug}/")
    assert "Waiting for a mentor" in page.content()
    assert mentee.full_name in page.locator("#needs-attention ~ table").first.inner_text()
    page.goto(f"{base}/manage/{slug}/dashboard/")
    assert _figure(page, "Active mentorships today") == "0"
    _shot(page, artifacts_dir, "3-dashboard-before")

    # The programme moves: the mentee is matched, and the mentor raises a concern.
    mentor = new_mentor(programme, "Dr Helen Achterberg")
    mentorship = new_mentorship(mentee, mentor, programme)
    concerns.raise_concern(mentorship, by=mentor, kind="wellbeing", details="Worried about her.")

    page.goto(f"{base}/manage/{slug}/attention/")
    attention = page.locator("main").inner_text()
    assert "Concerns not acknowledged (1)" in attention
    assert "Waiting for a mentor (0)" in attention
    _shot(page, artifacts_dir, "4-needs-attention")
    page.goto(f"{base}/manage/{slug}/dashboard/")
    assert _figure(page, "Active mentorships today") == "1"
    _shot(page, artifacts_dir, "5-dashboard-after")

    # The figures download as CSV with the same numbers.
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV file of the dashboard figures").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert ["Mentorships", "Active today", "1"] in rows, rows
    assert ["Path", "Matched: mentees", "1"] in rows, rows
    assert page.js_errors == []
