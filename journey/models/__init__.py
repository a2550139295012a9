from .agreements import AgreedGoal, Agreement, MeetingMode
from .checkins import CheckIn
from .concerns import Concern
from .endings import ATTRIBUTES, MENTORSHIP_FUNCTIONS, Certificate, Extension, Feedback
from .meetings import ActionPoint, Meeting, MeetingKind, PlannedMeeting

__all__ = [
    "ATTRIBUTES",
    "MENTORSHIP_FUNCTIONS",
    "ActionPoint",
    "AgreedGoal",
    "Agreement",
    "Certificate",
    "CheckIn",
    "Concern",
    "Extension",
    "Feedback",
    "Meeting",
    "MeetingKind",
    "MeetingMode",
    "PlannedMeeting",
]
