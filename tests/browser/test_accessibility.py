"""Automated WCAG 2.2 A/AA checks (axe-core) on the pages each kind of user sees most.

axe finds about a third of accessibility problems; it does not replace testing with a
keyboard and a screen reader, but it stops regressions in labels, contrast and structure.
"""

from pathlib import Path

import pytest

from mentorship import services
from tests.factories import MentorMembershipFactory, MentorProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(page) -> list[str]:
    page.evaluate(AXE)  # evaluated through the debugger protocol, so the CSP does not apply
    result = page.evaluate(
        "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', "
        "values: tags}}); return {passes: r.passes.length, violations: r.violations.map("
        "v => `${v.id}: ${v.help} (${v.nodes.length}) ` + v.nodes.slice(0, 2).map("
        "n => n.target.join(' ')).join(', '))}; }",
        RULES,
    )
    assert result["passes"] >= 10, "axe did not check the page"  # it really ran
    return result["violations"]


def sign_in(page, base, user, password, code=None):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if code is not None:
        page.get_by_label("Code").fill(code())
        page.locator("button[type=submit]").first.click()
    page.wait_for_url(f"{base}/dashboard/")


def test_the_main_pages_have_no_detectable_wcag_failures(
    page, live_server, mentee, manager, programme, password, with_mfa
):
    base = live_server.url
    mentor = MentorProfileFactory(user__full_name="Dr Helen Achterberg").user
    MentorMembershipFactory(programme=programme, user=mentor)
    mentor_request = services.request_mentor(mentee, mentor, programme, message="Hello")
    code = with_mfa(manager)
    pages: dict[str, list[str]] = {}

    def check(name: str, path: str | None = None) -> None:
        if path is not None:
            page.goto(base + path)
        pages[name] = violations(page)

    check("home", "/")
    page.goto(base + "/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    check("sign in with errors")
    check("create an account", "/accounts/signup/")

    sign_in(page, base, mentee, password)
    check("dashboard", "/dashboard/")
    check("directory", f"/programmes/{programme.slug}/mentors/")
    check("mentor page", f"/programmes/{programme.slug}/mentors/{mentor.pk}/")
    page.goto(base + "/profile/mentee/")
    page.get_by_label("GMC reference number (optional)").fill("123")
    page.locator("form button[type=submit]").last.click()
    check("profile form with errors")
    check("my request", f"/requests/{mentor_request.pk}/")
    check("email addresses", "/accounts/email/")
    check("change password", "/accounts/password/change/")
    check("authenticator app", "/accounts/2fa/")
    page.set_viewport_size({"width": 375, "height": 800})
    check("directory on a phone", f"/programmes/{programme.slug}/mentors/")
    page.set_viewport_size({"width": 1100, "height": 900})

    sign_in(page, base, mentor, password)
    check("mentor inbox", "/mentor/requests/")
    check("request to the mentor", f"/mentor/requests/{mentor_request.pk}/")

    sign_in(page, base, manager, password, code=code)
    check("programme", f"/manage/{programme.slug}/")
    check("applicants", f"/manage/{programme.slug}/applicants/")
    check("matching", f"/manage/{programme.slug}/matching/")
    check("recovery codes", "/accounts/2fa/recovery-codes/")

    failing = {name: found for name, found in pages.items() if found}
    assert failing == {}
