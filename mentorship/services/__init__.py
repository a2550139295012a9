"""State changes: one function per transition, the only place each rule lives.

Each runs in a transaction, locks the rows it changes (in the order locking.py documents),
checks who is acting and the current state (raising a domain error with a plain message),
saves with `update_fields`, logs the action (`thing.log_action(Action.X, by=...)`), then
queues its emails through emails.py (outbox rows, sent after commit). Reads are QuerySet
methods on the models, not here.
"""

from .errors import Busy, InvalidTransition, NoFreePlace, NotAllowed, ServiceError
from .exclusions import add_exclusion, remove_exclusion
from .memberships import (
    accept_mentor_invitation,
    apply_as_mentor,
    apply_to_programme,
    decide_mentee_application,
    decide_mentor_application,
    invite_mentor,
    remove_from_programme,
    save_intake_notes,
)
from .mentors import set_accepting_requests
from .mentorships import (
    completion_problem,
    confirm_completion,
    confirm_completion_refusal,
    end_as_not_a_good_fit,
    end_early,
    end_mentorship,
    propose_completion,
    propose_completion_refusal,
    withdraw_completion_proposal,
)
from .periodic import expire_stale_requests, remind_mentors_of_waiting_requests
from .requests import (
    accept_request,
    answer_question,
    approve_request,
    ask_for_more_info,
    decline_request,
    propose_match,
    reject_request,
    request_mentor,
    withdraw_request,
)

__all__ = [
    "add_exclusion",
    "remove_exclusion",
    "Busy",
    "remove_from_programme",
    "set_accepting_requests",
    "accept_request",
    "answer_question",
    "approve_request",
    "ask_for_more_info",
    "decline_request",
    "completion_problem",
    "confirm_completion",
    "confirm_completion_refusal",
    "end_as_not_a_good_fit",
    "end_early",
    "end_mentorship",
    "propose_completion",
    "propose_completion_refusal",
    "withdraw_completion_proposal",
    "expire_stale_requests",
    "propose_match",
    "reject_request",
    "remind_mentors_of_waiting_requests",
    "request_mentor",
    "withdraw_request",
    "InvalidTransition",
    "NoFreePlace",
    "NotAllowed",
    "ServiceError",
    "accept_mentor_invitation",
    "apply_as_mentor",
    "apply_to_programme",
    "decide_mentee_application",
    "decide_mentor_application",
    "invite_mentor",
    "save_intake_notes",
]
