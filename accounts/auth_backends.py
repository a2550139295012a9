"""Sign-in backends that serve the signed-in user from the cache rather than the database.

Every signed-in request loads its user (AuthenticationMiddleware -> backend.get_user). These
backends keep that row in the shared cache, so a page costs one query less. They sign people
in exactly as Django's ModelBackend and allauth's backend do; only get_user differs.

Security first, because the cached row decides who is signed in:

- Any save or delete of a user (a password change or reset, deactivation, a new email or
  name, the admin's edits, last_login) moves that user's version after the transaction
  commits; a cached row carries the version it was read at and is used only while it is
  still current. So a changed password signs out the person's other sessions on their next
  request (Django compares the session's hash with the password of the row it loads), and a
  deactivated person is signed out on theirs, exactly as without the cache.
- The version is read before the database, so a request that loaded a row just before
  another committed a change stores it under the old version, never the new one.
- Writes that bypass save() (QuerySet.update on users, raw SQL) move no version: nothing in
  the project does that to users; anyone who adds one must call forget_user(). As a backstop
  a cached row lives at most USER_CACHE_SECONDS.
- Only with a cache every process shares (Redis): with the per-process local-memory cache
  one process could not tell another that a user changed, so USER_CACHE_SECONDS is 0 there
  and every request reads the database, as before. If Redis is unreachable, the cache
  answers nothing and the database is read.
"""

from __future__ import annotations

import secrets
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver


def _keys(user_id: Any) -> tuple[str, str]:
    return f"accounts:user-version:{user_id}", f"accounts:user:{user_id}"


def forget_user(user_id: Any) -> None:
    """The user's row changed: cached copies stop counting (call after commit)."""
    version_key, _ = _keys(user_id)
    try:
        cache.incr(version_key)
    except ValueError:  # never cached: nothing to forget, but start a version a copy can't have
        cache.add(version_key, secrets.randbelow(2**40), timeout=None)


class CachedUserMixin:
    def get_user(self, user_id: Any) -> Any:
        seconds = settings.USER_CACHE_SECONDS
        if not seconds:
            return super().get_user(user_id)
        version_key, user_key = _keys(user_id)
        found = cache.get_many([version_key, user_key])
        version = found.get(version_key)
        cached = found.get(user_key)
        if version is not None and cached is not None and cached[0] == version:
            user = cached[1]
            return user if self.user_can_authenticate(user) else None
        if version is None:
            cache.add(version_key, secrets.randbelow(2**40), timeout=None)
            version = cache.get(version_key)
        user = super().get_user(user_id)  # None when there is no such user, or inactive
        if user is not None and version is not None:
            cache.set(user_key, (version, user), timeout=seconds)
        return user


class ModelBackend(CachedUserMixin, DjangoModelBackend):
    """Django's ModelBackend, with the signed-in user from the cache."""


class AuthenticationBackend(CachedUserMixin, AllauthBackend):
    """allauth's backend (sign-in by email), with the signed-in user from the cache."""


@receiver([post_save, post_delete], sender=settings.AUTH_USER_MODEL)
def user_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    user_id = instance.pk
    # Now, so this transaction's own later reads (and a rolled-back change's) go to the
    # database; and again after commit, so a request that read the old row in between and
    # cached it under the version just moved is not believed either.
    forget_user(user_id)
    transaction.on_commit(lambda: forget_user(user_id))
