"""Behind a load balancer, rate limits and the security log use the real client's address
(issue 9, item 13)."""

import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

BALANCER = "10.0.0.7"  # every request reaches the app from the load balancer
ALICE, BOB = "203.0.113.10", "198.51.100.20"


def _fail_logins_from(client, forwarded_for: str, times: int) -> None:
    # A different unknown address each time, so only the per-IP limit (10 a minute) counts.
    for i in range(times):
        client.post(
            reverse("account_login"),
            {"login": f"guess{i}@example.org", "password": "wrong-guess-123"},
            REMOTE_ADDR=BALANCER,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )


def _sign_in_from(client, person, password: str, forwarded_for: str):
    return client.post(
        reverse("account_login"),
        {"login": person.email, "password": password},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_two_clients_behind_one_proxy_are_rate_limited_separately(
    client, mentee, password, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    _fail_logins_from(client, ALICE, 10)

    locked_out = _sign_in_from(client, mentee, password, ALICE)
    assert "Too many failed login attempts" in locked_out.content.decode()
    assert "_auth_user_id" not in client.session

    signed_in = _sign_in_from(client, mentee, password, BOB)
    assert signed_in.status_code == 302
    assert int(client.session["_auth_user_id"]) == mentee.pk


def test_a_client_cannot_forge_its_address_in_front_of_the_trusted_proxy(
    client, mentee, password, settings
):
    # The balancer appends the address it saw; whatever the client wrote before it is ignored.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    _fail_logins_from(client, f"{BOB}, {ALICE}", 10)

    response = _sign_in_from(client, mentee, password, f"192.0.2.99, {ALICE}")

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, mentee, password, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    _fail_logins_from(client, ALICE, 10)

    # Bob's header is not believed: the request comes from the same connection address.
    response = _sign_in_from(client, mentee, password, BOB)

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_request_that_skipped_an_outer_proxy_is_counted_by_the_address_the_inner_one_saw(
    client, mentee, password, settings
):
    # Two trusted proxies (a CDN, then the load balancer), but this client went straight to
    # the load balancer, which appended only the one address it saw.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    _fail_logins_from(client, ALICE, 10)

    locked_out = _sign_in_from(client, mentee, password, ALICE)
    signed_in = _sign_in_from(client, mentee, password, BOB)

    assert "Too many failed login attempts" in locked_out.content.decode()
    assert signed_in.status_code == 302
    assert int(client.session["_auth_user_id"]) == mentee.pk


def test_a_trusted_client_ip_header_names_the_client(client, mentee, password, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    for i in range(10):
        client.post(
            reverse("account_login"),
            {"login": f"guess{i}@example.org", "password": "wrong-guess-123"},
            REMOTE_ADDR=BALANCER,
            HTTP_X_REAL_IP=ALICE,
        )

    response = client.post(
        reverse("account_login"),
        {"login": mentee.email, "password": password},
        REMOTE_ADDR=BALANCER,
        HTTP_X_REAL_IP=BOB,
    )

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == mentee.pk


def test_the_security_log_records_the_real_client_address(
    client, mentee, password, settings, caplog
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    caplog.set_level(logging.INFO, logger="security")

    _fail_logins_from(client, ALICE, 1)
    _sign_in_from(client, mentee, password, BOB)

    lines = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert f"login_failed email=g***@example.org ip={ALICE}" in lines
    assert f"login user={mentee.pk} ip={BOB}" in lines
    assert not any(BALANCER in line for line in lines)
