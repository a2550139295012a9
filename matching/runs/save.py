"""Step 3 of a run, save: one proposal per waiting mentee, all saved at once or none."""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from ..models import MatchProposal, MatchRun
from .assign import Assignment
from .load import Cohort

NO_PROFILE = (
    "They have not filled in their mentee profile yet, so there is nothing to match them on."
)


def build_proposals(run: MatchRun, cohort: Cohort, assignment: Assignment) -> list[MatchProposal]:
    """Unsaved proposals: a mentor with score and reasons, or no mentor and why."""
    proposals = [
        MatchProposal(
            run=run,
            mentee_id=match.mentee.id,
            mentor_id=cohort.mentors[match.mentor_index].id,
            target_specialty=cohort.targets[match.mentee.id],
            score=match.score,
            reasons=list(match.reasons),
        )
        for match in assignment.matches
    ]
    proposals += [
        MatchProposal(
            run=run,
            mentee_id=mentee.id,
            target_specialty=cohort.targets[mentee.id],
            status=MatchProposal.Status.UNMATCHED,
            unmatched_reason=assignment.unmatched[i],
        )
        for i, mentee in enumerate(cohort.mentees)
        if i in assignment.unmatched
    ]
    proposals += [
        MatchProposal(
            run=run,
            mentee_id=user.pk,
            status=MatchProposal.Status.UNMATCHED,
            unmatched_reason=NO_PROFILE,
        )
        for user in cohort.without_profile
    ]
    return proposals


def save_proposals(run: MatchRun, proposals: list[MatchProposal], started: float) -> bool:
    """Save every proposal and finish the run in one transaction: a run is never half-saved.
    False, saving nothing, if the run is no longer running (it was marked failed because
    this worker's heartbeat stopped for too long: the manager may have started another)."""
    with transaction.atomic():
        # Locked, so that marking it failed waits for this to commit, or this sees it failed.
        status = (
            MatchRun.objects.select_for_update().values_list("status", flat=True).get(pk=run.pk)
        )
        if status != MatchRun.Status.RUNNING:
            return False
        MatchProposal.objects.bulk_create(proposals, batch_size=500)
        run.matched_count = sum(1 for p in proposals if p.mentor_id is not None)
        run.unmatched_count = len(proposals) - run.matched_count
        run.save_seconds = time.perf_counter() - started
        run.status = MatchRun.Status.FINISHED
        run.finished_at = timezone.now()
        run.heartbeat_at = run.finished_at
        run.progress = (
            f"Finished: {run.matched_count} of {run.mentee_count} mentees have a proposed mentor."
        )
        run.save()
    return True
