"""Programmes and the profiles that give people their roles.

The profile and programme fields used for matching arrive with the profiles issue; what is
here is what the role checks in accounts/permissions.py stand on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def managed_by(self, user: settings.AUTH_USER_MODEL) -> ProgrammeQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(managers=user)


class Programme(models.Model):
    """A mentoring scheme run by an organisation, with its own managers."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    organisation = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="managed_programmes", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MenteeProfile(models.Model):
    """Having one makes a person a mentee."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee_profile"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Mentee: {self.user}"


class MentorProfile(models.Model):
    """Having one makes a person a mentor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Mentor: {self.user}"
