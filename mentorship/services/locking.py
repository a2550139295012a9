"""How services lock rows, and retry when the database breaks a deadlock.

Every transition that touches a mentor request locks, in this one order:

1. the mentee's membership of the programme (serialises everything one mentee does there:
   asking within the open-request limit, being approved once);
2. the mentor's profile (serialises everything that takes or frees the mentor's places,
   across all their programmes);
3. the request itself, then the mentee's other open requests in id order.

Only those rows are locked (`of=("self",)`), never the programme row a join reaches. A
request's programme, mentee and mentor never change, so they are read before locking.

Everything that changes a live mentorship (completing, ending, and every journey record:
agreement, meetings, plans, extensions, pauses, feedback, certificates) first locks the
mentorship row with `lock_mentorship`, then the record it changes.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from django.db import DatabaseError, connection, transaction

from ..models import MenteeMembership, MentorProfile, MentorRequest, Mentorship
from .errors import Busy

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

ATTEMPTS = 4
# PostgreSQL's SQLSTATEs for "deadlock detected" and "could not serialize access".
RETRYABLE = {"40P01", "40001"}


def _retryable(error: DatabaseError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in RETRYABLE  # psycopg 3's error


def atomic_with_retry(func: Callable[P, R]) -> Callable[P, R]:
    """Run the service in a transaction; if the database aborts it to break a deadlock,
    run it again from the start (a few times), then give up with a plain message. Inside an
    outer transaction it simply joins it: only the outermost one can be retried."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if connection.in_atomic_block:
            with transaction.atomic():
                return func(*args, **kwargs)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except DatabaseError as error:
                if not _retryable(error):
                    raise
                log.warning("%s: %s, attempt %s", func.__name__, error, attempt)
                time.sleep(0.02 * attempt)
        raise Busy("The service is busy. Nothing has been changed. Try again in a moment.")

    return wrapper


@dataclass
class Locked:
    """The rows a request transition holds locked, in locking.py's order."""

    membership: MenteeMembership | None
    mentor: MentorProfile  # annotated with its places
    mentor_request: MentorRequest


def lock_people(
    programme_id: int, mentee_id: int, mentor_id: int
) -> tuple[MenteeMembership | None, MentorProfile]:
    """Lock steps 1 and 2: the mentee's membership (if any) and the mentor's profile."""
    membership = (
        MenteeMembership.objects.select_for_update(of=("self",))
        .filter(programme_id=programme_id, user_id=mentee_id)
        .first()
    )
    return membership, MentorProfile.objects.lock_with_places(mentor_id)


def lock_request(mentor_request: MentorRequest) -> Locked:
    """Lock the mentee's membership, the mentor's profile, then the request, and re-read it."""
    membership, mentor = lock_people(
        mentor_request.programme_id, mentor_request.mentee_id, mentor_request.mentor_id
    )
    fresh = (
        MentorRequest.objects.select_for_update(of=("self",))
        .select_related("programme", "mentee", "mentor")
        .get(pk=mentor_request.pk)
    )
    return Locked(membership, mentor, fresh)


def lock_mentorship(mentorship: Mentorship | int) -> Mentorship:
    """The mentorship row, locked and read again (with its programme and both people, which
    are not locked): the state a transition of the mentorship decides on."""
    pk = mentorship if isinstance(mentorship, int) else mentorship.pk
    return (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("programme", "mentee", "mentor")
        .get(pk=pk)
    )
