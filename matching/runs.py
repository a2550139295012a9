"""Cohort match runs: start, execute, approve. The rules for runs live here (with
unmatched.py for the reasons nobody was found, and export.py for the CSV).

A run takes the programme's accepted mentees who have no mentor yet (no active mentorship
and no open request a manager already approved) and its vetted mentors with free places,
asks the engine for an optimal or stable assignment, and stores one proposal per mentee:
a mentor with the score and reasons, or no mentor and an honest reason why. Approving a
proposal sends the mentor a request the manager has already approved.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import may_manage_programme
from mentorship.models import (
    MenteeMembership,
    MenteeProfile,
    MentorRequest,
    Programme,
)
from mentorship.services import InvalidTransition, NotAllowed, ServiceError, propose_match

from . import services
from .engine import MentorFeatures, MentorPool, Weights, assign_cohort, explain
from .models import MatchProposal, MatchRun
from .unmatched import UnmatchedReasons

log = logging.getLogger(__name__)

METHODS = tuple(MatchRun.Method.values)


class BadInput(ServiceError):
    """The request itself is wrong (shown as 400)."""

    status_code = 400


# --- Who takes part ----------------------------------------------------------------------


def waiting_mentees(programme: Programme):
    """Accepted, active mentees of the programme with no mentor yet. A queryset of users."""
    waiting = MenteeMembership.objects.waiting_for_a_mentor(programme).values("user_id")
    return User.objects.filter(pk__in=waiting)


def available_mentors(programme: Programme) -> list[MentorFeatures]:
    """Every vetted mentor of the programme; the engine's capacity is their free places."""
    return services.programme_mentor_features(programme)


@dataclass
class CohortSummary:
    mentees: int
    mentors: int
    places: int


def cohort_summary(programme: Programme) -> CohortSummary:
    """How many mentees wait for a mentor, and how many mentors have how many free places."""
    mentors = [m for m in available_mentors(programme) if m.capacity > 0]
    return CohortSummary(
        mentees=waiting_mentees(programme).count(),
        mentors=len(mentors),
        places=sum(m.capacity for m in mentors),
    )


# --- Starting a run ----------------------------------------------------------------------


@transaction.atomic
def start_match_run(programme: Programme, *, by: User, method: str) -> MatchRun:
    """A manager of the programme starts one run at a time; it runs in a Celery task."""
    if method not in METHODS:
        raise BadInput(f"Choose how to match: {' or '.join(METHODS)}.")
    if not may_manage_programme(by, programme):
        raise NotAllowed("Only this programme's managers can run matching.")
    # Lock the programme so two clicks cannot start two runs side by side.
    Programme.objects.select_for_update().get(pk=programme.pk)
    if MatchRun.objects.in_progress().filter(programme=programme).exists():
        raise InvalidTransition(
            "Matching is already running for this programme. Wait for it to finish."
        )
    run = MatchRun.objects.create(
        programme=programme,
        created_by=by,
        method=method,
        weights=programme.matching_weights().as_dict(),
        progress="Waiting for a worker to start matching.",
    )
    transaction.on_commit(lambda: enqueue_match_run(run.pk))
    return run


def enqueue_match_run(run_id: int) -> None:
    """Hand the run to Celery. If the broker cannot be reached, the run fails with a plain
    message rather than waiting forever (running a large cohort inside a web request could
    time out, so it is never run inline)."""
    from .tasks import execute_match_run_task

    try:
        execute_match_run_task.delay(run_id)
    except Exception as exc:
        log.exception("Could not queue match run %s", run_id)
        MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).update(
            status=MatchRun.Status.FAILED,
            progress="Matching could not start because the task queue is not available. "
            "Nothing has been changed. Try again in a few minutes.",
            error=f"Queueing failed: {type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )


# --- Executing a run ---------------------------------------------------------------------


def _claim(run_id: int) -> MatchRun | None:
    """Mark the run as running, unless another worker has it (a task delivered twice)."""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().select_related("programme").get(pk=run_id)
        stale = not MatchRun.objects.in_progress().filter(pk=run_id).exists()
        if run.status != MatchRun.Status.QUEUED and not (
            run.status == MatchRun.Status.RUNNING and stale
        ):
            return None
        run.status = MatchRun.Status.RUNNING
        run.started_at = timezone.now()
        run.progress = "Loading mentees and mentors."
        run.save(update_fields=["status", "started_at", "progress"])
        return run


def _progress(run: MatchRun, message: str) -> None:
    run.progress = message
    run.save(update_fields=["progress"])


def execute_match_run(run_id: int) -> MatchRun:
    """Load, score and assign, then save every proposal at once. Any error fails the run
    with a plain message; the proposals are all saved or none are."""
    run = _claim(run_id)
    if run is None:
        return MatchRun.objects.get(pk=run_id)
    try:
        _execute(run)
    except Exception as exc:
        log.exception("Match run %s failed", run_id)
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.FAILED,
            progress="Matching stopped because of an unexpected error. Nothing has been "
            "proposed. Try again; if it happens again, contact your site administrator.",
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


def _execute(run: MatchRun) -> None:
    programme = run.programme
    weights = Weights(**run.weights)

    clock = time.perf_counter()
    users = list(waiting_mentees(programme).order_by("pk"))
    profiles = {
        p.user_id: p
        for p in MenteeProfile.objects.filter(user__in=[u.pk for u in users])
        .select_related("target_specialty", "current_specialty", "region")
        .prefetch_related("mentee_goals__goal", "languages")
    }
    with_profile = [u for u in users if u.pk in profiles]
    mentees = [services.mentee_features(profiles[u.pk]) for u in with_profile]
    mentors = available_mentors(programme)
    families = services.specialty_families()
    names = services.labels()
    excluded = MentorRequest.objects.declined_in(programme).declined_pairs()
    run.load_seconds = time.perf_counter() - clock
    free = [m for m in mentors if m.capacity > 0]
    run.mentee_count = len(users)
    run.mentor_count = len(free)
    run.place_count = sum(m.capacity for m in free)
    _progress(
        run,
        f"Scoring and assigning {len(mentees)} mentees to {run.mentor_count} mentors "
        f"with {run.place_count} free places.",
    )

    clock = time.perf_counter()
    pool = MentorPool(mentors, families)
    assigned = assign_cohort(
        mentees, pool, weights, method=run.method, families=families, excluded=excluded
    )
    rows = []
    for mentee, j in zip(mentees, assigned, strict=True):
        if j is None:
            continue
        explanation = explain(mentee, mentors[j], weights, families=families, labels=names)
        rows.append((mentee, j, explanation.total, explanation.reasons))
    lowest = np.full(len(mentors), np.inf)  # each mentor's lowest score among their mentees
    for _, j, score, _ in rows:
        lowest[j] = min(lowest[j], score)
    why = UnmatchedReasons(mentees, mentors, pool, weights, excluded, assigned, lowest, names)
    reasons = why.reasons()
    run.assign_seconds = time.perf_counter() - clock

    _progress(run, "Saving the proposals.")
    clock = time.perf_counter()
    target = {u.pk: profiles[u.pk].target_specialty.name for u in with_profile}
    proposals = [
        MatchProposal(
            run=run,
            mentee_id=mentee.id,
            mentor_id=mentors[j].id,
            target_specialty=target[mentee.id],
            score=score,
            reasons=list(said),
        )
        for mentee, j, score, said in rows
    ]
    proposals += [
        MatchProposal(
            run=run,
            mentee_id=mentee.id,
            target_specialty=target[mentee.id],
            status=MatchProposal.Status.UNMATCHED,
            unmatched_reason=reasons[i],
        )
        for i, mentee in enumerate(mentees)
        if i in reasons
    ]
    proposals += [
        MatchProposal(
            run=run,
            mentee_id=u.pk,
            status=MatchProposal.Status.UNMATCHED,
            unmatched_reason="They have not filled in their mentee profile yet, so there is "
            "nothing to match them on.",
        )
        for u in users
        if u.pk not in profiles
    ]
    with transaction.atomic():
        MatchProposal.objects.bulk_create(proposals, batch_size=500)
        run.matched_count = sum(1 for p in proposals if p.mentor_id is not None)
        run.unmatched_count = len(proposals) - run.matched_count
        run.save_seconds = time.perf_counter() - clock
        run.status = MatchRun.Status.FINISHED
        run.finished_at = timezone.now()
        run.progress = (
            f"Finished: {run.matched_count} of {run.mentee_count} mentees have a proposed mentor."
        )
        run.save()


# --- Approving proposals -----------------------------------------------------------------


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
