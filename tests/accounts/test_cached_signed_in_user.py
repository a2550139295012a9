"""The signed-in user comes from the cache (accounts/auth_backends.py), and any change to
them counts on their next request: a new password signs out their other sessions, and
deactivation signs them out."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.auth_backends import _keys
from accounts.models import User

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("user_cache")]


@pytest.fixture
def user_cache():
    # On by default only with Redis (a cache every process shares); one test process shares
    # its local-memory cache with itself, so the behaviour can be checked here too.
    with override_settings(USER_CACHE_SECONDS=300):
        yield


def signed_in(user: User, password: str) -> Client:
    client = Client()
    assert client.login(email=user.email, password=password)
    return client


def user_queries(client: Client) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("dashboard"))
    found = [q["sql"] for q in ctx.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    return response.status_code, found


def test_a_signed_in_request_reads_the_user_from_the_cache(mentee, password):
    client = signed_in(mentee, password)
    client.get(reverse("dashboard"))  # the first request reads the row and caches it

    status, queries = user_queries(client)

    assert status == 200
    assert not any('WHERE "accounts_user"."id" =' in sql for sql in queries)


def test_a_new_password_signs_out_the_other_sessions_on_their_next_request(mentee, password):
    other_session = signed_in(mentee, password)
    assert other_session.get(reverse("dashboard")).status_code == 200  # now cached

    mentee.set_password("a-brand-new-password-2026")
    mentee.save()

    response = other_session.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert User.objects.get(pk=mentee.pk).check_password("a-brand-new-password-2026")


def test_deactivation_signs_the_person_out_on_their_next_request(mentee, password):
    client = signed_in(mentee, password)
    assert client.get(reverse("dashboard")).status_code == 200

    mentee.is_active = False
    mentee.save(update_fields=["is_active"])

    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not User.objects.get(pk=mentee.pk).is_active


def test_a_change_counts_only_once_committed_and_then_on_the_next_request(mentee, password):
    client = signed_in(mentee, password)
    client.get(reverse("dashboard"))

    with transaction.atomic():
        mentee.full_name = "Dr Renamed Person"
        mentee.save(update_fields=["full_name"])
        # Not committed: another request, on another connection, may read the old row and
        # cache it under the version the save just moved (the test client shares this
        # connection, so that request is written out here)...
        version_key, user_key = _keys(mentee.pk)
        old_row = User.objects.get(pk=mentee.pk)
        old_row.full_name = "Dr Old Name"
        cache.set(user_key, (cache.get(version_key), old_row))
        assert b"Dr Old Name" in client.get(reverse("dashboard")).content

    # ...which the commit makes stale: the next request reads the new row.
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert b"Dr Renamed Person" in response.content


def test_a_rolled_back_change_is_never_seen(mentee, password):
    client = signed_in(mentee, password)
    client.get(reverse("dashboard"))

    with pytest.raises(RuntimeError), transaction.atomic():
        mentee.is_active = False
        mentee.save(update_fields=["is_active"])
        raise RuntimeError("undo")

    assert client.get(reverse("dashboard")).status_code == 200
    assert User.objects.get(pk=mentee.pk).is_active
