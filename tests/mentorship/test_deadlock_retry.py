"""A transaction the database aborts to break a deadlock is run again; after a few tries the
person gets a plain 503 page, never a 500 (issue 9, item 1)."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from mentorship.services import Busy
from mentorship.services.locking import ATTEMPTS, atomic_with_retry

pytestmark = pytest.mark.django_db(transaction=True)


class Deadlock(Exception):
    sqlstate = "40P01"


def deadlock() -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = Deadlock()
    return error


def test_a_deadlocked_transaction_is_run_again_and_succeeds():
    calls = []

    @atomic_with_retry
    def change() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise deadlock()
        return "done"

    assert change() == "done"
    assert len(calls) == 3


def test_after_a_few_deadlocks_the_person_is_told_to_try_again():
    calls = []

    @atomic_with_retry
    def change() -> None:
        calls.append(1)
        raise deadlock()

    with pytest.raises(Busy) as caught:
        change()

    assert len(calls) == ATTEMPTS
    assert caught.value.status_code == 503


def test_other_database_errors_are_not_retried():
    calls = []

    @atomic_with_retry
    def change() -> None:
        calls.append(1)
        raise OperationalError("disk full")

    with pytest.raises(OperationalError):
        change()

    assert len(calls) == 1
