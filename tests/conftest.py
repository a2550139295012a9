"""Shared fixtures: people named by their role, and the rules for service-backed tests.

Tests marked `postgres`, `redis`, `celery_worker` or `browser` skip with a reason when the
service is not there. CI sets REQUIRE_SERVICES=1, which turns each of those skips into a
failure, so a green CI run means they really ran.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from django.test import Client

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _postgres_missing() -> str | None:
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    return None


def _redis_missing() -> str | None:
    from django.conf import settings

    if not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL=redis://..."
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        return f"Redis at REDIS_URL is not reachable: {exc}"
    return None


def _browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "needs the playwright Python package"
    return None


_CHECKS = {
    "postgres": _postgres_missing,
    "redis": _redis_missing,
    "celery_worker": _redis_missing,
    "browser": _browser_missing,
}


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, check in _CHECKS.items():
        if item.get_closest_marker(marker) is None:
            continue
        reason = check()
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason} (REQUIRE_SERVICES=1 makes this a failure)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _isolate_cache_and_tasks():
    """Rate-limit counters live in the cache, so each test starts with an empty one; Celery
    tasks run in-process unless a test starts a real worker."""
    from django.core.cache import cache

    from config.cache import ResilientRedisCache
    from config.celery import app

    ResilientRedisCache._broken_until = 0.0  # a test that broke Redis leaves no open breaker
    cache.clear()
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = True
    ResilientRedisCache._broken_until = 0.0
    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Specialties, goals and regions come from a data migration; a transactional test's
    flush removes them, so put them back for any test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(
        {"transactional_db", "live_server"} & names or (marker and marker.kwargs.get("transaction"))
    )
    if marker or transactional or "db" in names:
        request.getfixturevalue("transactional_db" if transactional else "db")
        from django.apps import apps

        from mentorship.models import Specialty
        from mentorship.reference_data import seed_reference_data

        if not Specialty.objects.exists():
            seed_reference_data(apps)
    yield


@pytest.fixture
def password() -> str:
    from tests.factories import PASSWORD

    return PASSWORD


@pytest.fixture
def programme(db):
    from tests.factories import ProgrammeFactory

    return ProgrammeFactory(name="Northfield Clinical Fellows", slug="northfield-fellows")


@pytest.fixture
def other_programme(db):
    from tests.factories import ProgrammeFactory

    return ProgrammeFactory(name="Southgate IMG Scheme", slug="southgate-img")


@pytest.fixture
def mentee(db, programme):
    """A mentee accepted into `programme`."""
    from tests.factories import MenteeMembershipFactory, MenteeProfileFactory

    user = MenteeProfileFactory(user__full_name="Dr Amara Nwosu").user
    MenteeMembershipFactory(programme=programme, user=user)
    return user


@pytest.fixture
def mentee_gmc_number(mentee) -> str:
    """The mentee's GMC number: only they and their programmes' managers may see it."""
    from mentorship.models import MenteeProfile

    MenteeProfile.objects.filter(user=mentee).update(gmc_number="7012345")
    return "7012345"


@pytest.fixture
def other_mentee(db, other_programme):
    """A mentee accepted into another programme only."""
    from tests.factories import MenteeMembershipFactory, MenteeProfileFactory

    user = MenteeProfileFactory(user__full_name="Dr Bilal Qureshi").user
    MenteeMembershipFactory(programme=other_programme, user=user)
    return user


@pytest.fixture
def mentor(db, programme):
    """A vetted mentor in `programme`."""
    from tests.factories import MentorMembershipFactory, MentorProfileFactory

    user = MentorProfileFactory(user__full_name="Dr Gareth Pryce").user
    MentorMembershipFactory(programme=programme, user=user)
    return user


@pytest.fixture
def manager(db, programme):
    """Manages `programme` (has not set up MFA: use `with_mfa`)."""
    from tests.factories import UserFactory

    user = UserFactory(full_name="Joanna Whitfield")
    programme.managers.add(user)
    return user


@pytest.fixture
def other_manager(db, other_programme):
    """Manages another programme only."""
    from tests.factories import UserFactory

    user = UserFactory(full_name="Kofi Mensah-Bonsu")
    other_programme.managers.add(user)
    return user


@pytest.fixture
def outsider(db):
    """Signed up, verified, and holds no role at all."""
    from tests.factories import UserFactory

    return UserFactory(full_name="Olu Outsider")


@pytest.fixture
def staff(db):
    from tests.factories import UserFactory

    return UserFactory(full_name="Sam Staff", is_staff=True, is_superuser=True)


@pytest.fixture
def other_mentor(db, programme):
    """Another vetted mentor of `programme`, who was not asked."""
    from tests.factories import new_mentor

    return new_mentor(programme, "Dr Helen Achebe")


@pytest.fixture
def with_mfa():
    """Give a user a TOTP authenticator; returns a function that makes a valid code."""
    from tests.factories import enable_totp

    return enable_totp


# --- Signed-in browsers ------------------------------------------------------------------
# Each is its own test client, so a test may use several side by side, and `client` stays
# signed out.


def _signed_in(user) -> Client:
    from django.test import Client

    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def mentee_client(mentee) -> Client:
    return _signed_in(mentee)


@pytest.fixture
def mentor_client(mentor) -> Client:
    return _signed_in(mentor)


@pytest.fixture
def manager_client(manager, with_mfa) -> Client:
    """The programme's manager, signed in after setting up their authenticator."""
    with_mfa(manager)
    return _signed_in(manager)


MFA_ROLES = {"manager", "other_manager", "staff"}


@pytest.fixture
def sign_in(client, request, with_mfa):
    """`sign_in("other_mentee")` signs `client` in as the person that fixture names and
    returns it. Managers and staff set up an authenticator first, as they must;
    "manager_without_mfa" is the manager before they have; "anonymous" stays signed out."""

    def as_role(role: str) -> Client:
        if role == "anonymous":
            return client
        user = request.getfixturevalue("manager" if role == "manager_without_mfa" else role)
        if role in MFA_ROLES:
            with_mfa(user)
        client.force_login(user)
        return client

    return as_role


# --- Requests ----------------------------------------------------------------------------


@pytest.fixture
def pending_request(mentee, mentor, programme):
    """The mentee has asked the mentor, with a message; the mentor has not answered."""
    from tests.factories import new_request

    return new_request(mentee, mentor, programme, message="I hope to move into GP.")


@pytest.fixture
def accepted_request(pending_request, mentor):
    """The mentor accepted; it waits for a manager's approval, holding a place."""
    from mentorship import services

    return services.accept_request(pending_request, by=mentor)


@pytest.fixture
def active_mentorship(mentee, mentor, programme, manager):
    """The mentee and the mentor have been matched for three weeks (approved by `manager`)."""
    from tests.factories import new_mentorship

    return new_mentorship(mentee, mentor, programme, weeks_ago=3)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def chromium_launch_args() -> dict:
    return {
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
