"""The sections of a "download my data" file, in the order people read them: each is one
kind of record, with its key in data.json, its heading in data.html, what it holds, and the
one function that collects it. docs/privacy.md lists the same keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from . import account, mentorships, own_words, programmes
from .values import iso

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    about: str
    collect: Callable[[Any], Any]


SECTIONS: tuple[Section, ...] = (
    Section("account", "Your account", "Your name and sign-in email address.", account.account),
    Section(
        "email_addresses",
        "Email addresses",
        "Every email address on your account and whether you confirmed it.",
        account.email_addresses,
    ),
    Section(
        "roles",
        "Roles",
        "What you do here (mentee, mentor, programme manager, staff) and programmes you manage.",
        account.roles,
    ),
    Section(
        "mfa",
        "Authenticator app",
        "Whether two-step sign-in is set up and when it was used; never its keys or codes.",
        account.mfa,
    ),
    Section(
        "linked_accounts",
        "Organisation accounts you sign in with",
        "Accounts (such as your NHS or trust Microsoft account) linked for single sign-on, "
        "and what their provider told us about you.",
        account.linked_accounts,
    ),
    Section(
        "sign_in_history",
        "Signing in",
        "Your last sign-in, the sessions still open, and what the security log records.",
        account.sign_in_history,
    ),
    Section(
        "mentee_profile",
        "Your mentee profile",
        "What you told us to find you a mentor (empty if you are not a mentee).",
        programmes.mentee_profile,
    ),
    Section(
        "mentor_profile",
        "Your mentor profile",
        "What mentees see about you as a mentor (empty if you are not a mentor).",
        programmes.mentor_profile,
    ),
    Section(
        "exclusions",
        "People you asked not to be matched with",
        "Names and addresses you gave us, and why.",
        programmes.exclusions,
    ),
    Section(
        "memberships",
        "Programmes",
        "Programmes you joined or applied to, what was decided, and their timelines.",
        programmes.memberships,
    ),
    Section(
        "requests",
        "Mentoring requests",
        "Requests you made or received, the messages in them, and their timelines.",
        programmes.requests,
    ),
    Section(
        "mentorships",
        "Mentorships",
        "Your mentorships, who with, how they went and ended, and their timelines.",
        mentorships.mentorships,
    ),
    Section(
        "agreements",
        "Mentoring agreements",
        "What you and your mentor or mentee agreed.",
        mentorships.agreements,
    ),
    Section("goals", "Goals", "The goals you agreed and your reflections.", mentorships.goals),
    Section(
        "meetings",
        "Meetings",
        "Meetings logged, with their topics and the notes private to the two of you.",
        mentorships.meetings,
    ),
    Section(
        "planned_meetings",
        "Planned meetings",
        "Next meetings set, and any cancelled.",
        mentorships.planned_meetings,
    ),
    Section(
        "action_points",
        "Action points",
        "Things either of you said you would do.",
        mentorships.action_points,
    ),
    Section(
        "extensions",
        "Extensions",
        "Proposals to move a mentorship's planned end.",
        mentorships.extensions,
    ),
    Section(
        "check_ins",
        "Your check-ins",
        "Your answers to the programme team's check-ins.",
        own_words.check_ins,
    ),
    Section(
        "feedback",
        "Your feedback",
        "Feedback you gave at the end of a mentorship.",
        own_words.feedback,
    ),
    Section(
        "concerns",
        "Concerns you raised",
        "Concerns you raised with the programme team, how each stands, and its outcome.",
        own_words.concerns,
    ),
    Section(
        "equality_answers",
        "Equality monitoring",
        "Your optional equality monitoring answers (empty if you gave none).",
        own_words.equality_answers,
    ),
    Section(
        "outcome_surveys",
        "Outcome surveys",
        "Your answers to the surveys after a mentorship.",
        own_words.outcome_surveys,
    ),
    Section(
        "certificates",
        "Certificates",
        "Certificates issued to you, as printed.",
        own_words.certificates,
    ),
    Section(
        "emails",
        "Emails we sent you",
        "Each email written to you: subject, when, whether it was sent, and its text.",
        own_words.emails,
    ),
)


def collect(user: Any, *, site_name: str) -> dict[str, Any]:
    """Everything held about `user`, as plain JSON: one key per section."""
    data: dict[str, Any] = {
        "about_this_file": {
            "service": site_name,
            "format_version": FORMAT_VERSION,
            "generated_at": iso(timezone.now()),
            "dates": "Dates are YYYY-MM-DD; moments are ISO 8601 in UTC.",
            "sections": {section.key: section.about for section in SECTIONS},
        }
    }
    for section in SECTIONS:
        data[section.key] = section.collect(user)
    return data
