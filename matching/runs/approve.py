"""Approving a run's proposals: each becomes a request the manager already approved, waiting
only for the mentor to accept (mentorship.services.propose_match)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import may_manage_programme
from mentorship.services import InvalidTransition, NotAllowed, ServiceError, propose_match

from ..models import MatchProposal, MatchRun
from .start import BadInput


@dataclass
class ApprovalOutcome:
    approved: list[MatchProposal]
    failed: list[MatchProposal]


def approvable(run: MatchRun):
    """Proposals that can still be approved: proposed, or tried before and failed."""
    return run.proposals.filter(
        status__in=[MatchProposal.Status.PROPOSED, MatchProposal.Status.FAILED]
    )


@transaction.atomic
def approve_proposals(run: MatchRun, proposal_ids: Sequence[int], *, by: User) -> ApprovalOutcome:
    """Each approved proposal becomes a request the manager already approved, waiting only
    for the mentor. All the ids must be this run's and still approvable, or nothing changes;
    a proposal the rules refuse (the mentor is full now, an open request exists) is marked
    as failed with the reason, and the others still go ahead."""
    programme = run.programme
    if not may_manage_programme(by, programme):
        raise NotAllowed("Only this programme's managers can approve proposals.")
    if run.status != MatchRun.Status.FINISHED:
        raise InvalidTransition("This match run has not finished, so there is nothing to approve.")
    wanted = set(proposal_ids)
    if not wanted:
        raise BadInput("Select at least one proposal to approve.")
    # Locked, so that two approvals of the same proposals run one after the other.
    proposals = list(
        MatchProposal.objects.select_for_update(of=("self",))
        .filter(pk__in=wanted, run=run)
        .select_related("mentee", "mentor")
        .order_by("-score", "pk")
    )
    if len(proposals) != len(wanted):
        raise BadInput("Some of the selected proposals are not part of this match run.")
    done = [p for p in proposals if not p.may_be_approved]
    if done:
        names = ", ".join(p.mentee.full_name for p in done[:3])
        more = f" and {len(done) - 3} more" if len(done) > 3 else ""
        raise InvalidTransition(
            f"Already approved or without a mentor: {names}{more}. Nothing has been changed."
        )

    outcome = ApprovalOutcome(approved=[], failed=[])
    now = timezone.now()
    for proposal in proposals:
        try:
            with transaction.atomic():
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
            outcome.failed.append(proposal)
        else:
            proposal.status = MatchProposal.Status.APPROVED
            proposal.request = mentor_request
            proposal.message = ""
            outcome.approved.append(proposal)
        proposal.decided_by = by
        proposal.decided_at = now
        proposal.save(update_fields=["status", "message", "request", "decided_by", "decided_at"])
    return outcome


@transaction.atomic
def approve_all_proposals(run: MatchRun, *, by: User) -> ApprovalOutcome:
    """Approve every proposal of the run not yet approved (or tried again after failing)."""
    ids = list(approvable(run).values_list("pk", flat=True))
    if not ids and run.status == MatchRun.Status.FINISHED:
        raise InvalidTransition(
            "There are no proposals left to approve in this match run. Nothing has been changed."
        )
    return approve_proposals(run, ids, by=by)
