"""Retention: what is past its period (settings.RETENTION_DAYS, in days) is erased or
anonymised, one function per kind of record. Each keeps the rows and the numbers, changes
only what still holds something (so a second run changes nothing), and locks the rows it
changes. `run_retention` runs them all and logs the counts in a RetentionRun; at most one
run goes at a time.

- closed_accounts: what was kept when an account was deleted (a concern under
  investigation), once the concern has been closed for this long;
- declined_applications: programme applications not accepted (mentees and mentors), and
  requests to a mentor that ended without a match, this long after the decision;
- ended_mentorships: the words in a mentorship (agreement, meetings, goals, check-ins,
  concerns, feedback, its request) this long after it ended;
- outbox_bodies: what an email said (subject, body, attachments), this long after it was
  written, once it was sent or given up on;
- ended_sessions: sessions this long after they expired, and the record of where each was
  signed in from (IP address, browser) once its session is gone.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from journey.models import (
    ActionPoint,
    AgreedGoal,
    Agreement,
    CheckIn,
    Concern,
    Extension,
    Feedback,
    Meeting,
    PlannedMeeting,
)
from mentorship.models import (
    Action,
    Event,
    MenteeMembership,
    MentorMembership,
    MentorRequest,
    Mentorship,
    OutboxEmail,
)

from .erasure import ACTION_POINT_PLACEHOLDER, GOAL_PLACEHOLDER
from .models import ErasureRecord, RetentionRun
from .scrub import blank

log = logging.getLogger(__name__)

# A run that has not finished in this long died with its worker: it no longer holds the lock.
RUN_GIVEN_UP_AFTER = datetime.timedelta(hours=6)


def cutoff(kind: str, now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=settings.RETENTION_DAYS[kind])


@transaction.atomic
def erase_closed_accounts(now: datetime.datetime) -> int:
    """Concerns kept when an account was deleted (still under investigation then), once
    closed for the period: their details and outcome, and the outcome in the event log."""
    erased = ErasureRecord.objects.erased_user_ids()
    concerns = Concern.objects.filter(
        Q(mentorship__mentee__in=erased)
        | Q(mentorship__mentor__in=erased)
        | Q(raised_by__in=erased),
        closed_at__lte=cutoff("closed_accounts", now),
    )
    changed = blank(concerns, {"details": "", "outcome": ""})
    changed += blank(
        Event.objects.filter(
            mentorship__in=concerns.values("mentorship_id"), action=Action.CONCERN_CLOSED
        ),
        {"note": ""},
    )
    return changed


@transaction.atomic
def erase_declined_applications(now: datetime.datetime) -> int:
    """Applications not accepted, and requests that ended without a match, after the
    period: what the person wrote, the managers' notes and the reasons given."""
    before = cutoff("declined_applications", now)
    mentees = MenteeMembership.objects.filter(
        status=MenteeMembership.Status.DECLINED, decided_at__lte=before
    )
    mentors = MentorMembership.objects.filter(
        status=MentorMembership.Status.DECLINED, decided_at__lte=before
    )
    requests = MentorRequest.objects.filter(
        Q(decided_at__lte=before) | Q(decided_at__isnull=True, updated_at__lte=before),
        status__in=MentorRequest.ENDED_WITHOUT_A_MATCH,
    )
    changed = blank(mentees, {"application_note": "", "intake_notes": "", "decision_reason": ""})
    changed += blank(mentors, {"vetting_notes": "", "decision_reason": ""})
    changed += blank(
        requests,
        {"message": "", "question": "", "answer": "", "decline_note": "", "rejection_reason": ""},
    )
    changed += blank(
        Event.objects.filter(
            Q(mentee_membership__in=mentees)
            | Q(mentor_membership__in=mentors)
            | Q(request__in=requests)
        ),
        {"note": ""},
    )
    return changed


@transaction.atomic
def erase_ended_mentorships(now: datetime.datetime) -> int:
    """The words in mentorships that ended more than the period ago. The rows, dates,
    minutes, scores and statuses stay, so the programme's history still adds up; a concern
    still open is left until it is closed."""
    ended = Mentorship.objects.exclude(status=Mentorship.Status.ACTIVE).filter(
        ended_on__lte=cutoff("ended_mentorships", now).date()
    )
    within = {"mentorship__in": ended}
    changed = blank(ended, {"end_reason": "", "pause_reason": ""})
    changed += blank(
        MentorRequest.objects.filter(mentorship__in=ended),
        {"message": "", "question": "", "answer": "", "decline_note": "", "rejection_reason": ""},
    )
    changed += blank(
        Agreement.objects.filter(**within), {"how_we_meet": "", "confidentiality": "", "ending": ""}
    )
    changed += blank(
        AgreedGoal.objects.filter(**within), {"text": GOAL_PLACEHOLDER, "reflection": ""}
    )
    changed += blank(Meeting.objects.filter(**within), {"topics": "", "notes": ""})
    changed += blank(PlannedMeeting.objects.filter(**within), {"where": ""})
    changed += blank(ActionPoint.objects.filter(**within), {"text": ACTION_POINT_PLACEHOLDER})
    changed += blank(Extension.objects.filter(**within), {"reason": ""})
    changed += blank(
        CheckIn.objects.filter(**within), {"for_programme_team": "", "handled_note": ""}
    )
    changed += blank(
        Feedback.objects.filter(**within),
        {"comment": "", "what_changed_detail": "", "attribute_reflections": {}},
    )
    changed += blank(
        Concern.objects.filter(**within, closed_at__isnull=False), {"details": "", "outcome": ""}
    )
    still_open = Concern.objects.open().values("mentorship_id")
    changed += blank(
        Event.objects.filter(
            Q(mentorship__in=ended.exclude(pk__in=still_open)) | Q(request__mentorship__in=ended)
        ),
        {"note": ""},
    )
    return changed


@transaction.atomic
def erase_outbox_bodies(now: datetime.datetime) -> int:
    """Emails sent (or given up on) more than the period ago keep their kind, recipient
    and outcome, not what they said."""
    finished = [OutboxEmail.Status.SENT, OutboxEmail.Status.FAILED, OutboxEmail.Status.UNCERTAIN]
    old = OutboxEmail.objects.filter(
        status__in=finished, created_at__lte=cutoff("outbox_bodies", now)
    )
    return blank(old, {"subject": "", "body_text": "", "body_html": "", "attachments": []})


@transaction.atomic
def erase_ended_sessions(now: datetime.datetime) -> int:
    """Django never deletes an expired session by itself (`clearsessions` is the manual
    way); allauth's list of where someone is signed in keeps each session's IP address and
    browser until the session is gone."""
    before = cutoff("ended_sessions", now)
    changed = Session.objects.filter(expire_date__lte=before).delete()[0]
    if apps.is_installed("allauth.usersessions"):
        from allauth.usersessions.models import UserSession

        gone = UserSession.objects.exclude(
            session_key__in=Session.objects.values("session_key")
        ) | UserSession.objects.filter(
            last_seen_at__lte=before - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        )
        changed += gone.delete()[0]
    return changed


KINDS: dict[str, Callable[[datetime.datetime], int]] = {
    "closed_accounts": erase_closed_accounts,
    "declined_applications": erase_declined_applications,
    "ended_mentorships": erase_ended_mentorships,
    "outbox_bodies": erase_outbox_bodies,
    "ended_sessions": erase_ended_sessions,
}


def run_retention(now: datetime.datetime | None = None) -> RetentionRun | None:
    """Every kind in turn, logged in one RetentionRun. Returns None, and changes nothing,
    when another run is still going."""
    now = now or timezone.now()
    RetentionRun.objects.filter(
        status=RetentionRun.Status.RUNNING, started_at__lte=now - RUN_GIVEN_UP_AFTER
    ).update(status=RetentionRun.Status.FAILED, error="Stopped without finishing.")
    try:
        with transaction.atomic():
            run = RetentionRun.objects.create()
    except IntegrityError:  # one_retention_run_at_a_time: another run holds the lock
        log.info("Retention: another run is under way; this one does nothing.")
        return None
    counts: dict[str, int] = {}
    try:
        for kind, erase in KINDS.items():
            counts[kind] = erase(now)
    except Exception as error:
        RetentionRun.objects.filter(pk=run.pk).update(
            status=RetentionRun.Status.FAILED,
            counts=counts,
            error=f"{type(error).__name__} in {kind}",
            finished_at=timezone.now(),
        )
        raise
    RetentionRun.objects.filter(pk=run.pk).update(
        status=RetentionRun.Status.FINISHED, counts=counts, finished_at=timezone.now()
    )
    run.refresh_from_db()
    log.info("Retention run %s: %s", run.pk, counts)
    return run
