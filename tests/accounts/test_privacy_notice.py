"""The privacy notice says who the controller is, what is kept and why, the lawful bases,
who sees what, how long things are kept (from settings), the rights and where to use them,
the cookies the app really sets, and how to complain to the ICO."""

from __future__ import annotations

import pytest
from django.test import Client


def _notice(client: Client) -> str:
    response = client.get("/privacy/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_notice_names_the_controller_and_how_to_reach_them(client, settings):
    settings.PRIVACY_CONTROLLER_NAME = "Northfield Teaching Hospitals NHS Trust"
    settings.PRIVACY_CONTROLLER_ADDRESS = "1 Infirmary Road, Northfield NF1 2AB"
    settings.PRIVACY_CONTACT_EMAIL = "privacy@northfield.example.org"
    settings.PRIVACY_DPO_EMAIL = "dpo@northfield.example.org"

    page = _notice(client)

    assert "Northfield Teaching Hospitals NHS Trust is the data controller" in page
    assert "1 Infirmary Road, Northfield NF1 2AB" in page
    assert 'href="mailto:privacy@northfield.example.org"' in page
    assert 'href="mailto:dpo@northfield.example.org"' in page


def test_a_deployment_without_an_address_or_dpo_leaves_those_lines_out(client, settings):
    settings.PRIVACY_CONTROLLER_ADDRESS = ""
    settings.PRIVACY_DPO_EMAIL = ""

    page = _notice(client)

    assert "Address:" not in page
    assert "data protection officer" not in page


def test_retention_is_read_from_settings_and_said_in_plain_words(client, settings):
    settings.RETENTION_DAYS = {
        "closed_accounts": 45,
        "declined_applications": 730,
        "ended_mentorships": 365,
        "outbox_bodies": 1,
    }
    settings.DATA_EXPORT_LINK_HOURS = 48

    page = _notice(client)

    assert "made anonymous within 45 days" in page
    assert "not accepted: 2 years after the decision" in page
    assert "records: 1 year after it ends" in page
    assert "emails we sent you: 1 day" in page
    assert "A download of your data: 48 hours" in page


def test_the_default_retention_reads_as_days_and_years(client):
    page = _notice(client)

    assert "within 30 days" in page
    assert "1 year after the decision" in page
    assert "6 years after it ends" in page
    assert "90 days" in page


def test_the_lawful_bases_are_stated(client):
    page = _notice(client)

    assert "Article 6(1)(e)" in page
    assert "Article 6(1)(f)" in page
    assert "Article 9(2)(g)" in page
    assert "Data Protection Act 2018, Schedule 1, paragraph 8" in page


def test_each_right_links_to_where_it_is_used(client):
    page = _notice(client)

    assert 'href="/accounts/privacy/download/"' in page
    assert 'href="/accounts/privacy/delete/"' in page
    assert 'href="/accounts/settings/"' in page
    assert 'href="/accounts/equality/"' in page


def test_complaints_go_to_the_ico(client):
    page = _notice(client)

    assert "Information Commissioner's Office" in page
    assert 'href="https://ico.org.uk/make-a-complaint/"' in page


def test_the_equality_monitoring_facts_are_kept(client):
    page = _notice(client)

    assert 'id="equality-monitoring"' in page
    assert "fewer than 5" in page
    assert "never used to match you" in page
    assert "A survey not answered within 60 days closes." in page


def test_every_cookie_the_app_sets_is_listed_as_strictly_necessary(client, mentee, password):
    """Sign in, see a message, change a name: every cookie set on the way is on the notice."""
    set_names: set[str] = set()

    def collect(response) -> None:
        set_names.update(response.cookies.keys())

    collect(client.get("/accounts/login/"))
    collect(client.post("/accounts/login/", {"login": mentee.email, "password": password}))
    collect(client.post("/accounts/settings/name/", {"title": "", "full_name": "Amara N"}))
    collect(client.get("/accounts/settings/"))
    collect(client.post("/accounts/logout/"))
    assert {"sessionid", "csrftoken", "messages"} <= set_names

    page = _notice(client)
    table = page.split('id="cookies"')[1].split("</table>")[0]
    for name in set_names:
        assert f"<span>{name}</span></td>" in table
    assert "strictly necessary" in page
    assert "no analytics" in page


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("/profile/mentee/", "Why we ask: you can choose a mentor who qualified where you did"),
        ("/profile/mentee/", "They use it to check your registration."),
        ("/profile/mentee/", 'href="/privacy/#who-sees"'),
        ("/profile/mentor/", 'href="/privacy/#who-sees"'),
    ],
)
def test_forms_that_collect_data_say_who_sees_it_and_why(mentee_client, url, hint):
    assert hint in mentee_client.get(url).content.decode()


def test_the_sign_up_page_links_to_the_notice(client):
    page = client.get("/accounts/signup/").content.decode()

    assert 'href="/privacy/"' in page


def test_the_notice_reads_on_a_narrow_screen(client):
    """375 px: the one table has 3 short columns and a caption; the rest is text."""
    page = _notice(client)

    assert page.count("<table") == 1
    assert page.count('scope="col"') == 3
    assert 'name="viewport"' in page
