"""The mentor directory query: filters and text search over a programme's vetted mentors.

PostgreSQL gets full-text search over a stored, indexed tsvector (stemmed, so "leading" finds
"leadership"); SQLite, the zero-setup default, gets a case-insensitive match of every word.
Nothing here aggregates over the whole programme: "has a free place" comes from the cached
mentor pool, so a filtered page costs the same with 10 or 20,000 mentors.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from .models import Format, MentorProfile, Programme


def directory_queryset(programme: Programme) -> QuerySet[MentorProfile]:
    """Everything a directory card shows, in a fixed number of queries whatever the size.
    Use it for the page's 20 rows: the free-places annotation groups every row it reads."""
    return (
        MentorProfile.objects.in_programme(programme)
        .with_free_places()
        .select_related("user", "primary_specialty", "region")
        .prefetch_related("goals", "other_specialties", "languages")
    )


def search(queryset: QuerySet[MentorProfile], text: str) -> QuerySet[MentorProfile]:
    text = " ".join(text.split())
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        # search_vector is a stored, GIN-indexed column that only PostgreSQL has (migration
        # 0003), so it is named here rather than declared on the model.
        return queryset.extra(
            where=[
                '"mentorship_mentorprofile"."search_vector" @@ '
                "websearch_to_tsquery('english'::regconfig, %s)"
            ],
            params=[text],
        )
    for word in text.split():
        queryset = queryset.filter(search_document__icontains=word)
    return queryset


def filter_mentors(queryset: QuerySet[MentorProfile], data: dict) -> QuerySet[MentorProfile]:
    """Apply a directory filter form's cleaned data, all but "only with a free place", which
    the caller answers from the cached mentor pool."""
    if data.get("specialty"):
        specialty = data["specialty"]
        queryset = queryset.filter(
            Q(primary_specialty=specialty) | Q(other_specialties=specialty)
        ).distinct()
    if data.get("region"):
        queryset = queryset.filter(region=data["region"])
    if data.get("goal"):
        queryset = queryset.filter(goals=data["goal"])
    if data.get("format") in Format.values:
        queryset = queryset.filter(**{data["format"]: True})
    return search(queryset, data.get("q") or "")
