"""The Django cache on Redis, made to survive a Redis that is down or frozen.

Django's RedisCache raises on any Redis error, so a frozen Redis turned every page that
touches the cache (allauth's sign-in rate limits, the mentor pool) into a 500 after the
socket timeout. Here a cache error is logged and treated as a miss (reads return the
default, writes do nothing), and for `BREAK_SECONDS` after an error the cache is not asked at
all, so each request pays the timeout at most once per outage rather than once per call.

The trade-off, written down in docs/deployment.md: while Redis is unreachable, sign-in rate
limits are not counted (they fail open, the security log says so) and the directory builds
its mentor pool from the database on each request. Nothing is ever wrong because of it: every
rule that matters is checked in the database.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("security")

BREAK_SECONDS = 10.0


class ResilientRedisCache(RedisCache):
    _broken_until = 0.0
    _lock = threading.Lock()

    def _call(self, name: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < ResilientRedisCache._broken_until:
            return default
        try:
            return getattr(super(), name)(*args, **kwargs)
        except (RedisError, OSError) as error:  # down, frozen (timeout) or refused
            with ResilientRedisCache._lock:
                ResilientRedisCache._broken_until = time.monotonic() + BREAK_SECONDS
            log.error(
                "cache_unavailable op=%s error=%s: rate limits are not counted and the cache "
                "is skipped for %ss",
                name,
                type(error).__name__,
                BREAK_SECONDS,
            )
            return default

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", default, key, default, version)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._call("set", None, key, value, timeout, version)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        # As if the cache were empty: the key was not there, so adding it succeeds (allauth's
        # rate-limit lock takes a failed add to mean "locked" and would answer 429).
        return self._call("add", True, key, value, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call("delete", False, key, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._call("incr", delta, key, delta, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        return self._call("get_many", {}, keys, version)

    def set_many(
        self, data: dict, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list:
        return self._call("set_many", [], data, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call("touch", False, key, timeout, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call("has_key", False, key, version)
