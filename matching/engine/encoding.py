"""Turn features into small integer codes so that scoring is a table look-up per pair.

Every pair's score depends only on a handful of small levels (specialty 0-3, region 0/1,
format 0/1, lived IMG experience 0-3, free places 0-3) and on how many of the mentee's
goals the mentor supports. These pack into one 16-bit key per pair, and a precomputed table
maps each key to its score, so the per-pair work is a few byte-wide array operations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np

from .features import MenteeFeatures, MentorFeatures, Weights

# Fractions of each component's weight earned at each level; explain() uses the same ones.
SPECIALTY_LEVELS = (0.0, 0.25, 0.5, 1.0)  # none, shares current, same family, exact target
IMG_LEVELS = (0.0, 0.5, 0.75, 1.0)  # not an IMG, IMG, IMG sharing a language, same country
FULL_CAPACITY = 3  # this many free places or more earns the whole capacity weight
MIN_SCORE, MAX_SCORE = 0.0, 100.0

SPEC_EXACT, SPEC_FAMILY, SPEC_CURRENT = 3, 2, 1
IMG_COUNTRY, IMG_LANGUAGE, IMG_ONLY = 3, 2, 1


def clamp_score(total: float) -> float:
    """A total kept within 0-100 (rounding can leave it a hair outside)."""
    return min(max(total, MIN_SCORE), MAX_SCORE)


def capacity_level(capacity: int) -> int:
    """0 for a full mentor (not allowed), otherwise free places capped at FULL_CAPACITY."""
    return int(min(max(capacity, 0), FULL_CAPACITY))


def goal_fraction(n_goals: int, supported: int, top_supported: bool) -> float:
    """Share of the mentee's goals the mentor supports, the top goal counting double."""
    if n_goals == 0:
        return 0.0
    return (supported + int(top_supported)) / (n_goals + 1)


def unique_goals(goals: Iterable[str]) -> tuple[str, ...]:
    """The mentee's goals without repeats, keeping their order of importance."""
    return tuple(dict.fromkeys(goals))


def goal_offsets(max_goals: int) -> np.ndarray:
    """Code of (n goals, 0 supported); codes for n goals run over n + 2 weighted counts."""
    return np.concatenate([[0], np.cumsum(np.arange(max_goals + 1) + 2)]).astype(np.int64)


@lru_cache(maxsize=64)
def score_table(weights: Weights, max_goals: int) -> np.ndarray:
    """Score for every (goal code, key) pair: shape (goal codes, 256), -inf where not allowed."""
    w = weights
    scale = 100.0 / w.total
    offsets = goal_offsets(max_goals)
    goal_part = np.zeros(int(offsets[-1]))
    for n in range(max_goals + 1):
        for num in range(n + 2):
            frac = num / (n + 1) if n else 0.0
            goal_part[offsets[n] + num] = scale * w.goals * frac
    key = np.arange(256)
    spec = np.array(SPECIALTY_LEVELS)[key & 3] * w.specialty * scale
    region = ((key >> 2) & 1) * w.region * scale
    fmt = ((key >> 3) & 1) * w.format * scale
    img = np.array(IMG_LEVELS)[(key >> 4) & 3] * w.img_experience * scale
    cap_level = (key >> 6) & 3
    cap = cap_level / FULL_CAPACITY * w.capacity * scale
    # Same order of addition as explain(), so totals agree to the last bit or close to it.
    table = spec[None, :] + goal_part[:, None] + region[None, :] + fmt[None, :] + img[None, :]
    table = table + cap[None, :]
    # Rounding can push a perfect score just past 100 (100.00000000000001) or a zero just
    # below 0; explain() clamps the same way, so both stay in 0-100 and agree.
    np.clip(table, MIN_SCORE, MAX_SCORE, out=table)
    table[:, cap_level == 0] = -np.inf
    table.setflags(write=False)
    return table


def _vocab(values: Iterable[str | None]) -> dict[str, int]:
    vocab: dict[str, int] = {}
    for value in values:
        if value is not None and value not in vocab:
            vocab[value] = len(vocab)
    return vocab


def _membership(sets: Sequence[Iterable[str]], vocab: Mapping[str, int]) -> np.ndarray:
    """Boolean (len(vocab) + 1, len(sets)); the last row is for codes no mentor has."""
    has = np.zeros((len(vocab) + 1, len(sets)), dtype=bool)
    for j, values in enumerate(sets):
        for value in values:
            has[vocab[value], j] = True
    return has


class MentorPool:
    """Mentors encoded once. Cache one per programme and pass it instead of the list."""

    def __init__(
        self, mentors: Iterable[MentorFeatures], families: Mapping[str, str] | None = None
    ) -> None:
        self.mentors: tuple[MentorFeatures, ...] = tuple(mentors)
        self.families: Mapping[str, str] = dict(families or {})
        ms = self.mentors
        self.ids = np.array([m.id for m in ms], dtype=np.int64)
        self.capacities = np.array([max(int(m.capacity), 0) for m in ms], dtype=np.int64)
        self.specialties = _vocab(s for m in ms for s in m.specialties)
        self.spec_has = _membership([m.specialties for m in ms], self.specialties)
        fams = [{self.families[s] for s in m.specialties if s in self.families} for m in ms]
        self.family_codes = _vocab(f for fs in fams for f in sorted(fs))
        self.family_has = _membership(fams, self.family_codes)
        self.regions = _vocab(m.region for m in ms)
        self.region_code = np.array([self.regions.get(m.region, -1) for m in ms], dtype=np.int32)
        self.formats = _vocab(f for m in ms for f in sorted(m.formats))
        self.format_has = _membership([m.formats for m in ms], self.formats)
        self.countries = _vocab(m.country for m in ms)
        self.country_code = np.array([self.countries.get(m.country, -1) for m in ms], np.int32)
        self.languages = _vocab(lang for m in ms for lang in sorted(m.languages))
        self.language_has = _membership([m.languages for m in ms], self.languages)
        self.is_img = np.array([m.is_img for m in ms], dtype=bool)
        self.cap_bits = np.minimum(self.capacities, FULL_CAPACITY).astype(np.uint8) << np.uint8(6)
        self.goals = _vocab(g for m in ms for g in sorted(m.goals))
        self.goal_words = max(1, -(-2 * len(self.goals) // 64))
        v = len(self.goals)
        self.goal_masks = _words(
            [sum(1 << self.goals[g] for g in m.goals) * ((1 << v) + 1) for m in ms],
            self.goal_words,
        )  # each goal twice: a plain copy and a "top goal" copy
        order = np.argsort(self.ids, kind="stable")
        self._ids_sorted, self._ids_order = self.ids[order], order

    def __len__(self) -> int:
        return len(self.ids)

    def __getstate__(self) -> dict:
        # A cached pool is only scored against: the encoded arrays are all it needs, and
        # leaving out the features themselves makes it about ten times faster to load.
        state = dict(self.__dict__)
        state["mentors"] = ()
        return state

    def indices_of(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in `ids`, mentor index) for every mentor whose id is in `ids`."""
        lo = np.searchsorted(self._ids_sorted, ids, side="left")
        hi = np.searchsorted(self._ids_sorted, ids, side="right")
        counts = hi - lo
        which = np.repeat(np.arange(len(ids)), counts)
        starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
        return which, self._ids_order[starts + np.arange(counts.sum())]


def _words(masks: list[int], words: int) -> np.ndarray:
    """Python int bitmasks as a (len(masks), words) uint64 array."""
    out = np.zeros((len(masks), words), dtype=np.uint64)
    for w in range(words):
        part = [(mask >> (64 * w)) & 0xFFFFFFFFFFFFFFFF for mask in masks]
        out[:, w] = np.array(part, dtype=np.uint64)
    return out


def _classes(keys: list) -> tuple[list, np.ndarray]:
    index: dict = {}
    codes = np.fromiter((index.setdefault(k, len(index)) for k in keys), np.int64, len(keys))
    return list(index), codes


class EncodedMentees:
    """Mentees encoded against one pool: per-class rows of levels, goal masks, blocked pairs."""

    def __init__(
        self,
        pool: MentorPool,
        mentees: Sequence[MenteeFeatures],
        excluded: Iterable[tuple[int, int]] = (),
    ) -> None:
        self.pool, self.mentees = pool, tuple(mentees)
        p, ms = pool, self.mentees
        self.ids = np.array([m.id for m in ms], dtype=np.int64)
        unknown_spec = len(p.specialties)
        fam_none = len(p.family_codes)

        spec_keys, self.spec_cls = _classes([(m.target_specialty, m.current_specialty) for m in ms])
        rows = np.zeros((len(spec_keys), len(p)), dtype=np.uint8)
        for c, (target, current) in enumerate(spec_keys):
            t = p.specialties.get(target, unknown_spec)
            f = p.family_codes.get(p.families.get(target), fam_none)  # type: ignore[arg-type]
            cur = p.specialties.get(current, unknown_spec) if current else unknown_spec
            rows[c] = np.maximum.reduce(
                [
                    p.spec_has[t] * np.uint8(SPEC_EXACT),
                    p.family_has[f] * np.uint8(SPEC_FAMILY),
                    p.spec_has[cur] * np.uint8(SPEC_CURRENT),
                ]
            )
        self.spec_rows = rows | p.cap_bits

        place_keys, self.place_cls = _classes([(m.region, m.formats) for m in ms])
        rows = np.zeros((len(place_keys), len(p)), dtype=np.uint8)
        for c, (region, formats) in enumerate(place_keys):
            if region is not None and region in p.regions:
                rows[c] |= (p.region_code == p.regions[region]).astype(np.uint8) << 2
            codes = [p.formats[f] for f in formats if f in p.formats]
            if codes:
                rows[c] |= p.format_has[codes].any(axis=0).astype(np.uint8) << 3
        self.place_rows = rows

        img_keys, self.img_cls = _classes([(m.country, m.languages) for m in ms])
        rows = np.zeros((len(img_keys), len(p)), dtype=np.uint8)
        for c, (country, languages) in enumerate(img_keys):
            level = np.full(len(p), IMG_ONLY, dtype=np.uint8)
            codes = [p.languages[lang] for lang in languages if lang in p.languages]
            if codes:
                level[p.language_has[codes].any(axis=0)] = IMG_LANGUAGE
            if country is not None and country in p.countries:
                level[p.country_code == p.countries[country]] = IMG_COUNTRY
            rows[c] = np.where(p.is_img, level, 0).astype(np.uint8) << 4
        self.img_rows = rows

        goals = [unique_goals(m.goals) for m in ms]
        self.max_goals = max((len(g) for g in goals), default=0)
        offsets = goal_offsets(self.max_goals)
        self._code_dtype = np.uint16 if offsets[-1] <= 256 else np.uint32
        self.goal_offset = np.array([offsets[len(g)] for g in goals], dtype=self._code_dtype)
        v = len(p.goals)
        ints = []
        for gs in goals:
            mask = sum(1 << p.goals[g] for g in gs if g in p.goals)
            if gs and gs[0] in p.goals:
                mask |= 1 << (p.goals[gs[0]] + v)
            ints.append(mask)
        masks = _words(ints, p.goal_words)
        self.goal_masks = masks
        self._narrow = p.goal_words == 1 and 2 * v <= 32
        if self._narrow:  # 32-bit masks halve the memory traffic of the goal step
            self.goal_masks32 = masks[:, 0].astype(np.uint32)
            self.mentor_masks32 = p.goal_masks[:, 0].astype(np.uint32)
        self.blocked_rows, self.blocked_cols = self._blocked(excluded)

    def __len__(self) -> int:
        return len(self.mentees)

    def _blocked(self, excluded: Iterable[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        """Pairs that are never allowed: the same person, or listed in `excluded`."""
        rows, cols = [], []
        which, idx = self.pool.indices_of(self.ids)  # same user on both sides
        rows.append(which)
        cols.append(idx)
        pairs = list(excluded)
        if pairs:
            mentee_rows: dict[int, list[int]] = {}
            for i, mentee_id in enumerate(self.ids.tolist()):
                mentee_rows.setdefault(mentee_id, []).append(i)
            mentor_cols: dict[int, list[int]] = {}
            for j, mentor_id in enumerate(self.pool.ids.tolist()):
                mentor_cols.setdefault(mentor_id, []).append(j)
            for mentee_id, mentor_id in pairs:
                for i in mentee_rows.get(mentee_id, ()):
                    cs = mentor_cols.get(mentor_id, [])
                    rows.append(np.full(len(cs), i, dtype=np.int64))
                    cols.append(np.array(cs, dtype=np.int64))
        r = np.concatenate(rows).astype(np.int64)
        c = np.concatenate(cols).astype(np.int64)
        order = np.argsort(r, kind="stable")
        return r[order], c[order]

    def spec_bounds(self, table: np.ndarray) -> np.ndarray:
        """For each value of a spec row entry (specialty level and capacity bits), the most
        any pair with it can score, whatever the goals, place and IMG parts: a bound that
        lets the optimal mode skip mentors who cannot break their prices."""
        key = np.arange(256)
        bound = np.full(256, -np.inf)
        for v in np.unique(self.spec_rows):
            with_v = (key & ~0b0011_1100) == v  # the place and IMG bits may be anything
            bound[v] = table[:, with_v].max()
        return bound

    def block_cols(self, table: np.ndarray, rows: np.ndarray, cols: np.ndarray, out=None):
        """Scores of the given mentees, all of one specialty class, against some mentors."""
        key = self.spec_rows[self.spec_cls[rows[0]], cols][None, :]
        key = key | self.place_rows[self.place_cls[rows]][:, cols]
        key |= self.img_rows[self.img_cls[rows]][:, cols]
        if self._narrow:
            num = np.bitwise_count(self.goal_masks32[rows, None] & self.mentor_masks32[None, cols])
        else:
            num = np.zeros(key.shape, dtype=np.uint16)
            masks = self.pool.goal_masks[cols]
            for w in range(self.pool.goal_words):
                num += np.bitwise_count(self.goal_masks[rows, w, None] & masks[None, :, w])
        code = num.astype(self._code_dtype)
        code += self.goal_offset[rows, None]
        code <<= 8
        code |= key
        out = np.take(table.ravel(), code, out=out, mode="clip")
        lo = np.searchsorted(self.blocked_rows, rows, side="left")
        hi = np.searchsorted(self.blocked_rows, rows, side="right")
        counts = hi - lo
        if counts.any():
            which = np.repeat(np.arange(len(rows)), counts)
            first = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
            at = np.full(len(self.pool), -1)
            at[cols] = np.arange(len(cols))
            pos = at[self.blocked_cols[first]]
            hit = pos >= 0
            out[which[hit], pos[hit]] = -np.inf
        return out

    def block(self, table: np.ndarray, rows: slice | np.ndarray, out: np.ndarray | None = None):
        """Scores of the given mentees (a slice or index array) against every mentor."""
        key = self.spec_rows[self.spec_cls[rows]]
        key |= self.place_rows[self.place_cls[rows]]
        key |= self.img_rows[self.img_cls[rows]]
        if self._narrow:
            num = np.bitwise_count(self.goal_masks32[rows, None] & self.mentor_masks32[None, :])
        else:
            num = np.zeros(key.shape, dtype=np.uint16)
            for w in range(self.pool.goal_words):
                both = self.goal_masks[rows, w, None] & self.pool.goal_masks[None, :, w]
                num += np.bitwise_count(both)
        code = num.astype(self._code_dtype)
        code += self.goal_offset[rows, None]
        code <<= 8
        code |= key
        out = np.take(table.ravel(), code, out=out, mode="clip")  # "raise" buffers the output
        if isinstance(rows, slice):
            rows = np.arange(*rows.indices(len(self)))
        lo = np.searchsorted(self.blocked_rows, rows, side="left")
        hi = np.searchsorted(self.blocked_rows, rows, side="right")
        counts = hi - lo
        if counts.any():
            which = np.repeat(np.arange(len(rows)), counts)
            first = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
            out[which, self.blocked_cols[first]] = -np.inf
        return out
