"""Approving a run's proposals: each becomes a request the manager already approved, waiting
only for the mentor to accept (mentorship.services.propose_match).

A few ticked proposals are approved here, inside the web request. Many (or "Approve all")
are approved in the background, a batch at a time: see bulk_approval.py. Both approve each
proposal with `approve_one`, after `lock_people` has locked everyone involved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.permissions import may_manage_programme
from mentorship.models import MenteeMembership, MentorProfile, Programme
from mentorship.services import InvalidTransition, NotAllowed, ServiceError, propose_match

from ..models import MatchProposal, MatchRun
from .errors import BadInput

# More ticked proposals than this are approved in the background (bulk_approval.py).
INLINE_LIMIT = 25


@dataclass
class ApprovalOutcome:
    """Which proposals were approved and which the rules refused (with the reason)."""

    approved: list[MatchProposal]
    failed: list[MatchProposal]


def approvable(run: MatchRun) -> QuerySet[MatchProposal]:
    """Proposals that can still be approved: proposed, or tried before and failed."""
    return run.proposals.filter(
        status__in=[MatchProposal.Status.PROPOSED, MatchProposal.Status.FAILED]
    )


def check_may_approve(run: MatchRun, by: User) -> None:
    """Only the programme's managers, and only once the run has finished."""
    if not may_manage_programme(by, run.programme):
        raise NotAllowed("Only this programme's managers can approve proposals.")
    if run.status != MatchRun.Status.FINISHED:
        raise InvalidTransition("This match run has not finished, so there is nothing to approve.")


def check_selection(run: MatchRun, proposals: list[MatchProposal], wanted: set[int]) -> None:
    """Every selected id is one of this run's proposals that can still be approved."""
    if not wanted:
        raise BadInput("Select at least one proposal to approve.")
    if len(proposals) != len(wanted):
        raise BadInput("Some of the selected proposals are not part of this match run.")
    done = [p for p in proposals if not p.may_be_approved]
    if done:
        names = ", ".join(p.mentee.full_name for p in done[:3])
        more = f" and {len(done) - 3} more" if len(done) > 3 else ""
        raise InvalidTransition(
            f"Already approved or without a mentor: {names}{more}. Nothing has been changed."
        )


def lock_people(programme: Programme, proposals: Sequence[MatchProposal]) -> None:
    """Lock every mentee's membership, then every mentor's profile, each in id order, before
    approving several proposals in one transaction. propose_match locks one membership then
    one mentor (mentorship/services/locking.py); taking all of them up front in that order
    means a batch never holds a mentor while waiting for a membership, so it cannot deadlock
    with a mentee or mentor acting at the same moment."""
    list(
        MenteeMembership.objects.select_for_update(of=("self",))
        .filter(programme=programme, user_id__in={p.mentee_id for p in proposals})
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    list(
        MentorProfile.objects.select_for_update(of=("self",))
        .filter(user_id__in={p.mentor_id for p in proposals})
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def approve_one(proposal: MatchProposal, programme: Programme, by: User, now: datetime) -> bool:
    """Approve one proposal (the caller holds the locks): True if the request was made, False
    if a rule refused it (the reason is kept on the proposal, which can be tried again)."""
    try:
        with transaction.atomic():  # a refusal undoes only this proposal's changes
            mentor_request = propose_match(
                programme,
                proposal.mentee,
                proposal.mentor,
                by=by,
                score=proposal.score,
                reasons=proposal.reasons,
            )
    except ServiceError as error:
        proposal.status = MatchProposal.Status.FAILED
        proposal.message = error.message
    else:
        proposal.status = MatchProposal.Status.APPROVED
        proposal.request = mentor_request
        proposal.message = ""
    proposal.decided_by = by
    proposal.decided_at = now
    proposal.save(
        update_fields=["status", "message", "request", "decided_by", "decided_at", "bulk_approval"]
    )
    return proposal.status == MatchProposal.Status.APPROVED


@transaction.atomic
def approve_proposals(run: MatchRun, proposal_ids: Sequence[int], *, by: User) -> ApprovalOutcome:
    """Approve a few ticked proposals now, in one transaction. All the ids must be this run's
    and still approvable, or nothing changes; a proposal the rules refuse (the mentor is full
    now, an open request exists) is marked as failed with the reason, and the others still
    go ahead."""
    check_may_approve(run, by)
    wanted = set(proposal_ids)
    # Locked, so that two approvals of the same proposals run one after the other.
    proposals = list(
        MatchProposal.objects.select_for_update(of=("self",))
        .filter(pk__in=wanted, run=run)
        .select_related("mentee", "mentor")
        .order_by("-score", "pk")
    )
    check_selection(run, proposals, wanted)
    lock_people(run.programme, proposals)
    outcome = ApprovalOutcome(approved=[], failed=[])
    now = timezone.now()
    for proposal in proposals:
        approved = approve_one(proposal, run.programme, by, now)
        (outcome.approved if approved else outcome.failed).append(proposal)
    return outcome
