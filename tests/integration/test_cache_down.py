"""A Redis that is down or frozen is a cache miss, not a 500: sign-in still works (its rate
limits fail open for the outage, logged), and each request pays the timeout once at most."""

from __future__ import annotations

import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from config.cache import BREAK_SECONDS, ResilientRedisCache
from tests.integration.fixtures import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def closed_cache():
    return ResilientRedisCache(
        f"redis://127.0.0.1:{free_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )


def test_an_unreachable_cache_is_a_miss_and_opens_the_breaker(caplog):
    cache = closed_cache()

    assert cache.get("anything", "default") == "default"
    assert cache.add("key", 1) is True  # as if the cache were empty
    cache.set("key", 1)  # nothing raised
    assert ResilientRedisCache._broken_until > time.monotonic()
    assert ResilientRedisCache._broken_until <= time.monotonic() + BREAK_SECONDS
    assert "cache_unavailable op=get" in caplog.text


def test_a_missing_counter_still_raises_value_error_as_djangos_cache_does(settings):
    cache = caches["default"]
    with pytest.raises(ValueError):
        cache.incr("never-set-counter")
    assert ResilientRedisCache._broken_until == 0.0


def test_signing_in_with_redis_frozen_works_within_the_bound(
    private_redis, settings, client, mentee, password, transactional_db
):
    private_redis.start()
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": private_redis.url}}
    caches["default"].set("warm", 1)
    private_redis.freeze()
    try:
        started = time.monotonic()
        response = client.post(
            reverse("account_login"), {"login": mentee.email, "password": password}
        )
        elapsed = time.monotonic() - started
    finally:
        private_redis.thaw()

    assert response.status_code == 302
    assert elapsed < 2.5, f"sign-in took {elapsed:.2f} s"
    assert client.get(reverse("mentorship:mentee_home")).status_code == 200
