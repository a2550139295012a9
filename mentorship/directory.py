"""The mentor directory query: filters and text search over a programme's vetted mentors.

PostgreSQL gets full-text search over a stored, indexed tsvector (stemmed, so "leading" finds
"leads"); SQLite, the zero-setup default, gets a case-insensitive match of whole words. Both
read a search the same way (mentorship/search_words.py) and give the same results for
specialty and goal names, abbreviations and synonyms.

Nothing here aggregates over the whole programme: "has a free place" comes from the cached
mentor pool, so a filtered page costs the same with 10 or 20,000 mentors.
"""

from __future__ import annotations

import hashlib
import operator
from functools import reduce

import numpy as np
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet

from matching.reasons import render_all
from matching.services import Ranking, mentor_pool, rank_mentors, reference_version

from .models import (
    AskCheck,
    Format,
    MenteeProfile,
    MentorProfile,
    MentorRequest,
    Mentorship,
    Programme,
)
from .search_words import read_query

PAGE_SIZE = 20


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
    """Mentors whose search document has every term of `text`: names, specialties, goals and
    words from their profile, with abbreviations and synonyms understood ("GP", "A&E", "QI",
    "MRCP"). How a search is read and matched: mentorship/search_words.py."""
    if not text.strip():
        return queryset
    terms = read_query(text)
    if not terms:  # only small words such as "the", which nothing is indexed under
        return queryset.none()
    if connection.vendor == "postgresql":
        # search_vector is a stored, GIN-indexed column that only PostgreSQL has (migration
        # 0003), so it is named here rather than declared on the model. A term is found when
        # any of its phrases is (||), and every term must be (&&).
        tsquery = " && ".join(
            "(" + " || ".join(["to_tsquery('english'::regconfig, %s)"] * len(t.phrases)) + ")"
            for t in terms
        )
        return queryset.extra(
            where=[f'"mentorship_mentorprofile"."search_vector" @@ ({tsquery})'],
            params=[query for term in terms for query in term.tsqueries()],
        )
    for term in terms:
        found = [Q(search_document__iregex=regex) for regex in term.regexes()]
        queryset = queryset.filter(reduce(operator.or_, found))
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


def ordered_mentor_ids(
    programme: Programme, data: dict, ranking: Ranking | None, *, leave_out: set[int]
) -> list[int]:
    """Mentor user ids in display order (the ranking's, or by name without one), narrowed
    by a filter form's cleaned data, without `leave_out` (the viewer and anyone they named
    as not to be their mentor)."""
    narrowing = any(data.get(k) for k in ("q", "specialty", "region", "goal", "format"))
    base = MentorProfile.objects.in_programme(programme)
    if ranking is None:
        rows = filter_mentors(base, data).order_by("user__full_name", "pk")
        ids = np.array(list(rows.values_list("user_id", flat=True)), dtype=np.int64)
    else:
        ids = ranking.ids
        if narrowing:
            wanted = list(filter_mentors(base, data).values_list("user_id", flat=True))
            ids = ids[np.isin(ids, wanted)]
    # Masks over the whole programme's ids keep their order; numpy, as Python loops over
    # 20,000 ids cost milliseconds a page.
    if data.get("free_place"):
        pool = mentor_pool(programme)
        ids = ids[np.isin(ids, pool.ids[pool.capacities > 0])]
    if leave_out:
        ids = ids[~np.isin(ids, list(leave_out))]
    return ids.tolist()


def ranking_exclusions(check: AskCheck) -> list[tuple[int, int]]:
    """matching.services.excluded_pairs() for this mentee, from the AskCheck the page loads
    anyway (the same three rules: declined them, not a good fit here, named by them), so the
    ranking does not query them again. tests/mentorship/test_directory_speed.py checks the
    two agree."""
    mentors = check.declined_by | check.not_a_good_fit | check.excluded
    return [(check.mentee_id, mentor_id) for mentor_id in sorted(mentors)]


def filter_form_key(form) -> str | None:
    """A cache key for the filter form's lists as rendered (their choices and the values
    chosen; the search box is rendered each time), so the page renders their hundred-odd
    options once per combination rather than per request; None when the cache cannot say
    which reference data is current."""
    version = reference_version()
    if version is None:
        return None
    names = [name for name in form.fields if name != "q" and name in form.data]
    data = [(name, form.data.getlist(name)) for name in sorted(names)]
    return f"{version}:{hashlib.sha256(repr(data).encode()).hexdigest()}"


def directory_page(
    programme: Programme, ids: list[int], ranking: Ranking | None, number: str | None
) -> Page:
    """One page of 20 mentors, loaded in a fixed number of queries, each with its score and
    reasons when there is a ranking."""
    page = Paginator(ids, PAGE_SIZE).get_page(number)
    profiles = directory_queryset(programme).in_bulk(list(page.object_list), field_name="user_id")
    mentors = []
    for mentor_id in page.object_list:
        profile = profiles.get(mentor_id)
        if profile is None:  # left the programme since the ranking was cached
            continue
        profile.match = ranking.score_of(mentor_id) if ranking else None
        profile.explanation = ranking.explain(profile) if profile.match is not None else None
        # The card's three reasons, worded once here rather than by a filter in the loop.
        profile.top_reasons = (
            render_all(profile.explanation.reasons, "mentee")[:3] if profile.explanation else []
        )
        mentors.append(profile)
    page.object_list = mentors
    return page


def next_best_mentors(mentee_user, programme: Programme, limit: int = 3) -> list[MentorProfile]:
    """After a request ends without a match: the mentee's best-ranked mentors who can still
    take them (a free place, not paused, never declined them) and whom they have not asked
    already; none once they have a mentor or are at their limit of open requests."""
    open_requests = MentorRequest.objects.open().filter(programme=programme, mentee=mentee_user)
    if Mentorship.objects.active().filter(programme=programme, mentee=mentee_user).exists():
        return []
    if open_requests.count() >= programme.max_open_requests:
        return []
    profile = (
        MenteeProfile.objects.filter(user=mentee_user)
        .select_related("target_specialty", "current_specialty", "region")
        .prefetch_related("mentee_goals__goal", "languages")
        .first()
    )
    if profile is None:
        return []
    ranking = rank_mentors(profile, programme)
    asked = set(open_requests.values_list("mentor_id", flat=True)) | {mentee_user.pk}
    ids = [
        int(mentor_id)
        for mentor_id, score in zip(ranking.ids, ranking.scores, strict=True)
        if score > float("-inf") and int(mentor_id) not in asked
    ][:limit]
    page = directory_page(programme, ids, ranking, None)
    return list(page.object_list)
