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
