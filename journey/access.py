"""Who may see and do what in a mentorship after the match. One place for these rules; views
and services ask here.

- The two people see the shared home, the agreement's wording, meeting notes, goals and
  action points, and act on them while the mentorship is active.
- The programme's managers (and site staff) see that these exist, plus check-ins, concerns
  and feedback, which the other person never sees.
- Anyone else gets a 404: the lookup is scoped (`Mentorship.objects.visible_to`)."""

from __future__ import annotations

from typing import Any

from accounts.permissions import may_decide_for_programme
from mentorship.models import Mentorship
from mentorship.services.errors import InvalidTransition, NotAllowed


def is_party(user: Any, mentorship: Mentorship) -> bool:
    return mentorship.is_party(user)


def is_programme_team(user: Any, mentorship: Mentorship) -> bool:
    """The programme's managers and site staff."""
    return may_decide_for_programme(user, mentorship.programme)


def may_read_private(user: Any, mentorship: Mentorship) -> bool:
    """Agreement wording, meeting notes and topics, goals' reflections: the two people only."""
    return is_party(user, mentorship)


def may_read_programme_team_only(user: Any, mentorship: Mentorship) -> bool:
    """Check-ins, concerns and feedback not shared: the programme team only."""
    return is_programme_team(user, mentorship)


def require_party(user: Any, mentorship: Mentorship) -> None:
    """For services: only the mentee or the mentor may do this."""
    if not is_party(user, mentorship):
        raise NotAllowed("Only the mentee or the mentor can do this.")


def require_party_or_team(user: Any, mentorship: Mentorship) -> None:
    if not (is_party(user, mentorship) or is_programme_team(user, mentorship)):
        raise NotAllowed("Only the mentee, the mentor or the programme team can do this.")


def require_team(user: Any, mentorship: Mentorship) -> None:
    if not is_programme_team(user, mentorship):
        raise NotAllowed("Only the programme team can do this.")


def require_active(mentorship: Mentorship) -> None:
    if not mentorship.is_active:
        raise InvalidTransition(
            f"This mentorship is {mentorship.get_status_display().lower()}; it cannot change now."
        )
