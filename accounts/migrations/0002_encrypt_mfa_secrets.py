"""Encrypt the authenticator secrets stored before MFA_ENCRYPTION_KEYS existed.

From this release allauth reads every TOTP key and recovery-code seed through
accounts.adapters.MFAAdapter, which decrypts; a plain secret left behind would stop its owner
signing in. So this migration encrypts each one with the first key in MFA_ENCRYPTION_KEYS
(ones already encrypted are left alone). Reversing it writes them back in plain text.
"""

from django.db import migrations

from accounts import mfa_secrets


def _update_each(apps, change) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = change(authenticator.data)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor) -> None:
    _update_each(apps, mfa_secrets.encrypt_data)


def decrypt_secrets(apps, schema_editor) -> None:
    _update_each(apps, mfa_secrets.decrypt_data)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
