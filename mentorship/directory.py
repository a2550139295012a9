"""The mentor directory query: filters and text search over a programme's vetted mentors.

PostgreSQL gets full-text search (stemmed, so "leader" finds "leadership"); SQLite, the
zero-setup default, gets a plain case-insensitive match of every word.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from .models import Format, MentorProfile, Programme

SEARCH_FIELDS = ["user__full_name", "job_title", "organisation", "bio"]


def directory_queryset(programme: Programme) -> QuerySet[MentorProfile]:
    """Everything a directory card shows, in a fixed number of queries whatever the size."""
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
        vector = SearchVector(*SEARCH_FIELDS, config="english")
        query = SearchQuery(text, search_type="websearch", config="english")
        return queryset.annotate(search=vector).filter(search=query)
    for word in text.split():
        matches = Q()
        for field in SEARCH_FIELDS:
            matches |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(matches)
    return queryset


def apply_filters(queryset: QuerySet[MentorProfile], data: dict) -> QuerySet[MentorProfile]:
    """`data` is a directory filter form's cleaned data."""
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
    if data.get("free_place"):
        queryset = queryset.filter(is_accepting_requests=True, free_places__gt=0)
    return search(queryset, data.get("q") or "")
