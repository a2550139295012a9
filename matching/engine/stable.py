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
        """Load each mentee's next `batch` mentors that would still take them, in order.

        Both conditions are score thresholds. A mentor takes the mentee if the score is at
        least its floor: the worst score it holds, or one step above when the mentee loses
        the tie on index (the rows of a block span few indices, so only a few columns differ
        between rows). A mentor comes after the last one loaded if the score is at most the
        row's last score, strictly below it for the columns up to the last one. Masks are
        applied arithmetically (a look-up of 0 or -inf), never with a masked select, which
        costs several times more per pair. The best `batch` are then read off a cut-off.
        """
        m, k = self.m, self.batch
        step = max(1, CHUNK_PAIRS // m)
        lowest = -np.finfo(np.float64).max  # any finite score passes; -inf never does
        room = self.count < self.caps
        floor_lo = np.where(room, lowest, self.worst_score)  # the mentee wins the tie
        floor_hi = np.where(room, lowest, np.nextafter(self.worst_score, np.inf))
        floor_lo[self.caps <= 0] = floor_hi[self.caps <= 0] = np.inf
        tie_index = np.where(floor_lo == floor_hi, -1, self.worst_index)
        penalty = np.array([-np.inf, 0.0])
        # The cut-off: split each row into `groups` runs of columns (and what is left over);
        # the k-th best of the runs' maxima leaves at least k entries at or above it, and
        # usually not many more.
        groups = min(m, 4 * k)
        width = m // groups
        h_max = min(step, len(rows))
        buf = np.empty((h_max, m))
        masked = np.empty((h_max, m))
        ok = np.empty((h_max, m), dtype=bool)
        below = np.empty((h_max, m), dtype=bool)
        for lo in range(0, len(rows), step):
            r = rows[lo : lo + step]
            h = len(r)
            scores = source.block(r, out=buf[:h])
            t, okh, bh = masked[:h], ok[:h], below[:h]
            first, last = int(r.min()), int(r.max())
            floor = np.where(tie_index > last, floor_lo, floor_hi)
            np.greater_equal(scores, floor, out=okh)
            mixed = np.flatnonzero((tie_index > first) & (tie_index <= last))
            if len(mixed):
                wins = r[:, None] < tie_index[mixed]
                okh[:, mixed] = scores[:, mixed] >= np.where(wins, floor_lo[mixed], floor_hi[mixed])
            last_s, last_c = self.last_score[r], self.last_col[r]
            np.less_equal(scores, last_s[:, None], out=bh)
            okh &= bh
            for x in np.flatnonzero(last_c >= 0).tolist():
                upto = int(last_c[x]) + 1
                okh[x, :upto] &= scores[x, :upto] != last_s[x]
            np.take(penalty, okh.view(np.uint8), out=t, mode="clip")
            t += scores
            if k < groups:
                tops = t[:, : groups * width].reshape(h, groups, width).max(axis=2)
                if groups * width < m:
                    tops = np.c_[tops, t[:, groups * width :].max(axis=1)]
                cut = np.maximum(np.partition(tops, -k, axis=1)[:, -k], lowest)
            else:
                cut = np.full(h, lowest)
            er, ec = _nonzero(np.greater_equal(t, cut[:, None], out=bh))
            ev = t[er, ec]
            order = np.lexsort((ec, -ev, er))
            er, ec, ev = er[order], ec[order], ev[order]
            rank = np.arange(len(er)) - np.searchsorted(er, er)
            top = rank < k
            er, ec, ev, rank = er[top], ec[top], ev[top], rank[top]
            length = np.bincount(er, minlength=h)
            gr = r[er]
            self.buf_col[gr, rank] = ec
            self.buf_score[gr, rank] = ev
            self.buf_len[r], self.pos[r] = length, 0
            self.complete[r] = length < k
            end = np.flatnonzero(rank == length[er] - 1)
            self.last_score[gr[end]] = ev[end]
            self.last_col[gr[end]] = ec[end]

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


def _nonzero(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.nonzero of a 2-D mask, several times faster when few entries are set."""
    flat = np.flatnonzero(mask)
    return flat // mask.shape[1], flat % mask.shape[1]
