"""The load benchmark's cast and its checks after a run, on a tiny programme
(bench/load/seed.py pick_cast, bench/load/checks.py)."""

from __future__ import annotations

import socket
from collections import Counter

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from bench.load import checks, seed
from bench.load.webforms import totp_code
from mentorship import outbox
from mentorship.models import MentorRequest, OutboxEmail
from tests.factories import new_mentee, new_mentor, new_mentorship, new_request

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_cast_is_who_may_act_now_and_each_can_sign_in(programme, manager):
    free = new_mentee(programme, "Dr Free Mentee")
    asking = new_mentee(programme, "Dr Asking Mentee")
    answering = new_mentor(programme, "Dr Has Requests")
    idle = new_mentor(programme, "Dr No Requests")
    new_request(asking, answering, programme)

    cast = seed.pick_cast(programme, n_managers=2)

    assert cast.mentees == [free.email]
    assert cast.mentors == [answering.email]
    assert idle.email not in cast.mentors
    assert cast.managers[0] == manager.email
    assert cast.managers[1] == "load-manager1@example.org"
    assert set(programme.managers.values_list("email", flat=True)) == set(cast.managers)
    assert Authenticator.objects.filter(user__email__in=cast.managers, type="totp").count() == 2

    browser = Client()
    response = browser.post("/accounts/login/", {"login": free.email, "password": cast.password})
    assert response.status_code == 302
    assert response.url == "/dashboard/"

    browser = Client()
    response = browser.post("/accounts/login/", {"login": manager.email, "password": cast.password})
    assert response.url.startswith("/accounts/2fa/authenticate")
    code = totp_code(cast.totp_secrets[manager.email])
    response = browser.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert response.url == "/dashboard/"


def test_capacity_check_flags_only_mentors_newly_or_further_over(programme, manager, with_mfa):
    with_mfa(manager)
    mentor = new_mentor(programme, "Dr One Place", capacity=1)
    new_mentorship(new_mentee(programme), mentor, programme)
    assert checks.over_capacity() == {}  # full is not over

    # A held place the services would have refused: written directly, as a bug would.
    MentorRequest.objects.create(
        programme=programme,
        mentee=new_mentee(programme),
        mentor=mentor,
        status=MentorRequest.Status.ACCEPTED,
    )
    after = checks.over_capacity()
    assert after == {mentor.pk: -1}
    assert checks.capacity_check({}, after)["new_or_worse"] == 1
    assert checks.capacity_check(after, after) == {"before": 1, "after": 1, "new_or_worse": 0}
    assert checks.capacity_check(after, {mentor.pk: -2})["new_or_worse"] == 1


def test_email_check_finds_lost_doubled_and_unknown_emails():
    rows = {11: "sent", 12: "sent", 13: "pending", 14: "sent"}
    received = Counter({11: 1, 12: 2, 14: 1, 15: 1, 9: 1})
    result = checks.email_check(rows, received, last_id_before=10)
    assert result["rows"] == 4
    assert result["sent"] == 3
    assert result["pending"] == 1
    assert result["lost"] == 1  # 13 never arrived
    assert result["doubled"] == 1  # 12 arrived twice
    assert result["unknown"] == 1  # 15 is no row of this run
    assert result["older_rows_received"] == 1  # 9 was written before the run
    assert result["ok"] is False
    clean = checks.email_check({11: "sent"}, Counter({11: 1}), last_id_before=10)
    assert clean["ok"] is True
    assert clean["lost"] == clean["doubled"] == clean["unknown"] == 0


def test_the_sink_receives_each_outbox_email_once_by_its_row(programme, settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    baseline = checks.last_outbox_id()
    mentor = new_mentor(programme, "Dr Mail")
    new_request(new_mentee(programme), mentor, programme)
    rows = checks.outbox_rows_since(baseline)
    assert rows, "asking a mentor writes an outbox email"
    controller, sink = checks.start_sink(port)
    try:
        for pk in rows:
            outbox.deliver(pk)
            outbox.deliver(pk)  # a second delivery of a sent row sends nothing
    finally:
        controller.stop()

    after = checks.outbox_rows_since(baseline)
    assert set(after.values()) == {OutboxEmail.Status.SENT}
    assert sink.by_outbox_id == Counter({pk: 1 for pk in rows})
    result = checks.email_check(after, sink.by_outbox_id, baseline)
    assert result["ok"] is True
    assert result["received"] == len(rows)


def test_places_are_made_consistent_before_a_run(programme, manager, with_mfa):
    with_mfa(manager)
    full = new_mentor(programme, "Dr Full", capacity=1)
    new_mentorship(new_mentee(programme), full, programme)
    over = new_mentor(programme, "Dr Over", capacity=1)
    new_mentorship(new_mentee(programme), over, programme)
    MentorRequest.objects.create(  # as the bulk loader writes them: no check of places
        programme=programme,
        mentee=new_mentee(programme),
        mentor=over,
        status=MentorRequest.Status.ACCEPTED,
    )
    assert checks.over_capacity() == {over.pk: -1}

    assert seed.make_places_consistent() == 1

    assert checks.over_capacity() == {}
    over.mentor_profile.refresh_from_db()
    full.mentor_profile.refresh_from_db()
    assert over.mentor_profile.capacity == 2
    assert full.mentor_profile.capacity == 1
    assert seed.make_places_consistent() == 0
