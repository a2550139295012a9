"""What a signed-in person's browser and authenticator app do, for the Locust users: read a
form's CSRF token and compute a TOTP code. Kept apart from the locustfile, which cannot be
imported without Locust patching the whole process (gevent)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238: the six digits an authenticator app shows (30-second steps, SHA-1)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    step = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on the page ("" if there is none)."""
    found = CSRF.search(html or "")
    return found.group(1) if found else ""
