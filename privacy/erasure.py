"""Deleting an account: a person's data erased or anonymised, on their own request or by
staff on their request (UK GDPR article 17), in one transaction.

What goes: their name and email address (the account stays as "Former member", unusable and
inactive, so the rows that point at it still count), their sign-in records (email
addresses, authenticators, single sign-on links, sessions), every free-text field they wrote
or that describes them, their equality answers, their outcome-survey answers, and every
mention of their name, email address or GMC number anywhere else (privacy/scrub.py).

What stays: the rows and numbers programme statistics count (mentorships, meetings and their
minutes, check-in scores, requests and their outcomes, the event log's actions), shown with
"Former member", "a mentee" or "a mentor" in place of the person; and, until it is closed,
a concern under investigation raised by them or about them (then privacy/retention.py erases
it after RETENTION_DAYS["closed_accounts"]). docs/privacy.md has the full list.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.db.models import Q

from accounts.models import User
from journey.models import (
    ActionPoint,
    AgreedGoal,
    Agreement,
    Certificate,
    CheckIn,
    Concern,
    Extension,
    Feedback,
    Meeting,
    PlannedMeeting,
)
from mentorship.models import (
    Event,
    Exclusion,
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    MentorProfile,
    MentorRequest,
    Mentorship,
    OutboxEmail,
    Programme,
)
from mentorship.services.errors import InvalidTransition, NotAllowed
from mentorship.services.locking import atomic_with_retry, lock_mentorship, lock_request
from mentorship.services.memberships import remove_from_programme
from mentorship.services.mentorships import end_as_account_closed
from mentorship.services.requests import close_request
from monitoring.models import EqualityAnswers, OutcomeSurvey

from . import emails
from .models import DataExport, ErasureRecord
from .scrub import Identity, blank, sweep_mentions
from .sessions import live_sessions_of

log = logging.getLogger(__name__)

ERASED_NAME = "Former member"
ACCOUNT_CLOSED = "Account closed."
SELF_SERVICE_REASON = "Deleted their own account."
GOAL_PLACEHOLDER = "A goal"
ACTION_POINT_PLACEHOLDER = "An action point"
NOT_SENT = "Not sent: the account it was for or about was closed."


def erased_email(user_id: int) -> str:
    """An address that can never receive mail (.invalid is reserved, RFC 2606)."""
    return f"erased-{user_id}@invalid"


def is_erased(user: Any) -> bool:
    return ErasureRecord.objects.filter(user_id=user.pk).exists()


# --- What the person is told before they confirm -------------------------------------------


@dataclass
class ErasurePreview:
    """What deleting this account would do, for the page that asks them to confirm."""

    active_mentorships: list[Mentorship] = field(default_factory=list)
    open_concerns: int = 0
    managed_programmes: list[Programme] = field(default_factory=list)
    open_requests: int = 0


def preview_erasure(user: Any) -> ErasurePreview:
    """The consequences the person reads before confirming, and what must be kept."""
    theirs = Q(mentee=user) | Q(mentor=user)
    return ErasurePreview(
        active_mentorships=list(
            Mentorship.objects.active().filter(theirs).select_related("programme")
        ),
        open_concerns=kept_concerns(user).count(),
        managed_programmes=list(Programme.objects.managed_by(user)),
        open_requests=MentorRequest.objects.open().filter(theirs).count(),
    )


def kept_concerns(user: Any):
    """Concerns still under investigation raised by them or about them (in a mentorship
    they are part of): their content is kept until the concern is closed."""
    return Concern.objects.open().filter(
        Q(mentorship__mentee=user) | Q(mentorship__mentor=user) | Q(raised_by=user)
    )


# --- The erasure -----------------------------------------------------------------------------


@atomic_with_retry
def erase_person(user: Any, *, by: Any, reason: str) -> ErasureRecord:
    """Erase or anonymise everything held about `user`, keeping the numbers; `by` is the
    person themselves or a staff member acting on their request. Once only."""
    reason = reason.strip()
    if not reason:
        raise InvalidTransition("Say why this person's data is being erased.")
    by_staff = by.pk != user.pk
    if by_staff and not (by.is_staff and by.is_active):
        raise NotAllowed("Only the person themselves or site staff can erase their data.")
    # The account row is the lock: two erasures of one person run one after the other, and
    # the second finds the record of the first.
    user = User.objects.select_for_update().get(pk=user.pk)
    if is_erased(user):
        raise InvalidTransition("This person's data has already been erased.")

    identity = Identity.of(
        user,
        emails=EmailAddress.objects.filter(user=user).values_list("email", flat=True),
        gmc_numbers=[
            *MenteeProfile.objects.filter(user=user).values_list("gmc_number", flat=True),
            *MentorProfile.objects.filter(user=user).values_list("gmc_number", flat=True),
        ],
    )
    counts: Counter[str] = Counter()
    counts["free_text_blanked"] = _blank_their_records(user)
    counts["kept_concerns"] = kept_concerns(user).count()
    _anonymise_account(user)
    # From here on the account reads "Former member", so the emails the next steps queue
    # (to partners and managers) carry no trace of who it was.
    counts["mentorships_ended"] = _end_active_mentorships(user, by=by)
    counts["programmes_left"] = _leave_programmes(user, by=by)
    for programme in Programme.objects.managed_by(user):
        programme.managers.remove(user)
        counts["programmes_no_longer_managed"] += 1
    counts["emails_to_them_erased"] = _erase_emails_to(user, identity)
    counts["sign_in_records_deleted"] = _delete_sign_in_records(user)
    # A "download my data" file is a copy of everything above, in bytes no sweep reads.
    counts["data_exports_deleted"] = DataExport.objects.filter(user=user).delete()[0]
    counts["mentions_removed"] = sweep_mentions(
        identity, special={OutboxEmail: _erase_emails}, keep={Concern: kept_concerns(user)}
    )
    MentorProfile.objects.filter(user=user).refresh_search_documents()

    record = ErasureRecord.objects.create(
        user=user, by=by, by_staff=by_staff, reason=reason, counts=dict(sorted(counts.items()))
    )
    log.info("Erased user %s (by user %s): %s", user.pk, by.pk, record.counts)
    return record


def _anonymise_account(user: User) -> None:
    user.full_name = ERASED_NAME
    user.title = ""
    user.email = erased_email(user.pk)
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.save(
        update_fields=[
            "full_name",
            "title",
            "email",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
        ]
    )
    user.groups.clear()
    user.user_permissions.clear()


def _blank_their_records(user: User) -> int:
    """Every free-text field they wrote or that describes them, in the rows that stay."""
    theirs = Q(mentee=user) | Q(mentor=user)
    mentorships = Mentorship.objects.filter(theirs)
    requests = MentorRequest.objects.filter(theirs)
    in_them = {"mentorship__in": mentorships}
    n = 0
    n += blank(MenteeProfile.objects.filter(user=user), {"gmc_number": None, "statement": ""})
    n += blank(
        MentorProfile.objects.filter(user=user),
        {
            "gmc_number": None,
            "bio": "",
            "job_title": "",
            "organisation": "",
            "is_accepting_requests": False,
        },
    )
    n += blank(
        MenteeMembership.objects.filter(user=user),
        {"application_note": "", "intake_notes": "", "decision_reason": ""},
    )
    n += blank(
        MentorMembership.objects.filter(user=user), {"vetting_notes": "", "decision_reason": ""}
    )
    n += blank(
        requests,
        {"message": "", "question": "", "answer": "", "decline_note": "", "rejection_reason": ""},
    )
    n += blank(mentorships, {"end_reason": "", "pause_reason": ""})
    n += blank(
        Agreement.objects.filter(**in_them),
        {"how_we_meet": "", "confidentiality": "", "ending": ""},
    )
    n += blank(AgreedGoal.objects.filter(**in_them), {"text": GOAL_PLACEHOLDER, "reflection": ""})
    n += blank(Meeting.objects.filter(**in_them), {"topics": "", "notes": ""})
    n += blank(PlannedMeeting.objects.filter(**in_them), {"where": ""})
    n += blank(ActionPoint.objects.filter(**in_them), {"text": ACTION_POINT_PLACEHOLDER})
    n += blank(Extension.objects.filter(**in_them), {"reason": ""})
    n += blank(
        CheckIn.objects.filter(**in_them, person=user),
        {"for_programme_team": "", "handled_note": ""},
    )
    n += blank(
        Feedback.objects.filter(**in_them, person=user),
        {"comment": "", "what_changed_detail": "", "attribute_reflections": {}},
    )
    n += blank(
        Concern.objects.filter(**in_them, closed_at__isnull=False), {"details": "", "outcome": ""}
    )
    n += blank(
        Certificate.objects.filter(**in_them, mentorship__mentee=user), {"mentee_name": "A mentee"}
    )
    n += blank(
        Certificate.objects.filter(**in_them, mentorship__mentor=user), {"mentor_name": "A mentor"}
    )
    n += blank(Certificate.objects.filter(**in_them), {"goals": []})
    n += blank(
        OutcomeSurvey.objects.filter(mentee=user),
        {"still_in_nhs": "", "training": "", "helped": ""},
    )
    # The event log keeps every action (rules and statistics count them) but not the words:
    # notes on their requests, memberships and mentorships are messages, reasons and
    # outcomes; but a note on an open concern's mentorship is left for the investigation.
    # What a manager wrote in that role about other people is the programme's record: only
    # their name goes from it (the sweep below).
    open_concern_mentorships = kept_concerns(user).values("mentorship_id")
    n += blank(
        Event.objects.filter(
            Q(request__in=requests)
            | Q(mentee_membership__user=user)
            | Q(mentor_membership__user=user)
            | (Q(mentorship__in=mentorships) & ~Q(mentorship__in=open_concern_mentorships))
        ),
        {"note": ""},
    )
    deleted, _ = EqualityAnswers.objects.filter(user=user).delete()
    n += deleted
    # People they asked not to be matched with, and anyone's exclusion naming them.
    addresses = [
        user.email.lower(),
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    ]
    deleted, _ = Exclusion.objects.filter(Q(mentee=user) | Q(email__in=addresses)).delete()
    return n + deleted


def _end_active_mentorships(user: User, *, by: Any) -> int:
    """Each active mentorship ends early, "account closed"; the other person and the
    programme's managers are told."""
    ended = 0
    active = Mentorship.objects.active().filter(Q(mentee=user) | Q(mentor=user))
    for pk in list(active.order_by("pk").values_list("pk", flat=True)):
        mentorship = lock_mentorship(pk)
        if not mentorship.is_active:
            continue  # ended since we looked
        end_as_account_closed(mentorship, by=by, reason=ACCOUNT_CLOSED)
        emails.account_closed(mentorship, closed=user)
        ended += 1
    return ended


def _leave_programmes(user: User, *, by: Any) -> int:
    """They leave every programme; their open requests close and the other people are told
    (by the membership service, as when anyone leaves)."""
    left = 0
    for model, gone in (
        (MenteeMembership, MenteeMembership.Status.WITHDRAWN),
        (MentorMembership, MentorMembership.Status.REMOVED),
    ):
        for membership in model.objects.filter(user=user).exclude(status=gone).order_by("pk"):
            remove_from_programme(membership, by=by, note=ACCOUNT_CLOSED)
            left += 1
    # A request whose programme they had already left cannot stay open either.
    still_open = MentorRequest.objects.open().filter(Q(mentee=user) | Q(mentor=user))
    for pk in list(still_open.order_by("pk").values_list("pk", flat=True)):
        mentor_request = lock_request(MentorRequest.objects.get(pk=pk)).mentor_request
        if mentor_request.is_open:
            as_mentee = mentor_request.mentee_id == user.pk
            close_request(
                mentor_request,
                by=None,
                note=ACCOUNT_CLOSED,
                tell="mentor" if as_mentee else "mentee",
            )
    return left


def _erase_emails_to(user: User, identity: Identity) -> int:
    """Emails to them keep that an email of a kind went, not to whom or what it said."""
    rows = OutboxEmail.objects.filter(
        Q(recipient=user) | Q(to_email__in=[*identity.details, user.email])
    )
    erased = 0
    for row in rows.select_for_update(of=("self",)):
        values = {
            **_emptied(row),
            "recipient": None,
            "to_email": f"erased-{user.pk}.{row.pk}@invalid",
        }
        OutboxEmail.objects.filter(pk=row.pk).update(**values)
        erased += 1
    return erased


def _erase_emails(pks: list[int]) -> int:
    """Emails to others that mention them: the words go, the row stays (and is not sent)."""
    erased = 0
    for row in OutboxEmail.objects.select_for_update(of=("self",)).filter(pk__in=pks):
        OutboxEmail.objects.filter(pk=row.pk).update(**_emptied(row))
        erased += 1
    return erased


def _emptied(row: OutboxEmail) -> dict[str, Any]:
    values: dict[str, Any] = {"subject": "", "body_text": "", "body_html": "", "attachments": []}
    if row.status in (OutboxEmail.Status.PENDING, OutboxEmail.Status.SENDING):
        values.update(status=OutboxEmail.Status.FAILED, last_error=NOT_SENT)
    return values


def _delete_sign_in_records(user: User) -> int:
    """Their email addresses, authenticators, single sign-on links, the list of where they
    are signed in (with IP addresses and browsers) and the sessions themselves."""
    n = EmailAddress.objects.filter(user=user).delete()[0]
    n += Authenticator.objects.filter(user=user).delete()[0]
    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        n += SocialAccount.objects.filter(user=user).delete()[0]
    keys: set[str] = set()
    if apps.is_installed("allauth.usersessions"):
        from allauth.usersessions.models import UserSession

        keys.update(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
        n += UserSession.objects.filter(user=user).delete()[0]
    # Sessions from before the list above existed store the user id only inside their signed
    # data, so each live one is read: every device they are signed in on is signed out.
    keys.update(session.pk for session in live_sessions_of(user))
    # Through the session engine, not the table: a cached session (cached_db) would
    # otherwise outlive its row.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()
    return n + len(keys)
