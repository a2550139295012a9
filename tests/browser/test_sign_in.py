import pytest

from tests.factories import MenteeProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mentee_signs_in_with_the_keyboard_and_sees_their_dashboard(
    page, live_server, password, artifacts_dir
):
    mentee = MenteeProfileFactory(user__full_name="Dr Kwame Mensah").user

    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"

    page.get_by_label("Email address").fill(mentee.email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{live_server.url}/dashboard/")

    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Kwame"
    assert page.get_by_role("link", name="Find a mentor").first.is_visible()
    # The NHS.UK frontend's CSS and JS loaded under the strict CSP.
    header_colour = page.evaluate(
        "getComputedStyle(document.querySelector('.nhsuk-header')).backgroundColor"
    )
    assert header_colour == "rgb(0, 94, 184)"
    assert page.evaluate("document.body.classList.contains('nhsuk-frontend-supported')")
    assert page.js_errors == []
    page.screenshot(path=str(artifacts_dir / "dashboard-after-sign-in.png"), full_page=True)


def test_wrong_details_show_the_error_summary(page, live_server, password, artifacts_dir):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert "There is a problem" in summary.inner_text()
    assert "Enter your email address" in summary.inner_text()
    # The summary takes the focus, and its links move it to the field.
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-error-summary')")
    summary.get_by_role("link", name="Enter your password").click()
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.screenshot(path=str(artifacts_dir / "sign-in-errors.png"), full_page=True)
