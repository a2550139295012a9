"""The app's forms, by subject. Every error message says what to do, in plain English."""

from .profiles import MenteeProfileForm, MentorProfileForm
from .programmes import (
    ApplicationForm,
    DecisionForm,
    DirectoryFilterForm,
    MentorInviteForm,
    RolesForm,
)

__all__ = [
    "ApplicationForm",
    "DecisionForm",
    "DirectoryFilterForm",
    "MenteeProfileForm",
    "MentorInviteForm",
    "MentorProfileForm",
    "RolesForm",
]
