from .asking import AskCheck
from .events import Action, Event
from .exclusions import Exclusion
from .mentorships import Mentorship
from .outbox import OutboxEmail
from .profiles import Format, Grade, MenteeGoal, MenteeProfile, MentorProfile
from .programmes import (
    MeetingCadence,
    MenteeMembership,
    MentorMembership,
    Programme,
)
from .requests import MentorRequest
from .taxonomy import Goal, Language, Region, Specialty, SpecialtyFamily

__all__ = [
    "Exclusion",
    "AskCheck",
    "Action",
    "Event",
    "Format",
    "Goal",
    "Grade",
    "Language",
    "MeetingCadence",
    "MenteeGoal",
    "MenteeMembership",
    "MenteeProfile",
    "MentorMembership",
    "MentorProfile",
    "MentorRequest",
    "Mentorship",
    "OutboxEmail",
    "Programme",
    "Region",
    "Specialty",
    "SpecialtyFamily",
]
