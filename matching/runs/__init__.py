"""Cohort match runs: the rules, one module per step.

- start.py: a manager starts a run (one at a time per programme); a Celery task runs it.
- execute.py: the task claims the run, then runs the three steps:
  load.py (who takes part), assign.py (the engine, and why anyone has no mentor) and
  save.py (every proposal at once, or none), with a heartbeat (heartbeat.py) meanwhile.
- recovery.py: a run whose worker died (no heartbeat for about two minutes) is marked failed.
- approve.py: approving proposals turns each into a request the manager already approved;
  bulk_approval.py approves many in the background, a batch per transaction.

The reasons nobody was found are worked out in matching/unmatched.py, the CSV in
matching/export.py. Import from here: `from matching import runs; runs.start_match_run(...)`.
"""

from .approve import INLINE_LIMIT, ApprovalOutcome, approvable, approve_proposals
from .bulk_approval import check_bulk_approvals, run_bulk_approval, start_bulk_approval
from .errors import BadInput
from .execute import execute_match_run
from .load import CohortSummary, available_mentors, cohort_summary, waiting_mentees
from .recovery import fail_abandoned_runs
from .start import METHODS, enqueue_match_run, start_match_run

__all__ = [
    "INLINE_LIMIT",
    "METHODS",
    "ApprovalOutcome",
    "BadInput",
    "CohortSummary",
    "approvable",
    "approve_proposals",
    "available_mentors",
    "check_bulk_approvals",
    "cohort_summary",
    "enqueue_match_run",
    "execute_match_run",
    "fail_abandoned_runs",
    "run_bulk_approval",
    "start_bulk_approval",
    "start_match_run",
    "waiting_mentees",
]
