"""Domain errors: a rule said no. Views show `message` as it is, with `status_code`."""

from __future__ import annotations


class ServiceError(Exception):
    """A rule said no. The message is shown to the person as it is."""

    status_code = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(ServiceError):
    """The person may not do this at all (shown as 403)."""

    status_code = 403


class InvalidTransition(ServiceError):
    """The thing is not in a state where this can happen (shown as 409)."""


class NoFreePlace(InvalidTransition):
    """The mentor's places are all taken (shown as 409)."""


class Busy(ServiceError):
    """The database kept refusing the change because of other people's changes (503)."""

    status_code = 503
