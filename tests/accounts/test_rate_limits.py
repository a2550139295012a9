import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_cache_is_a_real_one_so_rate_limits_count():
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend != "django.core.cache.backends.dummy.DummyCache"
    expected = (
        "config.cache.ResilientRedisCache"  # Django's RedisCache, failing open when Redis is down
        if settings.REDIS_URL
        else "django.core.cache.backends.locmem.LocMemCache"
    )
    assert backend == expected


def test_repeated_failed_logins_for_one_address_are_locked_out(client, mentee, password):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": mentee.email, "password": "wrong-guess"})

    # Even the right password is refused while the address is locked out.
    response = client.post(reverse("account_login"), {"login": mentee.email, "password": password})

    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()
