"""The mentorship journey in Chromium with a real worker and a real SMTP server.

One pair agrees, logs and confirms three meetings, sets the next one (an .ics invitation
arrives by SMTP), answers a check-in saying "not a good fit" (opened by the beat job on the
worker), which alerts the manager, who ends it without blame; the mentee is offered mentors
again without the first. Another pair completes in two steps, gives feedback and downloads a
certificate that opens as a PDF with the right facts in it."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone

from journey.models import Agreement, CheckIn, Feedback, Meeting, PlannedMeeting
from mentorship.models import Mentorship
from tests.factories import (
    MenteeMembershipFactory,
    MenteeProfileFactory,
    MentorMembershipFactory,
    MentorProfileFactory,
    new_mentorship,
)
from tests.integration.fixtures import wait_until

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
        page.screenshot(path=str(artifacts_dir / f"journey-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _messages(smtp_server, to, subject_part):
    return [
        m
        for m in smtp_server.recorder.messages
        if to in str(m["To"]) and subject_part.lower() in str(m["Subject"]).lower()
    ]


def _calendar_parts(message):
    return [
        part.get_payload(decode=True)
        for part in message.walk()
        if part.get_content_type() == "text/calendar"
    ]


def _mentor(programme, name):
    user = MentorProfileFactory(user__full_name=name).user
    MentorMembershipFactory(programme=programme, user=user)
    return user


def test_agreement_meetings_calendar_check_in_and_re_pairing(
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
):
    from journey import jobs

    base = live_server.url
    mentor = _mentor(programme, "Dr Helen Achterberg")
    other = _mentor(programme, "Dr Samuel Adeyemi")
    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=5)
    code = with_mfa(manager)
    workers.start()
    page_url = f"{base}/mentorships/{mentorship.pk}/"

    # The mentor proposes the agreement; the mentee confirms it.
    sign_in(page, base, mentor.email, password)
    page.goto(page_url)
    page.get_by_role("link", name="Propose the agreement").click()
    _shot(page, artifacts_dir, "1-agreement-form")
    page.get_by_role("button", name=f"Send to {mentee.full_name} to confirm").click()
    page.wait_for_url(f"{page_url}*")
    sign_in(page, base, mentee.email, password)
    page.goto(page_url)
    page.get_by_role("button", name="Confirm the agreement").click()
    page.wait_for_load_state()
    assert Agreement.objects.get(mentorship=mentorship).is_confirmed

    # The mentee logs three meetings; the mentor confirms each.
    for weeks_ago, kind in ((4, "clinic"), (3, "home_visits"), (1, "one_to_one")):
        page.goto(f"{base}/mentorships/{mentorship.pk}/meetings/log/")
        held = timezone.localdate() - datetime.timedelta(weeks=weeks_ago)
        page.get_by_label("Date of the meeting").fill(held.isoformat())
        page.get_by_label("How long, in minutes").fill("90")
        page.locator("input[name=mode][value=in_person]").check()
        page.locator(f"input[name=kind][value={kind}]").check()
        page.get_by_label("Notes (optional)").fill("Private notes about what we discussed.")
        page.get_by_role("button", name="Log the meeting").click()
        page.wait_for_url(f"{page_url}*")
    _shot(page, artifacts_dir, "2-meetings-logged")
    sign_in(page, base, mentor.email, password)
    page.goto(page_url)
    for _ in range(3):
        page.get_by_role("button", name="Confirm this meeting").first.click()
        page.wait_for_load_state()
    assert Meeting.objects.filter(mentorship=mentorship).confirmed().count() == 3

    # The mentor sets the next meeting: both receive a calendar invitation by SMTP.
    page.goto(f"{base}/mentorships/{mentorship.pk}/next-meeting/")
    day = timezone.localdate() + datetime.timedelta(days=5)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("14:30")
    page.locator("input[name=mode][value=video]").check()
    page.get_by_role("button", name="Set the meeting").click()
    page.wait_for_url(f"{page_url}*")
    _shot(page, artifacts_dir, "3-mentorship-page")
    planned = PlannedMeeting.objects.get(mentorship=mentorship)

    def invitation_to_mentee():
        return [
            m
            for m in smtp_server.recorder.messages
            if mentee.email in str(m["To"]) and _calendar_parts(m)
        ]

    assert wait_until(lambda: invitation_to_mentee(), timeout=60), workers.log()
    ics = _calendar_parts(invitation_to_mentee()[0])[0].decode()
    assert f"UID:{planned.uid}@" in ics and "BEGIN:VEVENT" in ics

    # Beat's check-in job runs on the worker; the mentee says it is not a good fit.
    jobs.open_check_ins.delay()
    assert wait_until(
        lambda: CheckIn.objects.filter(mentorship=mentorship, person=mentee).exists(), timeout=60
    ), workers.log()
    sign_in(page, base, mentee.email, password)
    page.goto(page_url)
    page.get_by_role("link", name="Answer your check-in").click()
    page.locator("input[name=score][value='2']").check()
    page.locator("input[name=meeting_as_agreed][value=mostly]").check()
    page.get_by_label("This mentorship is not a good fit").check()
    _shot(page, artifacts_dir, "4-check-in")
    page.get_by_role("button", name="Send to the programme team").click()
    page.wait_for_load_state()
    assert CheckIn.objects.get(mentorship=mentorship, person=mentee).not_a_good_fit
    assert wait_until(
        lambda: _messages(smtp_server, manager.email, "a check-in needs your attention"), timeout=60
    ), workers.log()
    assert not _messages(smtp_server, mentor.email, "a check-in needs your attention")

    # The manager ends it as not a good fit, without blame.
    sign_in(page, base, manager.email, password, code=code)
    page.goto(f"{base}/mentorships/{mentorship.pk}/end-early/?because=not_a_good_fit")
    page.get_by_label("Tell us more").fill("Different expectations; no blame on either side.")
    page.get_by_role("button", name="End the mentorship early").click()
    page.wait_for_load_state()
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED_EARLY
    assert mentorship.ended_because == Mentorship.EndedBecause.NOT_A_GOOD_FIT

    # The mentee is offered mentors again, without the first.
    sign_in(page, base, mentee.email, password)
    page.goto(f"{base}/programmes/{programme.slug}/mentors/")
    _shot(page, artifacts_dir, "5-directory-again")
    assert other.full_name in page.content()
    assert mentor.full_name not in page.content()
    assert page.js_errors == []


def test_completion_feedback_and_a_certificate(
    page,
    live_server,
    workers,
    smtp_server,
    manager,
    programme,
    password,
    artifacts_dir,
):
    from pypdf import PdfReader

    from journey.services import meetings

    base = live_server.url
    mentee = MenteeProfileFactory(user__full_name="Dr Priya Raghunathan").user
    MenteeMembershipFactory(programme=programme, user=mentee)
    mentor = _mentor(programme, "Dr Helen Achterberg")
    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=15)
    for weeks_ago in (12, 8, 4):
        meeting = meetings.log_meeting(
            mentorship,
            by=mentee,
            held_on=timezone.localdate() - datetime.timedelta(weeks=weeks_ago),
            minutes=60,
            mode="shadowing",
            kind="clinic",
            topics="Clinic",
            notes="",
        )
        meetings.confirm_meeting(meeting, by=mentor)
    workers.start()
    page_url = f"{base}/mentorships/{mentorship.pk}/"

    # The mentee asks to mark it complete; the mentor confirms.
    sign_in(page, base, mentee.email, password)
    page.goto(page_url)
    page.get_by_role("button", name="Mark it as complete").click()
    page.get_by_role("button", name=f"Ask {mentor.full_name} to confirm").click()
    page.wait_for_load_state()
    assert Mentorship.objects.get(pk=mentorship.pk).status == Mentorship.Status.ACTIVE
    sign_in(page, base, mentor.email, password)
    page.goto(page_url)
    page.get_by_role("button", name="Confirm it is complete").click()
    page.get_by_role("button", name="Yes, it is complete").click()
    page.wait_for_load_state()
    assert Mentorship.objects.get(pk=mentorship.pk).status == Mentorship.Status.COMPLETED
    assert wait_until(lambda: _messages(smtp_server, mentee.email, "complete"), timeout=60), (
        workers.log()
    )

    # The mentee gives feedback on each mentorship function.
    sign_in(page, base, mentee.email, password)
    page.goto(page_url)
    page.get_by_role("button", name="Give feedback").click()
    for radio in page.locator("input[type=radio][name^=function_][value='3']").all():
        radio.check()
    page.locator("input[name=would_recommend][value=yes]").check()
    page.get_by_label("Anything else you would like to tell the programme team? (optional)").fill(
        "Seeing general practice from the inside made my decision."
    )
    _shot(page, artifacts_dir, "6-feedback")
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_load_state()
    feedback = Feedback.objects.get(mentorship=mentorship, person=mentee)
    assert len(feedback.function_ratings) == 14 and set(feedback.function_ratings.values()) == {3}

    # The certificate downloads and opens as a PDF with the facts of the mentorship.
    page.goto(page_url)
    _shot(page, artifacts_dir, "7-completed")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download your certificate (PDF)").click()
    pdf = download_info.value.path().read_bytes()
    (artifacts_dir / "journey-certificate.pdf").write_bytes(pdf)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert mentee.full_name in text and mentor.full_name in text
    assert programme.name in text and "3 confirmed meetings" in text
    certificate = mentorship.certificates.get(person=mentee)
    assert certificate.display_code in text

    # Anyone can check the code on the verification page.
    page.goto(f"{base}/certificates/verify/?code={certificate.code.lower()}")
    assert "genuine" in page.content()
    assert page.js_errors == []
