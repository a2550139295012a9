"""What matching keeps in the cache: each programme's encoded mentors (a MentorPool), and the
names of the codes a reason can mention.

A directory page must not load every mentor, so the pool is built once and cached under
version numbers that move when anything it is built from changes (matching/signals.py). One
mentor's change patches their row into the cached pool (refresh_mentor_in_pools) instead of
dropping it: rebuilding 20,000 rows is what made the first page after a change slow.
"""

from __future__ import annotations

import copy
import logging
import secrets

import numpy as np
from django.core.cache import cache
from django_countries import countries

from mentorship.models import Goal, Language, MentorProfile, Programme, Region, Specialty

from .engine import MentorFeatures, MentorPool
from .engine.encoding import FULL_CAPACITY, _words

log = logging.getLogger(__name__)

POOL_TIMEOUT = 60 * 60 * 24  # invalidated on change; the timeout only bounds stale keys
_GLOBAL_VERSION = "matching:version"


# --- Reference data ---------------------------------------------------------------------


def specialty_families() -> dict[str, str]:
    return dict(Specialty.objects.values_list("code", "family__code"))


def labels() -> dict[str, str]:
    """Display names for every code a reason can mention, as written ("English", not the code
    "english"): a reason keeps them, and matching/reasons.py shows them as they are."""
    names: dict[str, str] = dict(countries)
    for model in (Specialty, Goal, Region, Language):
        names.update(model.objects.values_list("code", "name"))
    return names


_local_labels: tuple[str | None, dict[str, str]] = (None, {})  # (key, names) last read here


def cached_labels() -> dict[str, str]:
    """labels(), from the cache until reference data changes (matching/signals.py moves the
    global version on any change to a specialty, goal, region or language): four queries
    every directory page would otherwise repeat."""
    global _local_labels
    try:
        version = _version(_GLOBAL_VERSION)
        if version is None:
            return labels()
        key = f"matching:labels:{version}"
        remembered = _local_labels
        if remembered[0] == key:  # as _local_pools: the same version, the same names
            return remembered[1]
        names = cache.get(key)
        if names is None:
            names = labels()
            cache.set(key, names, timeout=POOL_TIMEOUT)
        _local_labels = (key, names)
        return names
    except Exception:
        log.warning("Cache unavailable; reading labels without it", exc_info=True)
        return labels()


# --- The cached mentor pool -------------------------------------------------------------


def _versions(*keys: str) -> list[int] | None:
    """The current numbers of these version keys, in one round trip; None when the cache
    does not answer (then nothing may be taken from it, nor remembered)."""
    found = cache.get_many(keys)
    if len(found) < len(keys):
        for key in keys:
            if key not in found:
                # A random start, not 1: after the cache is flushed a version must not repeat
                # one seen before, or a process could take the pool it remembers
                # (_local_pools) for the current one.
                cache.add(key, secrets.randbelow(2**40), timeout=None)
        found = cache.get_many(keys)
        if len(found) < len(keys):
            return None
    return [int(found[key]) for key in keys]


def _version(key: str) -> int | None:
    found = _versions(key)
    return found[0] if found else None


def _pool_key(programme_id: int) -> str | None:
    """The cache key of the programme's pool as things stand, or None if the cache is down."""
    found = _versions(_GLOBAL_VERSION, f"matching:version:{programme_id}")
    return None if found is None else f"matching:pool:{programme_id}:{found[0]}:{found[1]}"


def reference_version() -> int | None:
    """A number that moves whenever specialties, goals, regions or languages change
    (matching/signals.py), for caches of anything made from them; None if the cache is down."""
    return _version(_GLOBAL_VERSION)


def forget_pools(programme_ids: list[int] | None = None) -> None:
    """Mentor data changed: the next request rebuilds the affected programmes' pools.
    None means every programme (reference data such as specialty families changed)."""
    keys = (
        [_GLOBAL_VERSION]
        if programme_ids is None
        else [f"matching:version:{pk}" for pk in programme_ids]
    )
    try:
        for key in keys:
            try:
                cache.incr(key)
            except ValueError:  # not there yet: nothing is cached under it
                _version(key)
    except Exception:  # the cache is down: nothing can be served from it either
        log.warning("Could not forget cached mentor pools %s", programme_ids, exc_info=True)


def programme_mentor_features(
    programme: Programme | int, user_ids: list[int] | None = None
) -> list[MentorFeatures]:
    """mentor_features() for every vetted mentor of a programme (or only those of `user_ids`),
    in six flat queries (no model instances: a programme may have tens of thousands of
    mentors). Ordered by user id."""
    profiles = MentorProfile.objects.in_programme(programme)
    if user_ids is not None:
        profiles = profiles.filter(user_id__in=user_ids)
    rows = (
        profiles.with_free_places()
        .order_by("user_id")
        .values_list(
            "id",
            "user_id",
            "primary_specialty__code",
            "region__code",
            "in_person",
            "virtual",
            "shadowing",
            "is_img",
            "qualification_country",
            "free_places",
        )
    )
    ids = profiles.values("id")

    def related(field: str, code: str) -> dict[int, list[str]]:
        through = getattr(MentorProfile, field).through
        found: dict[int, list[str]] = {}
        pairs = through.objects.filter(mentorprofile__in=ids).values_list(
            "mentorprofile_id", f"{code}__code"
        )
        for profile_id, value in pairs.order_by(f"{code}__name"):
            found.setdefault(profile_id, []).append(value)
        return found

    goals = related("goals", "goal")
    others = related("other_specialties", "specialty")
    languages = related("languages", "language")
    features = []
    for (
        pk,
        user_id,
        primary,
        region,
        in_person,
        virtual,
        shadowing,
        is_img,
        country,
        free,
    ) in rows:
        formats = frozenset(
            code
            for code, on in (
                ("in_person", in_person),
                ("virtual", virtual),
                ("shadowing", shadowing),
            )
            if on
        )
        specialties = [primary] + [s for s in others.get(pk, []) if s != primary]
        features.append(
            MentorFeatures(
                id=user_id,
                specialties=tuple(specialties),
                goals=frozenset(goals.get(pk, [])),
                region=region,
                formats=formats,
                is_img=is_img,
                country=country or None,
                languages=frozenset(languages.get(pk, [])),
                capacity=free,
            )
        )
    return features


def build_pool(programme: Programme | int) -> MentorPool:
    return MentorPool(programme_mentor_features(programme), specialty_families())


# The last pool each process read, by programme: (cache key, pool). The key names the versions
# it was built at, so a pool is reused only while nothing changed; the request then reads two
# small version numbers from the cache instead of a pool of several megabytes.
_local_pools: dict[int, tuple[str, MentorPool]] = {}


def mentor_pool(programme: Programme) -> MentorPool:
    """The programme's vetted mentors, encoded, from the cache when nothing changed. If the
    cache is unreachable the pool is built for this request alone: slower, never wrong."""
    try:
        key = _pool_key(programme.pk)
        if key is None:
            log.warning("Cache unavailable; building the mentor pool without it")
            return build_pool(programme)
        remembered = _local_pools.get(programme.pk)
        if remembered is not None and remembered[0] == key:
            return remembered[1]
        pool = cache.get(key)
    except Exception:
        log.warning("Cache unavailable; building the mentor pool without it", exc_info=True)
        return build_pool(programme)
    if pool is None:
        pool = build_pool(programme)
        try:
            cache.set(key, pool, timeout=POOL_TIMEOUT)
        except Exception:
            log.warning("Could not cache the mentor pool", exc_info=True)
    _local_pools[programme.pk] = (key, pool)
    return pool


# --- Patching one mentor into a cached pool ---------------------------------------------

# What a MentorPool holds (matching/engine/encoding.py). A pool with anything else was built
# by an engine this code does not know how to patch: it is rebuilt instead.
_POOL_ATTRIBUTES = frozenset(
    "mentors families ids capacities specialties spec_has family_codes family_has regions "
    "region_code formats format_has countries country_code languages language_has is_img "
    "cap_bits goals goal_words goal_masks _ids_sorted _ids_order".split()
)
_LOCK_SECONDS = 10  # longest a patch may hold a programme's lock (it takes milliseconds)


def patched_pool(pool: MentorPool, mentors: list[MentorFeatures]) -> MentorPool | None:
    """A copy of `pool` with these mentors' rows encoded afresh, exactly as building the pool
    again would encode them; None when a patch cannot be exact (a mentor not in the pool, a
    specialty, goal, region, country, language or format no mentor had before: the
    vocabularies would change), and the pool must be rebuilt."""
    if set(vars(pool)) != _POOL_ATTRIBUTES:
        return None
    new = copy.copy(pool)
    for name in ("capacities", "cap_bits", "spec_has", "family_has", "region_code", "format_has"):
        setattr(new, name, getattr(pool, name).copy())
    for name in ("country_code", "language_has", "is_img", "goal_masks"):
        setattr(new, name, getattr(pool, name).copy())
    for mentor in mentors:
        where = np.flatnonzero(pool.ids == mentor.id)
        families = {pool.families[s] for s in mentor.specialties if s in pool.families}
        known = (
            len(where) == 1
            and set(mentor.specialties) <= pool.specialties.keys()
            and families <= pool.family_codes.keys()
            and (mentor.region is None or mentor.region in pool.regions)
            and mentor.formats <= pool.formats.keys()
            and (mentor.country is None or mentor.country in pool.countries)
            and mentor.languages <= pool.languages.keys()
            and mentor.goals <= pool.goals.keys()
        )
        if not known:
            return None
        j = int(where[0])
        capacity = max(int(mentor.capacity), 0)
        new.capacities[j] = capacity
        new.cap_bits[j] = np.uint8(min(capacity, FULL_CAPACITY)) << np.uint8(6)
        for has, vocab, codes in (
            (new.spec_has, pool.specialties, mentor.specialties),
            (new.family_has, pool.family_codes, families),
            (new.format_has, pool.formats, mentor.formats),
            (new.language_has, pool.languages, mentor.languages),
        ):
            has[:, j] = False
            has[[vocab[c] for c in codes], j] = True
        new.region_code[j] = pool.regions.get(mentor.region, -1)
        new.country_code[j] = pool.countries.get(mentor.country, -1)
        new.is_img[j] = mentor.is_img
        mask = sum(1 << pool.goals[g] for g in mentor.goals) * ((1 << len(pool.goals)) + 1)
        new.goal_masks[j] = _words([mask], pool.goal_words)[0]
    return new


def refresh_mentor_in_pools(user_id: int, programme_ids: list[int]) -> None:
    """One mentor changed (their profile, lists, places or pausing): patch their row into each
    cached pool of their programmes rather than rebuild 20,000 rows on the next request.
    Run after commit, so the row read is the committed one.

    Safe under concurrent writers: patchers of one programme take turns (a cache lock), and a
    patched pool is stored only under the version this patch itself moved to; if anything
    else moved the version meanwhile (another change, forget_pools), the patch is dropped and
    the next request rebuilds. Whatever cannot be patched is forgotten, as before."""
    for programme_id in programme_ids:
        try:
            if not _patch_programme_pool(programme_id, user_id):
                forget_pools([programme_id])
        except Exception:
            log.warning("Could not patch the mentor pool of %s", programme_id, exc_info=True)
            forget_pools([programme_id])


def _patch_programme_pool(programme_id: int, user_id: int) -> bool:
    lock = f"matching:pool-lock:{programme_id}"
    if not cache.add(lock, 1, timeout=_LOCK_SECONDS):
        return False  # another patch is running: rebuilding later is always right
    try:
        version_key = f"matching:version:{programme_id}"
        found = _versions(_GLOBAL_VERSION, version_key)
        if found is None:
            return False
        global_version, version = found
        key = f"matching:pool:{programme_id}:{global_version}:{version}"
        remembered = _local_pools.get(programme_id)
        pool = remembered[1] if remembered and remembered[0] == key else cache.get(key)
        if pool is None:
            return False
        mentors = programme_mentor_features(programme_id, [user_id])
        patched = patched_pool(pool, mentors) if mentors else None
        if patched is None:
            return False
        # Move the version first, then store under it: a request that reads the new version
        # before the pool is there rebuilds (correct, only slower); storing first could hide a
        # change made by whoever else moved the version.
        moved_to = cache.incr(version_key)
        if moved_to == version + 1 and _version(_GLOBAL_VERSION) == global_version:
            key = f"matching:pool:{programme_id}:{global_version}:{moved_to}"
            cache.set(key, patched, timeout=POOL_TIMEOUT)
            _local_pools[programme_id] = (key, patched)
        return True
    finally:
        cache.delete(lock)
