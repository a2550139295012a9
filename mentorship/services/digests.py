"""The programme team's daily digest: new applications and mentors to vet, in one email a day
at most rather than an email each."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import emails
from ..models import MenteeMembership, MentorMembership, Programme

SEND_FROM_HOUR = 7  # local time: the digest waits for the working day


def send_manager_digests(now=None) -> int:
    """Each active manager with something new in the last day in a programme they manage
    gets one digest that day, listing everything still waiting. Safe to run every hour and
    twice: the outbox keeps one digest per manager per day."""
    now = now or timezone.now()
    if timezone.localtime(now).hour < SEND_FROM_HOUR:
        return 0
    since = now - timedelta(days=1)
    sent = 0
    managers = User.objects.filter(is_active=True, managed_programmes__isnull=False).distinct()
    for manager in managers:
        programmes = []
        for programme in Programme.objects.managed_by(manager).order_by("name"):
            applicants = MenteeMembership.objects.filter(
                programme=programme, status=MenteeMembership.Status.APPLIED
            )
            to_vet = MentorMembership.objects.filter(
                programme=programme, status=MentorMembership.Status.APPLIED
            )
            new = (
                applicants.filter(created_at__gt=since).exists()
                or to_vet.filter(created_at__gt=since).exists()
            )
            if new:
                programmes.append((programme, applicants.count(), to_vet.count()))
        if programmes:
            with transaction.atomic():
                sent += len(emails.manager_digest(manager, programmes, day=now))
    return sent
