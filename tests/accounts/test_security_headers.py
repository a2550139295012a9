"""The CSP header on every page (check --deploy does not look at it) and the other headers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

PUBLIC_PAGES = [
    "home",
    "about",
    "privacy",
    "accessibility",
    "account_login",
    "account_signup",
    "account_reset_password",
    "healthz",
]
SIGNED_IN_PAGES = [
    "dashboard",
    "account_settings",
    "account_change_password",
    "account_email",
    "mfa_index",
    "mfa_activate_totp",
    "account_logout",
    "mentorship:mentee_home",
    "mentorship:mentor_home",
    "manage:home",
    "admin:index",
]


def assert_strict_csp(response) -> None:
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_send_a_strict_content_security_policy(client, name):
    response = client.get(reverse(name))

    assert response.status_code in (200, 302)
    assert_strict_csp(response)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_pages_send_a_strict_content_security_policy(client, name, mentee, with_mfa):
    from tests.factories import MentorProfileFactory, ProgrammeFactory

    MentorProfileFactory(user=mentee)
    ProgrammeFactory().managers.add(mentee)
    mentee.is_staff = True
    mentee.save()
    with_mfa(mentee)
    client.force_login(mentee)

    response = client.get(reverse(name))

    assert response.status_code in (200, 302)
    assert_strict_csp(response)


@pytest.mark.django_db
def test_the_only_inline_script_carries_the_pages_nonce(client):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]

    assert html.count("<script") == 2  # the module loader (a file) and the js-enabled flag
    assert f'<script nonce="{nonce}">' in html


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
plain = client.get("/accounts/login/")
secure = client.get("/accounts/login/", secure=True)
cookie = secure.cookies["csrftoken"]
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "hsts": secure.get("Strict-Transport-Security"),
    "csp": secure.get("Content-Security-Policy"),
    "frame": secure.get("X-Frame-Options"),
    "nosniff": secure.get("X-Content-Type-Options"),
    "referrer": secure.get("Referrer-Policy"),
    "csrf_secure": bool(cookie["secure"]),
    "csrf_httponly": bool(cookie["httponly"]),
    "csrf_samesite": cookie["samesite"],
}))
"""


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HTTPS", "STATIC_MANIFEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="a-production-like-secret-key-that-is-long-enough-0123456789-abcdef",
        ALLOWED_HOSTS="testserver,mentoring.example.org",
        CSRF_TRUSTED_ORIGINS="https://mentoring.example.org",
        STATIC_MANIFEST="0",
    )
    env.update(extra)
    return env


def test_production_settings_send_the_security_headers_and_secure_cookies():
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["plain_status"] == 301
    assert seen["plain_location"].startswith("https://")
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "'unsafe-inline'" not in seen["csp"].split("script-src")[1].split(";")[0]
    assert seen["frame"] == "DENY"
    assert seen["nosniff"] == "nosniff"
    assert seen["referrer"] == "same-origin"
    assert seen["csrf_secure"] and seen["csrf_httponly"]
    assert seen["csrf_samesite"] == "Lax"


def test_check_deploy_reports_no_issues_with_production_values():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    env = production_env()
    del env["SECRET_KEY"]

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
