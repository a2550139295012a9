"""Reference data: specialties (in families), goals, regions and languages.

Each has a stable `code` slug that the matching engine uses; names can be edited in the admin
without breaking anything. The rows are created by data migrations.
"""

from __future__ import annotations

from django.db import models


class ReferenceQuerySet(models.QuerySet):
    def active(self) -> ReferenceQuerySet:
        return self.filter(is_active=True)


class ReferenceData(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(
        default=True, help_text="Inactive entries stay on old profiles but are not offered."
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class SpecialtyFamily(ReferenceData):
    """A group of near specialties (e.g. medicine, surgery) that score partially."""

    class Meta(ReferenceData.Meta):
        verbose_name_plural = "specialty families"


class Specialty(ReferenceData):
    family = models.ForeignKey(
        SpecialtyFamily, on_delete=models.PROTECT, related_name="specialties"
    )

    class Meta(ReferenceData.Meta):
        verbose_name_plural = "specialties"
        ordering = ["name"]


class Goal(ReferenceData):
    """What a mentee wants to develop and a mentor can support."""

    description = models.CharField(max_length=250, blank=True)


class Region(ReferenceData):
    """NHS England regions, plus Scotland, Wales and Northern Ireland."""


class Language(ReferenceData):
    class Meta(ReferenceData.Meta):
        ordering = ["name"]
