"""Forget cached mentor pools when anything they are built from changes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from mentorship.models import (
    Goal,
    Language,
    MentorMembership,
    MentorProfile,
    MentorRequest,
    Mentorship,
    Region,
    Specialty,
    SpecialtyFamily,
)

from .services import forget_pools, refresh_mentor_in_pools


def _programmes_of(user_id: int) -> list[int]:
    return list(
        MentorMembership.objects.filter(user_id=user_id).values_list("programme_id", flat=True)
    )


def _forget_for_mentor(user_id: int) -> None:
    programme_ids = _programmes_of(user_id)
    # After commit: the patch (or a request that rebuilds the pool) must see the change.
    transaction.on_commit(lambda: refresh_mentor_in_pools(user_id, programme_ids))


@receiver([post_save, post_delete], sender=MentorProfile)
def mentor_profile_changed(sender: Any, instance: MentorProfile, **kwargs: Any) -> None:
    _forget_for_mentor(instance.user_id)


@receiver(m2m_changed, sender=MentorProfile.goals.through)
@receiver(m2m_changed, sender=MentorProfile.other_specialties.through)
@receiver(m2m_changed, sender=MentorProfile.languages.through)
def mentor_lists_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and isinstance(instance, MentorProfile):
        _forget_for_mentor(instance.user_id)


@receiver([post_save, post_delete], sender=MentorMembership)
def membership_changed(sender: Any, instance: MentorMembership, **kwargs: Any) -> None:
    programme_id = instance.programme_id
    transaction.on_commit(lambda: forget_pools([programme_id]))


@receiver([post_save, post_delete], sender=Mentorship)
def mentorship_changed(sender: Any, instance: Mentorship, **kwargs: Any) -> None:
    """Free places count active mentorships, in every programme the mentor is in."""
    _forget_for_mentor(instance.mentor_id)


@receiver([post_save, post_delete], sender=MentorRequest)
def mentor_request_changed(sender: Any, instance: MentorRequest, **kwargs: Any) -> None:
    """Free places count the places held by requests (accepted, or approved proposals)."""
    _forget_for_mentor(instance.mentor_id)


@receiver([post_save, post_delete], sender=Specialty)
@receiver([post_save, post_delete], sender=SpecialtyFamily)
@receiver([post_save, post_delete], sender=Goal)  # their names are cached for reasons
@receiver([post_save, post_delete], sender=Region)
@receiver([post_save, post_delete], sender=Language)
def reference_data_changed(sender: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: forget_pools(None))
