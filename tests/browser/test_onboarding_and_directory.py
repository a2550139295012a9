import pytest

from mentorship.models import MenteeMembership, MenteeProfile
from mentorship.services import decide_mentee_application
from tests.factories import (
    MentorMembershipFactory,
    MentorProfileFactory,
    ProgrammeFactory,
    UserFactory,
    specialty,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_mentee_onboards_applies_and_filters_the_directory(
    page, live_server, password, artifacts_dir
):
    programme = ProgrammeFactory(name="Northfield Clinical Fellows", slug="northfield")
    manager = UserFactory(full_name="Joanna Whitfield")
    programme.managers.add(manager)
    for name, code in [
        ("Dr Alice Gp", "general-practice"),
        ("Dr Bola Geri", "geriatric-medicine"),
        ("Dr Cara Psych", "psychiatry"),
    ]:
        mentor = MentorProfileFactory(user__full_name=name, primary_specialty=specialty(code))
        MentorMembershipFactory(programme=programme, user=mentor.user)
    user = UserFactory(full_name="Dr Hiba Elamin")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("button", name="Get started").click()
    page.get_by_label("I want a mentor").check()
    page.get_by_role("button", name="Continue").click()

    # First try without the required answers: the error summary lists them.
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".nhsuk-error-summary")
    assert "Select a target specialty" in summary.inner_text()
    page.screenshot(path=str(artifacts_dir / "mentee-profile-errors.png"), full_page=True)

    page.get_by_label("Country of your primary medical qualification").select_option("SD")
    page.get_by_label("Current grade").select_option("trust_grade")
    page.get_by_label("Specialty you want to work in").select_option("general-practice")
    page.get_by_label("Most important").select_option("career-move")
    page.get_by_label("Second (optional)").select_option("leadership")
    page.get_by_label("Where you work").select_option("north-west")
    page.get_by_label("Video or phone call").check()
    page.get_by_label("Arabic").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")

    profile = MenteeProfile.objects.get(user=user)
    assert [g.code for g in profile.ranked_goals()] == ["career-move", "leadership"]

    page.goto(f"{live_server.url}/programmes/northfield/")
    page.get_by_label("Why do you want to join? (optional)").fill("I want to become a GP.")
    page.get_by_role("button", name="Apply to this programme").click()
    page.wait_for_url(f"{live_server.url}/mentee/")
    assert "Waiting for a decision" in page.content()

    membership = MenteeMembership.objects.get(user=user, programme=programme)
    decide_mentee_application(membership, by=manager, accept=True)

    page.reload()
    page.get_by_role("button", name="Browse mentors").click()
    assert page.locator("#results-heading").inner_text() == "3 mentors"
    # Ranked for this mentee: the GP mentor suits a future GP best.
    first = page.locator(".app-mentor-card h3 a").first.inner_text()
    assert first == "Dr Alice Gp"

    page.get_by_label("Specialty").select_option("general-practice")
    page.get_by_label("Only mentors with a free place").check()
    page.get_by_role("button", name="Apply filters").click()

    assert page.locator("#results-heading").inner_text() == "1 mentor matches your filters"
    cards = page.locator(".app-mentor-card h3")
    assert cards.locator("a").all_inner_texts() == ["Dr Alice Gp"]
    assert cards.locator(".app-match").inner_text().endswith("% match")
    page.screenshot(path=str(artifacts_dir / "directory-filtered.png"), full_page=True)

    cards.first.get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dr Alice Gp"
    assert (
        "Same target specialty: General Practice" in page.locator(".app-explanation").inner_text()
    )
    page.screenshot(path=str(artifacts_dir / "mentor-page-explanation.png"), full_page=True)
    assert page.js_errors == []
