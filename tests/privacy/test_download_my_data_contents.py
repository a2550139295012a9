"""What a "download my data" file holds: every kind of record about the person, with its
values, and nothing of anyone else's beyond what the person already sees on their pages."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from mentorship.models import OutboxEmail
from privacy.export.files import build_zip
from privacy.export.sections import SECTIONS
from tests.privacy.people import (
    MENTEE_ETHNICITY,
    MENTEE_OWN,
    MENTOR_ETHNICITY,
    MENTOR_OWN,
    OTHER_PAIR,
    TEAM_ONLY,
    build_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(mentee, mentor, manager, programme):
    return build_world(mentee, mentor, manager, programme)


def open_zip(content: bytes) -> tuple[dict, str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sorted(archive.namelist()) == ["data.html", "data.json"]
        raw = archive.read("data.json").decode()
        return json.loads(raw), raw, archive.read("data.html").decode()


def test_the_file_holds_every_kind_of_record_with_its_values(world):
    mentee = world.mentee
    mentee.title = "Dr"
    mentee.save(update_fields=["title"])
    Client().force_login(mentee)  # an open session, as after signing in

    data, raw_json, html = open_zip(build_zip(mentee))

    assert set(data) == {"about_this_file", *(section.key for section in SECTIONS)}
    assert data["account"]["full_name"] == "Dr Amara Nwosu"
    assert data["account"]["title"] == "Dr"
    assert data["account"]["email"] == mentee.email
    assert data["email_addresses"][0]["email"] == mentee.email
    assert data["roles"]["roles"] == ["mentee"]
    assert data["mfa"]["set_up"] is True
    assert {m["type"] for m in data["mfa"]["methods"]} == {"TOTP Authenticator", "Recovery codes"}
    assert data["sign_in_history"]["last_sign_in_at"] is not None
    assert len(data["sign_in_history"]["open_sessions"]) == 1
    assert data["mentee_profile"]["what_you_hope_to_gain"] == MENTEE_OWN["mentee_statement"]
    assert data["mentee_profile"]["gmc_number"] == "7012345"
    assert data["mentor_profile"] is None
    assert data["exclusions"][0]["name"] == MENTEE_OWN["exclusion"]
    membership = data["memberships"][0]
    assert (membership["programme"], membership["as"]) == ("Northfield Clinical Fellows", "mentee")
    assert membership["why_you_want_to_join"] == MENTEE_OWN["application_note"]
    withdrawn, approved = data["requests"]
    assert withdrawn["message"] == MENTEE_OWN["request_message"]
    assert withdrawn["mentor"] == "Dr Ifeoma Adeyemi"
    assert [e["what"] for e in withdrawn["timeline"]] == ["Requested", "Withdrawn"]
    assert approved["mentor"] == "Dr Gareth Pryce"
    assert approved["match_reasons"] and all(  # worded for the mentee, as the page shows
        isinstance(reason, str) and reason[0].isupper() for reason in approved["match_reasons"]
    )
    [mentorship] = data["mentorships"]
    assert mentorship["mentor"] == "Dr Gareth Pryce"
    assert (mentorship["you_are"], mentorship["status"]) == ("mentee", "Completed")
    timeline = {e["what"] for e in mentorship["timeline"]}
    assert {"Mentorship started", "Meeting logged", "Agreement confirmed"} <= timeline
    assert data["agreements"][0]["how_we_meet"] == MENTEE_OWN["agreement"]
    assert data["goals"][0]["reflection"] == MENTEE_OWN["goal_reflection"]
    [meeting] = data["meetings"]
    assert meeting["notes"] == MENTEE_OWN["meeting_notes"]
    assert meeting["topics"] == MENTEE_OWN["meeting_topics"]
    assert meeting["minutes"] == 60
    assert data["planned_meetings"][0]["where"] == MENTEE_OWN["planned_where"]
    assert data["action_points"][0]["action"] == MENTEE_OWN["action_point"]
    assert data["extensions"][0]["reason"] == MENTEE_OWN["extension_reason"]
    [check_in] = data["check_ins"]
    assert (check_in["for_the_programme_team"], check_in["score"]) == (MENTEE_OWN["check_in"], 5)
    [feedback] = data["feedback"]
    assert feedback["comment"] == MENTEE_OWN["feedback"]
    [concern] = data["concerns"]
    assert (concern["details"], concern["kind"]) == (MENTEE_OWN["concern"], "Behaviour")
    assert data["equality_answers"]["ethnicity"] == MENTEE_ETHNICITY[1]
    assert data["equality_answers"]["sex"] == "Female"
    [survey] = data["outcome_surveys"]
    assert survey["did_mentoring_help"] == "Partly"
    [certificate] = data["certificates"]
    assert certificate["mentee"] == "Dr Amara Nwosu"
    assert certificate["verification_code"] in html
    sent = OutboxEmail.objects.filter(recipient=mentee)
    assert len(data["emails"]) == sent.count() > 0
    introduction = sent.get(kind="introduction")
    written = next(e for e in data["emails"] if e["subject"] == introduction.subject)
    assert written["body"] == introduction.body_text
    # Dates are ISO 8601: a date, and a moment in UTC.
    assert mentorship["started_on"][4] == "-" and len(mentorship["started_on"]) == 10
    assert meeting["logged_at"].endswith("+00:00")
    # Everything the person wrote is in the readable page too.
    for words in MENTEE_OWN.values():
        assert words in raw_json
        assert words in html


@pytest.mark.parametrize("subject", ["mentee", "mentor"])
def test_nothing_of_anyone_else_is_in_the_file(world, subject):
    person = getattr(world, subject)
    theirs = MENTOR_OWN if subject == "mentee" else MENTEE_OWN
    # Each side's shared words (agreement, meetings...) are the other's to read too.
    private_to_the_team = {"check_in", "concern", "feedback", "mentee_statement"}
    secrets = [words for kind, words in theirs.items() if kind in private_to_the_team]
    secrets += [*TEAM_ONLY.values(), *OTHER_PAIR.values()]
    other_ethnicity = MENTOR_ETHNICITY if subject == "mentee" else MENTEE_ETHNICITY

    data, raw_json, html = open_zip(build_zip(person))

    for words in secrets:
        assert words not in raw_json, words
        assert words not in html, words
    assert other_ethnicity[1] not in raw_json and other_ethnicity[1] not in html
    assert world.other_mentee.full_name not in raw_json
    assert len(data["check_ins"]) == 1 and len(data["feedback"]) == 1
    assert len(data["concerns"]) == 1 and len(data["certificates"]) == 1
    # The team's own entries on the mentorship's timeline are left out.
    [mentorship] = data["mentorships"]
    assert "Concern raised" not in {e["what"] for e in mentorship["timeline"]}


def test_mfa_is_shown_as_set_up_but_no_secret_leaves(world):
    data, raw_json, html = open_zip(build_zip(world.mentee))

    stored = Authenticator.objects.filter(user=world.mentee)
    assert stored.count() == 2  # the app and its recovery codes
    for authenticator in stored:
        for value in authenticator.data.values():
            if isinstance(value, str) and len(value) > 8:
                assert value not in raw_json and value not in html
    assert "secret" not in raw_json.lower().replace("secrets", "")
    assert data["mfa"]["set_up"] is True


def test_the_readable_page_is_self_contained(world):
    _, _, html = open_zip(build_zip(world.mentee))

    assert html.startswith("<!DOCTYPE html>")
    for loads_something in ("<script", "<link", "src=", "<img", "@import", "url("):
        assert loads_something not in html
    assert "<h2>Meetings</h2>" in html


def test_someone_with_nothing_yet_gets_a_file_saying_so(outsider):
    data, _, html = open_zip(build_zip(outsider))

    assert data["account"]["full_name"] == "Olu Outsider"
    assert data["requests"] == [] and data["mentee_profile"] is None
    assert data["roles"]["roles"] == []
    assert "Nothing held." in html


def test_the_mentors_file_holds_their_side(world):
    data, raw_json, _ = open_zip(build_zip(world.mentor))

    assert data["roles"]["roles"] == ["mentor"]
    assert data["mentor_profile"]["about_you"] == MENTOR_OWN["mentor_bio"]
    assert data["mentee_profile"] is None
    [mentorship] = data["mentorships"]
    assert (mentorship["you_are"], mentorship["mentee"]) == ("mentor", "Dr Amara Nwosu")
    assert data["check_ins"][0]["for_the_programme_team"] == MENTOR_OWN["check_in"]
    assert data["concerns"][0]["details"] == MENTOR_OWN["concern"]
    assert data["feedback"][0]["comment"] == MENTOR_OWN["feedback"]
    # What the two share is the mentor's too: the meeting notes and the agreement.
    assert data["meetings"][0]["notes"] == MENTEE_OWN["meeting_notes"]
    assert data["agreements"][0]["how_we_meet"] == MENTEE_OWN["agreement"]
    assert data["equality_answers"]["ethnicity"] == MENTOR_ETHNICITY[1]


def test_linked_organisation_accounts_and_what_their_provider_sent_are_in_the_file(world):
    from allauth.socialaccount.models import SocialAccount

    SocialAccount.objects.create(
        user=world.mentee, provider="oidc-trust", uid="sub-amara-1", extra_data={"tid": "T-OWN"}
    )
    SocialAccount.objects.create(
        user=world.other_mentee, provider="oidc-trust", uid="sub-else", extra_data={"tid": "T-X"}
    )

    data, raw_json, html = open_zip(build_zip(world.mentee))

    [linked] = data["linked_accounts"]
    assert linked["provider"] == "oidc-trust" and linked["account_id"] == "sub-amara-1"
    assert linked["what_the_provider_sent"] == {"tid": "T-OWN"}
    assert "sub-else" not in raw_json and "T-X" not in raw_json and "sub-else" not in html
