"""Errors of the match-run rules, beyond mentorship.services' own."""

from __future__ import annotations

from mentorship.services import ServiceError


class BadInput(ServiceError):
    """The request itself is wrong (shown as 400)."""

    status_code = 400
