"""How a person is named: their full name and title, changed from their account settings."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import User

security_log = logging.getLogger("security")


@transaction.atomic
def change_name(user: User, *, by: User, full_name: str, title: str) -> User:
    """Only the person themselves changes their name and title (staff use the admin). The
    security log records that it changed, never the old or new name."""
    if by.pk != user.pk:
        raise PermissionDenied("Only you can change your name.")
    user = User.objects.select_for_update().get(pk=user.pk)
    wanted = {"full_name": full_name, "title": title}
    changed = [field for field, value in wanted.items() if getattr(user, field) != value]
    if not changed:
        return user
    for field in changed:
        setattr(user, field, wanted[field])
    # Saving full_name also rebuilds a mentor's directory search text (mentorship/signals.py).
    user.save(update_fields=changed)
    security_log.info("name_changed user=%s fields=%s", user.pk, ",".join(changed))
    return user
