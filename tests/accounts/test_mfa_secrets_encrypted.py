"""Authenticator secrets are encrypted at rest with keys from the environment, hidden in the
admin, and the keys can be rotated (issue 9, item 19)."""

import importlib
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import generate_totp_secret
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from tests.accounts.test_security_headers import production_env
from tests.factories import totp_code

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _totp_code(secret: str) -> str:
    return totp_code(secret)


def _sign_in_with_totp(client, user, password: str, secret: str) -> None:
    # A code is accepted once (allauth remembers used codes in the cache); this test signs in
    # more than once inside one 30-second step, so forget the codes used so far.
    cache.clear()
    client.logout()
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def _stored(user, kind: str) -> dict:
    return Authenticator.objects.get(user=user, type=kind).data


def _secret_of(manager, settings) -> str:
    """Set up TOTP the way the app does, with the keys in settings; return the plain secret."""
    from tests.factories import enable_totp

    enable_totp(manager)
    authenticator = Authenticator.objects.get(user=manager, type="totp")
    return Fernet(settings.MFA_ENCRYPTION_KEYS[0]).decrypt(authenticator.data["secret"]).decode()


def test_the_totp_key_and_recovery_seed_are_stored_encrypted(client, manager, password):
    client.force_login(manager)
    client.post(reverse("account_reauthenticate"), {"password": password})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": _totp_code(secret)})

    stored_secret = _stored(manager, "totp")["secret"]
    assert secret not in stored_secret
    assert stored_secret.startswith("gAAAAA")  # a Fernet token
    seed = _stored(manager, "recovery_codes")["seed"]
    assert seed.startswith("gAAAAA")
    codes = RecoveryCodes(Authenticator.objects.get(user=manager, type="recovery_codes"))
    assert len(codes.generate_codes()) == 10  # the seed still opens

    _sign_in_with_totp(client, manager, password, secret)


def test_signing_in_with_a_recovery_code_still_works(client, manager, password, with_mfa):
    with_mfa(manager)
    rc = RecoveryCodes(Authenticator.objects.get(user=manager, type="recovery_codes"))
    code = rc.get_unused_codes()[0]

    client.post(reverse("account_login"), {"login": manager.email, "password": password})
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == manager.pk
    rc = RecoveryCodes(Authenticator.objects.get(user=manager, type="recovery_codes"))
    assert code not in rc.get_unused_codes()


def test_keys_are_rotated_without_anyone_losing_their_authenticator(
    client, manager, password, settings
):
    settings.MFA_ENCRYPTION_KEYS = [OLD_KEY]
    secret = _secret_of(manager, settings)

    # Step 1: the new key goes first; secrets made with the old one still open.
    settings.MFA_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    _sign_in_with_totp(client, manager, password, secret)

    # Step 2: re-encrypt everything with the new key.
    out = StringIO()
    call_command("rotate_mfa_keys", stdout=out)
    assert "Re-encrypted the secrets of 2 authenticators" in out.getvalue()
    assert "older keys can be removed" in out.getvalue()
    for kind, field in (("totp", "secret"), ("recovery_codes", "seed")):
        token = _stored(manager, kind)[field].encode()
        Fernet(NEW_KEY).decrypt(token)
        with pytest.raises(InvalidToken):
            Fernet(OLD_KEY).decrypt(token)

    # Step 3: the old key is removed; signing in still works.
    settings.MFA_ENCRYPTION_KEYS = [NEW_KEY]
    _sign_in_with_totp(client, manager, password, secret)


def test_plain_secrets_stored_before_encryption_are_encrypted_by_the_migration(
    client, manager, password
):
    secret = generate_totp_secret()
    Authenticator.objects.create(user=manager, type="totp", data={"secret": secret})
    Authenticator.objects.create(
        user=manager, type="recovery_codes", data={"seed": "ab" * 40, "used_mask": 0}
    )
    migration = importlib.import_module("accounts.migrations.0002_encrypt_mfa_secrets")

    migration.encrypt_secrets(apps, None)
    migration.encrypt_secrets(apps, None)  # safe to run twice: encrypted ones are left alone

    assert _stored(manager, "totp")["secret"].startswith("gAAAAA")
    assert _stored(manager, "recovery_codes")["seed"].startswith("gAAAAA")
    _sign_in_with_totp(client, manager, password, secret)

    migration.decrypt_secrets(apps, None)
    assert _stored(manager, "totp")["secret"] == secret
    assert _stored(manager, "recovery_codes") == {"seed": "ab" * 40, "used_mask": 0}


def test_the_admin_never_shows_an_authenticator_secret(client, staff, manager, settings):
    from tests.factories import enable_totp

    enable_totp(staff)
    secret = _secret_of(manager, settings)
    stored = _stored(manager, "totp")["secret"]
    client.force_login(staff)
    totp = Authenticator.objects.get(user=manager, type="totp")

    page = client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk]))
    listing = client.get(reverse("admin:mfa_authenticator_changelist"))

    assert page.status_code == listing.status_code == 200
    for html in (page.content.decode(), listing.content.decode()):
        assert secret not in html
        assert stored not in html
        assert "used_mask" not in html


def _manage_py_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_app_refuses_to_start_without_an_encryption_key_when_debug_is_off():
    env = production_env()
    env.pop("MFA_ENCRYPTION_KEYS", None)

    result = _manage_py_check(env)

    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEYS must be set when DEBUG is off" in result.stderr


def test_the_app_refuses_to_start_with_a_key_that_is_not_a_fernet_key():
    result = _manage_py_check(production_env(MFA_ENCRYPTION_KEYS="correct-horse-battery"))

    assert result.returncode != 0
    assert "not a Fernet key" in result.stderr


def test_in_debug_a_key_is_derived_from_the_secret_key():
    env = production_env(DEBUG="1")
    env.pop("MFA_ENCRYPTION_KEYS", None)

    result = _manage_py_check(env)

    assert result.returncode == 0, result.stderr
