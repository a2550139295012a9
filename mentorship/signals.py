"""Keep the directory's search document in step with the person's name."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import MentorProfile


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def refresh_search_document(
    sender: Any,
    instance: Any,
    created: bool,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    if created or (update_fields is not None and "full_name" not in update_fields):
        return  # for example the last_login update at every sign-in
    profile = MentorProfile.objects.filter(user=instance).select_related("user").first()
    if profile is not None and profile.search_document != profile.build_search_document():
        profile.save(update_fields=["search_document"])
