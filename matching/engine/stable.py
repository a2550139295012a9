"""Stable assignment: mentee-proposing deferred acceptance with mentor capacities.

Every free mentee proposes, in rounds, to its best mentor not yet tried; each mentor keeps its
best proposals up to its capacity and turns down the rest. Preferences are strict: the higher
score first, then the lower index. Whatever the order of proposals, this ends in the same
matching, the best stable one for every mentee.

Preferences are generated lazily, a few dozen at a time per mentee, and a proposal the mentor
would turn down anyway (it is full of mentees it prefers) is skipped: its places only get
better, so the turn-down would be final. This avoids sorting a billion pairs.
"""

from __future__ import annotations

import numpy as np

from .sources import CHUNK_PAIRS, ScoreSource


def solve_stable(source: ScoreSource, caps: np.ndarray, *, batch: int = 32) -> np.ndarray:
    """Mentor index per mentee (-1 for none): the mentee-optimal stable matching."""
    n, m = source.shape
    if n == 0 or m == 0:
        return np.full(n, -1, dtype=np.int64)
    state = _State(n, m, caps, max(1, min(batch, m)))
    while True:
        proposers, mentors, scores = state.next_proposals(source)
        if not len(proposers):
            return state.held
        state.consider(proposers, mentors, scores)


class _State:
    def __init__(self, n: int, m: int, caps: np.ndarray, batch: int) -> None:
        self.n, self.m, self.caps, self.batch = n, m, caps, batch
        self.held = np.full(n, -1, dtype=np.int64)
        self.held_score = np.zeros(n)
        self.count = np.zeros(m, dtype=np.int64)
        self.worst_score = np.full(m, np.inf)  # only read when the mentor is full
        self.worst_index = np.full(m, -1, dtype=np.int64)
        self.buf_col = np.zeros((n, batch), dtype=np.int64)
        self.buf_score = np.full((n, batch), -np.inf)
        self.buf_len = np.zeros(n, dtype=np.int64)
        self.pos = np.zeros(n, dtype=np.int64)
        self.last_score = np.full(n, np.inf)
        self.last_col = np.full(n, -1, dtype=np.int64)
        self.complete = np.zeros(n, dtype=bool)  # the buffer holds all that is left
        self.done = np.zeros(n, dtype=bool)

    def accepts(self, mentors, scores, mentees) -> np.ndarray:
        """Would each mentor take this mentee now (free place, or better than its worst)?"""
        caps = self.caps[mentors]
        room = self.count[mentors] < caps
        worst = self.worst_score[mentors]
        better = (scores > worst) | ((scores == worst) & (mentees < self.worst_index[mentors]))
        return (caps > 0) & np.isfinite(scores) & (room | better)

    def next_proposals(self, source: ScoreSource):
        free = np.flatnonzero((self.held < 0) & ~self.done)
        out_i, out_j, out_s = [], [], []
        while len(free):
            cols, scores = self.buf_col[free], self.buf_score[free]
            slot = np.arange(self.batch)
            live = (slot >= self.pos[free, None]) & (slot < self.buf_len[free, None])
            ok = live & self.accepts(cols, scores, free[:, None])
            has = ok.any(axis=1)
            first = ok.argmax(axis=1)
            go = free[has]
            self.pos[go] = first[has] + 1
            out_i.append(go)
            out_j.append(cols[has, first[has]])
            out_s.append(scores[has, first[has]])
            empty = free[~has]
            self.pos[empty] = self.buf_len[empty]
            self.done[empty[self.complete[empty]]] = True
            free = empty[~self.complete[empty]]
            if len(free):
                self.refill(source, free)
        if not out_i:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_s)

    def refill(self, source: ScoreSource, rows: np.ndarray) -> None:
        """Load each mentee's next `batch` mentors that would still take them, in order."""
        step = max(1, CHUNK_PAIRS // self.m)
        cols = np.arange(self.m)
        for lo in range(0, len(rows), step):
            r = rows[lo : lo + step]
            scores = np.array(source.block(r), dtype=np.float64)
            last_s, last_c = self.last_score[r, None], self.last_col[r, None]
            after = (scores < last_s) | ((scores == last_s) & (cols > last_c))
            ok = after & self.accepts(cols[None, :], scores, r[:, None])
            scores[~ok] = -np.inf
            idx, vals = _best_in_order(scores, self.batch)
            length = np.isfinite(vals).sum(axis=1)
            self.buf_col[r], self.buf_score[r] = idx, vals
            self.buf_len[r], self.pos[r] = length, 0
            self.complete[r] = length < self.batch
            has = length > 0
            last = np.maximum(length - 1, 0)
            self.last_score[r[has]] = vals[has, last[has]]
            self.last_col[r[has]] = idx[has, last[has]]

    def consider(self, mentees, mentors, scores) -> None:
        """Each mentor keeps its best proposals up to capacity and turns down the rest."""
        touched = np.zeros(self.m + 1, dtype=bool)
        touched[mentors] = True
        held_at = np.where(self.held >= 0, self.held, self.m)
        keep_held = np.flatnonzero(touched[held_at])
        i = np.concatenate([keep_held, mentees])
        j = np.concatenate([self.held[keep_held], mentors])
        s = np.concatenate([self.held_score[keep_held], scores])
        order = np.lexsort((i, -s, j))
        i, j, s = i[order], j[order], s[order]
        starts = np.flatnonzero(np.r_[True, j[1:] != j[:-1]])
        rank = np.arange(len(j)) - np.repeat(starts, np.diff(np.r_[starts, len(j)]))
        kept = rank < self.caps[j]
        self.held[i[~kept]] = -1
        self.held[i[kept]] = j[kept]
        self.held_score[i[kept]] = s[kept]
        ki, kj, ks = i[kept], j[kept], s[kept]
        last = np.r_[kj[1:] != kj[:-1], True]  # worst kept proposal of each mentor
        self.count[kj[last]] = np.bincount(kj, minlength=self.m)[kj[last]]
        self.worst_score[kj[last]] = ks[last]
        self.worst_index[kj[last]] = ki[last]


def _best_in_order(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the k best columns ordered by score (high first) then column (low first)."""
    r, m = scores.shape
    if k < m:
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        kth = np.take_along_axis(scores, part, axis=1).min(axis=1, keepdims=True)
        above = scores > kth
        need = k - above.sum(axis=1, keepdims=True)
        tie = scores == kth
        tie &= np.cumsum(tie, axis=1, dtype=np.int32) <= need
        chosen = above | tie
        idx = np.nonzero(chosen)[1].reshape(r, k)  # ascending columns within each row
    else:
        idx = np.broadcast_to(np.arange(m), (r, m))
    vals = np.take_along_axis(scores, idx, axis=1)
    order = np.argsort(-vals, axis=1, kind="stable")  # stable: lower column first on ties
    return np.take_along_axis(idx, order, axis=1), np.take_along_axis(vals, order, axis=1)
