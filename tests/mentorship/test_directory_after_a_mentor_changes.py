"""A mentor changes (capacity, specialty, pausing) in another connection: the mentee's next
directory request shows it, ranked as a fresh explanation scores it. The change patches the
cached mentor pool (matching/services.py, refresh_mentor_in_pools) rather than forgetting
it; two changes at the same moment are both seen."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from django.db import connections

from matching.services import _pool_key
from mentorship.models import MentorProfile
from mentorship.services.mentors import set_accepting_requests
from tests.factories import specialty
from tests.integration.test_concurrency import run_together
from tests.mentorship.helpers import directory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_another_connection(change) -> None:
    """Run `change` in a thread of its own: its own database connection and transaction."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            change()
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not errors, errors


def card(response, name: str):
    return next(p for p in response.context["page"].object_list if p.user.full_name == name)


def agrees_with_a_fresh_explanation(profile) -> bool:
    """The ranked score (from the cached pool) equals the one explained from the database."""
    if profile.match is None:
        return profile.explanation is None
    return profile.match == pytest.approx(profile.explanation.total)


def test_a_new_capacity_is_on_the_next_request(mentee_client, programme, directory_mentors):
    directory(mentee_client, programme)  # the pool is cached
    key_before = _pool_key(programme.pk)

    def change() -> None:
        profile = MentorProfile.objects.get(pk=directory_mentors["gp"].pk)
        profile.capacity = 5
        profile.save(update_fields=["capacity", "updated_at"])

    in_another_connection(change)

    key_after = _pool_key(programme.pk)
    assert key_after != key_before
    assert cache.get(key_after) is not None  # patched and stored by the writer, not rebuilt
    response = directory(mentee_client, programme)
    gp = card(response, "Dr Alice Gp")
    assert gp.free_place_count == 5
    assert "5 places free" in response.content.decode()
    assert agrees_with_a_fresh_explanation(gp)
    assert MentorProfile.objects.get(pk=gp.pk).capacity == 5


def test_a_new_specialty_is_ranked_on_the_next_request(mentee_client, programme, directory_mentors):
    before = card(directory(mentee_client, programme), "Dr Bola Geri").match

    def change() -> None:
        profile = MentorProfile.objects.get(pk=directory_mentors["geri"].pk)
        profile.primary_specialty = specialty("general-practice")  # the mentee's target
        profile.save()

    in_another_connection(change)

    geri = card(directory(mentee_client, programme), "Dr Bola Geri")
    assert geri.match > before
    assert agrees_with_a_fresh_explanation(geri)
    assert MentorProfile.objects.get(pk=geri.pk).primary_specialty.code == "general-practice"


def test_pausing_is_on_the_next_request(mentee_client, programme, directory_mentors):
    assert card(directory(mentee_client, programme), "Dr Alice Gp").match is not None
    gp = directory_mentors["gp"]

    in_another_connection(lambda: set_accepting_requests(gp, by=gp.user, accepting=False))

    response = directory(mentee_client, programme)
    shown = card(response, "Dr Alice Gp")
    assert shown.match is None  # cannot be asked: no score, listed after those who can
    assert response.context["page"].object_list[-1].user.full_name in {
        "Dr Alice Gp",
        "Dr Cara Psych",
    }
    assert "Not taking requests" in response.content.decode()
    assert not MentorProfile.objects.get(pk=gp.pk).is_accepting_requests


def test_two_mentors_changing_at_once_are_both_on_the_next_request(
    mentee_client, programme, directory_mentors
):
    directory(mentee_client, programme)

    def new_capacity(key: str, capacity: int):
        def call() -> None:
            profile = MentorProfile.objects.get(pk=directory_mentors[key].pk)
            profile.capacity = capacity
            profile.save(update_fields=["capacity", "updated_at"])

        return call

    outcomes = run_together([new_capacity("gp", 4), new_capacity("geri", 6)])

    assert outcomes == ["ok", "ok"]
    response = directory(mentee_client, programme)
    gp, geri = card(response, "Dr Alice Gp"), card(response, "Dr Bola Geri")
    assert (gp.free_place_count, geri.free_place_count) == (4, 6)
    assert agrees_with_a_fresh_explanation(gp)
    assert agrees_with_a_fresh_explanation(geri)
