"""Keep mentors' search documents in step with what they hold that a profile's own save
cannot see: the person's name, the lists of goals and other specialties, and the names of
specialties and goals (editable in the admin)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from .models import Goal, MentorProfile, Specialty


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
    MentorProfile.objects.filter(user=instance).refresh_search_documents()


@receiver(m2m_changed, sender=MentorProfile.goals.through)
@receiver(m2m_changed, sender=MentorProfile.other_specialties.through)
def refresh_after_list_change(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    # Only from the profile's side: Goal and Specialty have no way back to it (related_name
    # "+"), so the lists cannot be changed from there.
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, MentorProfile):
        MentorProfile.objects.filter(pk=instance.pk).refresh_search_documents()


@receiver(pre_save, sender=Specialty)
@receiver(pre_save, sender=Goal)
def remember_saved_name(sender: Any, instance: Any, **kwargs: Any) -> None:
    saved = sender.objects.filter(pk=instance.pk).values_list("name", flat=True)
    instance._saved_name = saved.first() if instance.pk else None


@receiver(post_save, sender=Specialty)
@receiver(post_save, sender=Goal)
def refresh_after_rename(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created or getattr(instance, "_saved_name", None) in (None, instance.name):
        return
    if sender is Specialty:
        holders = Q(primary_specialty=instance) | Q(other_specialties=instance)
    else:
        holders = Q(goals=instance)
    mentors = MentorProfile.objects.filter(holders).values("pk")
    MentorProfile.objects.filter(pk__in=mentors).refresh_search_documents()
