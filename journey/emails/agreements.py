"""Emails about the mentoring agreement: proposed (to the other person) and confirmed (to
both). Each revision is its own proposal, so it is emailed once too."""

from __future__ import annotations

from typing import Any

from mentorship.models import Action
from mentorship.outbox import queue_email

from ..models import Agreement
from . import common


def _version(agreement: Agreement) -> int:
    """How many times the agreement has been proposed: the exactly-once key of a revision."""
    return agreement.mentorship.events.filter(action=Action.AGREEMENT_PROPOSED).count()


def _context(agreement: Agreement, **extra: Any) -> dict[str, Any]:
    mentorship = agreement.mentorship
    return common.context(
        mentorship,
        agreement=agreement,
        goals=list(mentorship.agreed_goals.all()),
        agreement_url=common.absolute(mentorship.page_url("agreement")),
        **extra,
    )


def agreement_proposed(agreement: Agreement, *, by: Any, revised: bool):
    """The other person is asked to review and confirm."""
    mentorship = agreement.mentorship
    return queue_email(
        "agreement_proposed",
        about=common.about(mentorship, f"agreement:{_version(agreement)}"),
        recipients=[mentorship.other_party(by)],
        context=_context(agreement, proposer=by, revised=revised),
    )


def agreement_confirmed(agreement: Agreement):
    """Both people: the agreement they both confirmed."""
    mentorship = agreement.mentorship
    return queue_email(
        "agreement_confirmed",
        about=common.about(mentorship, f"agreement:{_version(agreement)}:confirmed"),
        recipients=[mentorship.mentee, mentorship.mentor],
        context=_context(agreement),
    )
