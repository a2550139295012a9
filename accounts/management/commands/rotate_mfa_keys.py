"""Re-encrypt every authenticator secret with the first key in MFA_ENCRYPTION_KEYS."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import mfa_secrets


class Command(BaseCommand):
    help = (
        "Re-encrypt every TOTP key and recovery-code seed with the first key in "
        "MFA_ENCRYPTION_KEYS, so that older keys can then be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Rotate each authenticator in its own small transaction, locking its row."""
        count = 0
        pks = Authenticator.objects.filter(
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
        ).values_list("pk", flat=True)
        for pk in pks.iterator():
            # Locked so that a sign-in marking a recovery code used at the same moment is not
            # overwritten with the data read before it.
            with transaction.atomic():
                authenticator = Authenticator.objects.select_for_update().filter(pk=pk).first()
                if authenticator is None:  # removed meanwhile
                    continue
                authenticator.data = mfa_secrets.rotate_data(authenticator.data)
                authenticator.save(update_fields=["data"])
                count += 1
        self.stdout.write(f"Re-encrypted the secrets of {count} authenticators with the first key.")
        # A sign-in that read an authenticator just before it was rotated may have saved it
        # back with the older key: say so, rather than let someone remove that key.
        left = sum(
            not mfa_secrets.only_first_key_needed(data)
            for data in Authenticator.objects.filter(pk__in=pks).values_list("data", flat=True)
        )
        if left:
            self.stderr.write(
                f"{left} authenticators still need an older key. Run this command again "
                "before removing any key."
            )
        else:
            self.stdout.write("No secret needs an older key now; older keys can be removed.")
