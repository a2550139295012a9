"""Cohort match runs: the rules, one module per step.

- start.py: a manager starts a run (one at a time per programme); a Celery task runs it.
- execute.py: the task claims the run, then runs the three steps:
  load.py (who takes part), assign.py (the engine, and why anyone has no mentor) and
  save.py (every proposal at once, or none), with a heartbeat (heartbeat.py) meanwhile.
- recovery.py: a run whose worker died (no heartbeat for about two minutes) is marked failed.
- approve.py: approving proposals turns each into a request the manager already approved.

The reasons nobody was found are worked out in matching/unmatched.py, the CSV in
matching/export.py. Import from here: `from matching import runs; runs.start_match_run(...)`.
"""

from .approve import ApprovalOutcome, approvable, approve_all_proposals, approve_proposals
from .execute import execute_match_run
from .load import CohortSummary, available_mentors, cohort_summary, waiting_mentees
from .recovery import fail_abandoned_runs
from .start import METHODS, BadInput, enqueue_match_run, start_match_run

__all__ = [
    "METHODS",
    "ApprovalOutcome",
    "BadInput",
    "CohortSummary",
    "approvable",
    "approve_all_proposals",
    "approve_proposals",
    "available_mentors",
    "cohort_summary",
    "enqueue_match_run",
    "execute_match_run",
    "fail_abandoned_runs",
    "start_match_run",
    "waiting_mentees",
]
