"""Celery beat's jobs: expire requests mentors have not answered (pausing mentors who let two
expire), and remind mentors once of requests that have waited 3 days."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .. import emails
from ..models import Action, Event, MentorProfile, MentorRequest
from .locking import atomic_with_retry, lock_request

Status = MentorRequest.Status

REMIND_AFTER = timedelta(days=3)
EXPIRIES_BEFORE_PAUSE = 2


def expire_stale_requests(now=None) -> int:
    """Requests the mentor has not answered in time expire; the mentee is told. A mentor who
    lets two expire is paused, and the programme's managers are told."""
    now = now or timezone.now()
    stale = MentorRequest.objects.filter(
        status__in=MentorRequest.WAITING_FOR_MENTOR, expires_at__lte=now
    ).values_list("pk", flat=True)
    return sum(_expire(pk, now) for pk in list(stale))


@atomic_with_retry
def _expire(pk: int, now) -> bool:
    mentor_request = lock_request(MentorRequest.objects.get(pk=pk)).mentor_request
    if mentor_request.status not in MentorRequest.WAITING_FOR_MENTOR:
        return False  # answered since we looked
    previous = mentor_request.status
    mentor_request.status = Status.EXPIRED
    mentor_request.decided_at = now
    mentor_request.save(update_fields=["status", "decided_at", "updated_at"])
    mentor_request.log_action(Action.EXPIRED, from_status=previous)
    emails.request_expired(mentor_request)
    if previous == Status.PENDING:  # the mentor's silence, not the mentee's
        _pause_if_unresponsive(mentor_request.mentor_id, now)
    return True


def _pause_if_unresponsive(mentor_id: int, now) -> None:
    """Called with the mentor's profile locked (by lock_request)."""
    profile = MentorProfile.objects.select_related("user").get(user_id=mentor_id)
    if not profile.is_accepting_requests:
        return
    since = profile.paused_automatically_at  # only expiries after the last pause count
    expiries = Event.objects.filter(
        request__mentor_id=mentor_id, action=Action.EXPIRED, from_status=Status.PENDING
    )
    if since is not None:
        expiries = expiries.filter(created_at__gt=since)
    if expiries.count() < EXPIRIES_BEFORE_PAUSE:
        return
    profile.is_accepting_requests = False
    profile.paused_automatically_at = timezone.now()  # after the events that led here
    profile.save(update_fields=["is_accepting_requests", "paused_automatically_at", "updated_at"])
    emails.mentor_paused(profile, when=now)


def remind_mentors_of_waiting_requests(now=None) -> int:
    """One reminder per request still waiting for the mentor after 3 days."""
    now = now or timezone.now()
    reminded = 0
    waiting = MentorRequest.objects.filter(
        status=Status.PENDING, reminded_at__isnull=True, created_at__lte=now - REMIND_AFTER
    ).values_list("pk", flat=True)
    for pk in list(waiting):
        with transaction.atomic():
            mentor_request = MentorRequest.objects.select_for_update(of=("self",)).get(pk=pk)
            if mentor_request.status != Status.PENDING or mentor_request.reminded_at:
                continue
            mentor_request.reminded_at = now
            mentor_request.save(update_fields=["reminded_at", "updated_at"])
            emails.request_reminder(mentor_request)
            reminded += 1
    return reminded
