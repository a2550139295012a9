"""The whole path in Chromium, with the real worker: a mentee asks, the mentor accepts, the
manager signs in with a TOTP code and approves, both introductions arrive by SMTP, and the
mentee sees the active mentorship."""

import pytest

from tests.factories import MentorMembershipFactory, MentorProfileFactory
from tests.integration.fixtures import wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, base, email, password, code=None):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if code is not None:
        page.get_by_label("Code").fill(code())
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/dashboard/")


def test_from_request_to_introductions_to_an_active_mentorship(
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
    base = live_server.url
    mentor = MentorProfileFactory(user__full_name="Dr Helen Achterberg").user
    MentorMembershipFactory(programme=programme, user=mentor)
    code = with_mfa(manager)
    workers.start()

    # The mentee asks from the mentor's page.
    sign_in(page, base, mentee.email, password)
    page.goto(f"{base}/programmes/{programme.slug}/mentors/{mentor.pk}/")
    page.get_by_label(f"Message to {mentor.full_name} (optional)").fill(
        "I would like to move into General Practice."
    )
    page.get_by_role("button", name=f"Ask {mentor.full_name} to mentor you").click()
    page.wait_for_load_state()
    page.screenshot(path=str(artifacts_dir / "path-1-requested.png"), full_page=True)

    # The mentor accepts from their inbox.
    sign_in(page, base, mentor.email, password)
    page.goto(f"{base}/mentor/requests/")
    page.get_by_role("link", name=mentee.full_name).first.click()
    page.get_by_role("button", name=f"Accept {mentee.full_name}'s request").click()
    page.wait_for_load_state()

    # The manager signs in with a code from their authenticator app and approves.
    sign_in(page, base, manager.email, password, code=code)
    page.goto(f"{base}/manage/{programme.slug}/approvals/")
    page.screenshot(path=str(artifacts_dir / "path-2-approval-queue.png"), full_page=True)
    page.get_by_role(
        "button", name=f"Approve the match between {mentee.full_name} and {mentor.full_name}"
    ).click()
    page.wait_for_load_state()

    # The real worker sends both introductions over SMTP.
    def introductions():
        return sorted(
            str(m["To"])
            for m in smtp_server.recorder.messages
            if str(m["Subject"]).startswith("Meet your")
        )

    assert wait_until(lambda: len(introductions()) == 2, timeout=40), workers.log()
    assert introductions() == sorted([mentee.email, mentor.email])

    # The mentee sees the active mentorship.
    sign_in(page, base, mentee.email, password)
    page.goto(f"{base}/mentee/")
    page.get_by_role("link", name=f"{mentor.full_name}, {programme.name}").click()
    assert "Active" in page.locator(".nhsuk-tag").first.inner_text()
    assert mentor.email in page.content()
    page.screenshot(path=str(artifacts_dir / "path-3-mentorship.png"), full_page=True)
    assert page.js_errors == []
