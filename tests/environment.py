"""Loaded by pytest before Django (see `-p tests.environment` in pyproject.toml).

Settings read the environment at import, so the test defaults must be in place first. Each
is only a default: CI's DATABASE_URL and REDIS_URL still point the tests at real services.
"""

import os

os.environ.setdefault("SECRET_KEY", "insecure-key-for-tests-only")
# Required when DEBUG is off, as in tests; worker processes the tests start inherit it.
os.environ.setdefault("MFA_ENCRYPTION_KEYS", "dGVzdHMtb25seS1tZmEta2V5LTAxMjM0NTY3ODlhYmM=")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

# Under pytest-xdist (`-n 2`, as CI runs) each worker process gets its own Redis database,
# so one worker's cache clears and Celery queues never touch the other's. pytest-django
# already gives each worker its own test database. Celery workers and servers the tests
# start inherit this environment.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker.startswith("gw") and os.environ.get("REDIS_URL"):
    from urllib.parse import urlsplit, urlunsplit

    _index = int(_xdist_worker[2:])
    _url = urlsplit(os.environ["REDIS_URL"])
    _base = int(_url.path.lstrip("/") or 0)
    _db = _base - _index if _base >= _index else _base + _index
    os.environ["REDIS_URL"] = urlunsplit(_url._replace(path=f"/{_db}"))
