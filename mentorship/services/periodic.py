"""Celery beat's jobs: expire requests mentors have not answered (pausing mentors who let two
expire), and remind mentors once of requests that have waited 3 days."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..emails import links, queue_email
from ..models import MentorProfile, MentorRequest, RequestEvent
from .requests import Status, _about, _context, _record

REMIND_AFTER = timedelta(days=3)
EXPIRIES_BEFORE_PAUSE = 2


def expire_stale_requests(now=None) -> int:
    """Requests the mentor has not answered in time expire; the mentee is told. A mentor who
    lets two expire is paused, and the programme's managers are told."""
    now = now or timezone.now()
    expired = 0
    stale = MentorRequest.objects.filter(
        status__in=MentorRequest.WAITING_FOR_MENTOR, expires_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(stale):
        with transaction.atomic():
            mentor_request = MentorRequest.objects.select_for_update().get(pk=pk)
            if mentor_request.status not in MentorRequest.WAITING_FOR_MENTOR:
                continue  # answered since we looked
            previous = mentor_request.status
            mentor_request.status = Status.EXPIRED
            mentor_request.decided_at = now
            mentor_request.save(update_fields=["status", "decided_at", "updated_at"])
            _record(mentor_request, by=None, action="expired", from_status=previous)
            queue_email(
                "request_expired",
                about=_about(mentor_request),
                recipients=[mentor_request.mentee],
                context=_context(mentor_request),
            )
            if previous == Status.PENDING:  # the mentor's silence, not the mentee's
                _pause_if_unresponsive(mentor_request.mentor_id, now)
            expired += 1
    return expired


def _pause_if_unresponsive(mentor_id: int, now) -> None:
    profile = (
        MentorProfile.objects.select_for_update().select_related("user").get(user_id=mentor_id)
    )
    if not profile.is_accepting_requests:
        return
    since = profile.paused_automatically_at  # only expiries after the last pause count
    expiries = RequestEvent.objects.filter(
        request__mentor_id=mentor_id, action="expired", from_status=Status.PENDING
    )
    if since is not None:
        expiries = expiries.filter(created_at__gt=since)
    if expiries.count() < EXPIRIES_BEFORE_PAUSE:
        return
    profile.is_accepting_requests = False
    profile.paused_automatically_at = timezone.now()  # after the events that led here
    profile.save(update_fields=["is_accepting_requests", "paused_automatically_at", "updated_at"])
    about = f"mentor-paused:{mentor_id}:{now.isoformat()}"
    context = {"mentor": profile.user, "profile": profile, "links": links(None)}
    queue_email("mentor_paused", about=about, recipients=[profile.user], context=context)
    managers = User.objects.filter(
        managed_programmes__mentor_memberships__user_id=mentor_id, is_active=True
    ).distinct()
    queue_email("mentor_paused_managers", about=about, recipients=managers, context=context)


def remind_mentors_of_waiting_requests(now=None) -> int:
    """One reminder per request still waiting for the mentor after 3 days."""
    now = now or timezone.now()
    reminded = 0
    waiting = MentorRequest.objects.filter(
        status=Status.PENDING, reminded_at__isnull=True, created_at__lte=now - REMIND_AFTER
    ).values_list("pk", flat=True)
    for pk in list(waiting):
        with transaction.atomic():
            mentor_request = MentorRequest.objects.select_for_update().get(pk=pk)
            if mentor_request.status != Status.PENDING or mentor_request.reminded_at:
                continue
            mentor_request.reminded_at = now
            mentor_request.save(update_fields=["reminded_at", "updated_at"])
            queue_email(
                "request_reminder",
                about=_about(mentor_request),
                recipients=[mentor_request.mentor],
                context=_context(mentor_request),
            )
            reminded += 1
    return reminded
