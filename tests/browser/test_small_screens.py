"""At 375 pixels wide (a small phone) no page scrolls sideways: tables stack, long words wrap,
and the directory's filters fold away behind one button (issue 10, item 14).

Screenshots of every page at 375 and 1280 pixels go to test-artifacts/small-screens/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from mentorship import services
from mentorship.models import MenteeMembership, MentorMembership, Mentorship
from tests.factories import (
    MenteeMembershipFactory,
    MenteeProfileFactory,
    MentorMembershipFactory,
    MentorProfileFactory,
    ProgrammeFactory,
    UserFactory,
    new_accepted_request,
    new_mentee,
    new_mentor,
    new_request,
)

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# Words with nowhere to break: email addresses, and what people type into a text box.
LONG_EMAIL = "siobhan.featherstonehaughoconnor.fellow@northfieldteachinghospitals.nhs.example.org"
LONG_ORGANISATION = "NorthfieldAndPennineValleysIntegratedCareBoardPrimaryCareDirectorate"


@pytest.fixture
def everyone(with_mfa):
    """A programme with someone in every state, so that every page has rows to show."""
    from matching.runs.start import start_match_run

    programme = ProgrammeFactory(
        name="Northfield and Pennine Valleys Clinical Fellows Mentoring Scheme",
        slug="northfield-fellows",
    )
    manager = UserFactory(full_name="Joanna Whitfield")
    programme.managers.add(manager)
    with_mfa(manager)

    mentee = new_mentee(programme, "Dr Amara Nwosu")
    mentor = new_mentor(
        programme,
        "Dr Gareth Pryce-Featherstonehaugh",
        capacity=3,
        user__email=LONG_EMAIL,
        organisation=LONG_ORGANISATION,
    )
    waiting = new_request(mentee, mentor, programme, message="I hope to move into GP. " * 20)

    matched_mentee = new_mentee(programme, "Dr Bilal Qureshi")
    matched = new_accepted_request(matched_mentee, mentor, programme)
    services.approve_request(matched, by=manager)
    mentorship = Mentorship.objects.get(mentee=matched_mentee)

    for_approval = new_accepted_request(new_mentee(programme, "Dr Chidi Eze"), mentor, programme)
    applicant = MenteeMembershipFactory(
        programme=programme,
        user=MenteeProfileFactory(
            user__full_name="Dr Dina Haddad", user__email="x" + LONG_EMAIL
        ).user,
        status=MenteeMembership.Status.APPLIED,
    )
    to_vet = MentorMembershipFactory(
        programme=programme,
        user=MentorProfileFactory(
            user__full_name="Dr Emeka Okafor", organisation=LONG_ORGANISATION
        ).user,
        status=MentorMembership.Status.APPLIED,
    )
    for n in range(3):
        new_mentee(programme, f"Dr Waiting Mentee {n}")
    with transaction.atomic():
        run = start_match_run(programme, by=manager, method="optimal")

    slug = programme.slug
    pages = {
        "mentee": (
            mentee,
            [
                "/dashboard/",
                "/mentee/",
                "/programmes/",
                f"/programmes/{slug}/",
                f"/programmes/{slug}/mentors/",
                f"/programmes/{slug}/mentors/{mentor.pk}/",
                "/requests/",
                f"/requests/{waiting.pk}/",
                "/profile/mentee/",
                "/accounts/settings/",
                "/accounts/email/",
                "/accounts/password/change/",
                "/accounts/2fa/",
            ],
        ),
        "matched mentee": (matched_mentee, ["/dashboard/", f"/mentorships/{mentorship.pk}/"]),
        "mentor": (
            mentor,
            [
                "/dashboard/",
                "/mentor/",
                "/mentor/requests/",
                f"/mentor/requests/{waiting.pk}/",
                "/mentor/mentees/",
                f"/mentorships/{mentorship.pk}/",
                f"/mentees/{mentee.pk}/",
                "/profile/mentor/",
                "/accounts/email/",
            ],
        ),
        "manager": (
            manager,
            [
                "/dashboard/",
                "/manage/",
                f"/manage/{slug}/",
                f"/manage/{slug}/applicants/",
                f"/manage/{slug}/applicants/{applicant.pk}/",
                f"/manage/{slug}/mentors/",
                f"/manage/{slug}/mentors/{to_vet.pk}/",
                f"/manage/{slug}/approvals/",
                f"/manage/{slug}/mentees/",
                f"/manage/{slug}/mentees/{mentee.mentee_memberships.get().pk}/",
                f"/manage/{slug}/matching/",
                f"/manage/{slug}/matching/runs/{run.pk}/",
                "/accounts/2fa/",
                "/accounts/email/",
                "/accounts/password/change/",
            ],
        ),
        "anonymous": (
            None,
            ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"],
        ),
    }
    assert for_approval.status == "accepted"
    return pages


def _session_cookie(user, base_url: str) -> dict:
    browser = Client()
    browser.force_login(user)
    return {"name": "sessionid", "value": browser.cookies["sessionid"].value, "url": base_url}


def _sideways(page) -> dict | None:
    """How far the page scrolls sideways, and the elements sticking out furthest."""
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            const scroll = document.documentElement.scrollWidth;
            if (scroll <= width) return null;
            const out = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
                .slice(0, 3)
                .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
            return {scrollWidth: scroll, innerWidth: width, widest: out};
        }"""
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_main_page_of_any_role_scrolls_sideways_on_a_small_phone(
    page, live_server, everyone, artifacts_dir
):
    shots = artifacts_dir / "small-screens"
    shots.mkdir(exist_ok=True)
    sideways: dict[str, dict] = {}
    not_found: list[str] = []

    for role, (user, paths) in everyone.items():
        page.context.clear_cookies()
        if user is not None:
            page.context.add_cookies([_session_cookie(user, live_server.url)])
        for path in paths:
            for size in (PHONE, DESKTOP):
                page.set_viewport_size(size)
                response = page.goto(live_server.url + path)
                if response.status != 200 or page.url != live_server.url + path:
                    not_found.append(f"{role} {path}: {response.status} at {page.url}")
                name = f"{role}{path}".replace("/", "_").replace(" ", "-")
                page.screenshot(path=str(shots / f"{name}-{size['width']}.png"), full_page=True)
                if size is PHONE and (found := _sideways(page)):
                    sideways[f"{role} {path}"] = found

    assert not_found == []  # every page was really looked at, not a redirect
    assert sideways == {}
    assert page.js_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_directory_filters_fold_behind_one_button_on_a_phone(page, live_server, mentee):
    programme = mentee.mentee_memberships.get().programme
    page.context.add_cookies([_session_cookie(mentee, live_server.url)])
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/programmes/{programme.slug}/mentors/")

    toggle = page.get_by_role("button", name="Filter mentors")
    filters = page.locator("#mentor-filters")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not filters.is_visible()

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert filters.get_by_label("Specialty").is_visible()

    page.set_viewport_size(DESKTOP)
    assert not toggle.is_visible()
    assert filters.get_by_label("Specialty").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_wide_screen_the_directory_filters_show_without_a_button(page, live_server, mentee):
    programme = mentee.mentee_memberships.get().programme
    page.context.add_cookies([_session_cookie(mentee, live_server.url)])
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/programmes/{programme.slug}/mentors/")

    assert page.locator("#mentor-filters").get_by_label("Specialty").is_visible()
    assert page.get_by_role("button", name="Filter mentors").count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_directory_filters_are_shown_on_a_phone(page, live_server, mentee):
    programme = mentee.mentee_memberships.get().programme
    context = page.context.browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        context.add_cookies([_session_cookie(mentee, live_server.url)])
        no_js = context.new_page()
        no_js.goto(f"{live_server.url}/programmes/{programme.slug}/mentors/")

        assert no_js.locator("#mentor-filters").get_by_label("Specialty").is_visible()
        assert no_js.get_by_role("button", name="Filter mentors").count() == 0
    finally:
        context.close()


# --- Tables, read from the templates themselves -----------------------------------------


def _tables() -> list[tuple[str, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES).as_posix()
        if relative.startswith(("emails/", "admin/")):
            continue  # email layout tables and Django's admin
        for table in re.findall(r"<table\b.*?</table>", path.read_text(), re.S):
            found.append((relative, table))
    return found


def test_every_table_of_three_or_more_columns_stacks_on_a_phone():
    plain = []
    for template, table in _tables():
        columns = len(re.findall(r"<th scope=\"col\"", table))
        responsive = re.search(r'<table class="nhsuk-table-responsive[" ][^>]*role="table"', table)
        if columns >= 3 and not responsive:
            plain.append(template)

    assert plain == []


def test_every_cell_of_a_stacking_table_says_which_column_it_is_in():
    unlabelled = []
    for template, table in _tables():
        if "nhsuk-table-responsive" not in table:
            continue
        for cell in re.findall(r"<td\b.*?</td>", table, re.S):
            if 'role="cell"' not in cell or "nhsuk-table-responsive__heading" not in cell:
                unlabelled.append(f"{template}: {cell[:80]}")

    assert unlabelled == []
