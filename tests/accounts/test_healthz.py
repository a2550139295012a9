import pytest
from django.db import connection
from django.urls import reverse

HEALTHZ = reverse("healthz")


@pytest.mark.django_db
def test_health_is_ok_when_the_database_answers(client, settings):
    response = client.get(HEALTHZ)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] == ("ok" if settings.REDIS_URL else "not configured")


@pytest.mark.django_db
def test_health_is_503_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get(HEALTHZ)

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "unavailable"},
    }


@pytest.mark.django_db(transaction=True)
def test_health_is_503_when_the_database_does_not_answer(client, monkeypatch):
    # Point the connection at a database that is not there, so the next query really fails.
    kept = connection.connection
    connection.connection = None  # an in-memory SQLite test database ignores close()
    if connection.vendor == "postgresql":
        kept.close()
        kept = None
        monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    else:
        monkeypatch.setitem(connection.settings_dict, "NAME", "/nonexistent/dir/db.sqlite3")
    try:
        response = client.get(HEALTHZ)
    finally:
        monkeypatch.undo()
        connection.close()
        connection.connection = kept

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"
    assert "Traceback" not in response.content.decode()
