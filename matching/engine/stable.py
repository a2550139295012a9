"""Stable assignment: mentee-proposing deferred acceptance with mentor capacities.

Every free mentee proposes, in rounds, to its best mentor not yet tried; each mentor keeps its
best proposals up to its capacity and turns down the rest. Preferences are strict: the higher
score first, then the lower index. Whatever the order of proposals, this ends in the same
matching, the best stable one for every mentee.

Preferences are generated lazily, a few dozen at a time per mentee, and a proposal the mentor
would turn down anyway (it is full of mentees it prefers) is skipped: its places only get
better, so the turn-down would be final. This avoids sorting a billion pairs.

With feature scores, a load never scores a mentor whose specialty ceiling (the most any pair
of that specialty level and capacity can score) is below what it would accept, and scores a
class's high-ceiling band first: most mentees' next few mentors are all found there.
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
        self._cut: np.ndarray | None = None  # per specialty class, see _narrow_first
        self._work: tuple | None = None

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
        the tie on index. A mentor comes after the last one loaded if the score is at most the
        row's last score, strictly below it for the columns up to the last one.

        With features, each specialty class is scored against the mentors that could still
        take it, those of a high ceiling first (see _by_class).
        """
        floors = self._floors()
        if getattr(source, "spec_classes", None) is not None:
            rows = self._by_class(source, rows, floors)
        step = max(1, CHUNK_PAIRS // self.m)
        buf = self._buffers(min(step, len(rows)) * self.m)
        for lo in range(0, len(rows), step):
            r = rows[lo : lo + step]
            scores = source.block(r, out=buf[0][: len(r) * self.m].reshape(len(r), self.m))
            self._store(r, *self._best(r, scores, None, floors, buf))

    def _by_class(self, source, rows: np.ndarray, floors) -> np.ndarray:
        """Refill the rows class by class, scoring only mentors who could take them.

        A pair scores at most the ceiling of its specialty level and capacity (spec_bounds).
        A mentor whose ceiling is below its floor would turn the mentee down: never scored.
        The ceilings fall in two far-apart bands (the target specialty or not), so the high
        band is scored first. A row is settled when its `batch` best there beat the ceiling
        of every other mentor: none of them can enter its best `batch`. Rows not settled
        (or already below that ceiling) then score every mentor who could take them.
        Returns the rows of small classes, left to be refilled whole.
        """
        if self._cut is None:
            self._spec_rows, self._bounds = source.spec_rows(), source.spec_bounds()
            self._cut = _cuts(self._spec_rows, self._bounds, self.batch)
        floor_lo = floors[0]
        classes = source.spec_classes[rows]
        order = np.argsort(classes, kind="stable")
        rows, classes = rows[order], classes[order]
        starts = np.flatnonzero(np.r_[True, classes[1:] != classes[:-1]])
        ends = np.r_[starts[1:], len(rows)]
        buf = self._buffers(CHUNK_PAIRS + self.m)
        few = []
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            rc = rows[a:b]
            if len(rc) * self.m < _CLASS_PAIRS:
                few.append(rc)
                continue
            c = int(classes[a])
            ceil = self._bounds[self._spec_rows[c]]
            last = self.last_score[rc]
            # A mentor whose floor is above every row's last score could only take them
            # with a score they have already been through.
            usable = (ceil >= floor_lo) & (floor_lo <= last.max())
            high = usable & (ceil >= self._cut[c])
            beyond = ceil[usable & ~high].max(initial=-np.inf)
            if beyond > -np.inf:
                hopeless = last <= beyond  # nothing left above the ceiling
                first = self._scan(source, rc[~hopeless], np.flatnonzero(high), beyond, floors, buf)
                self._scan(source, first, np.flatnonzero(usable), -np.inf, floors, buf)
                rc = rc[hopeless]
                usable &= floor_lo <= last[hopeless].max(initial=-np.inf)
            self._scan(source, rc, np.flatnonzero(usable), -np.inf, floors, buf)
        return np.sort(np.concatenate(few)) if few else rows[:0]

    def _scan(self, source, rows, cols, beyond, floors, buf) -> np.ndarray:
        """Refill the rows (one class) from `cols` where that settles them; the rows left."""
        w = len(cols)
        if not w or not len(rows):
            if beyond == -np.inf:  # no mentor would take them
                self._store(rows, *_empty(len(rows)))
                return rows[:0]
            return rows
        every = w == self.m  # a plain block is cheaper than picking columns
        step = max(1, CHUNK_PAIRS // w)
        left = []
        for lo in range(0, len(rows), step):
            r = rows[lo : lo + step]
            h = len(r)
            out = buf[0][: h * w].reshape(h, w)
            if every:
                scores = source.block(r, out=out)
            else:
                scores = source.block_cols(r, cols, out=out)
            er, ec, ev, rank, length = self._best(r, scores, None if every else cols, floors, buf)
            if beyond == -np.inf:
                self._store(r, er, ec, ev, rank, length)
                continue
            kth = np.full(h, -np.inf)
            full = rank == self.batch - 1
            kth[er[full]] = ev[full]
            settled = kth > beyond
            keep = settled[er]
            picked = er[keep], ec[keep], ev[keep], rank[keep]
            self._store(r[settled], *_renumber(*picked, settled))
            left.append(r[~settled])
        return np.concatenate(left) if left else rows[:0]

    def _floors(self):
        """Per mentor: the least score it takes from a mentee winning / losing the tie."""
        lowest = -np.finfo(np.float64).max  # any finite score passes; -inf never does
        room = self.count < self.caps
        floor_lo = np.where(room, lowest, self.worst_score)  # the mentee wins the tie
        floor_hi = np.where(room, lowest, np.nextafter(self.worst_score, np.inf))
        floor_lo[self.caps <= 0] = floor_hi[self.caps <= 0] = np.inf
        tie_index = np.where(floor_lo == floor_hi, -1, self.worst_index)
        return floor_lo, floor_hi, tie_index

    def _buffers(self, size: int):
        """Work arrays reused across blocks (fresh ones would fault their pages in each time)."""
        if self._work is None or len(self._work[0]) < size:
            self._work = (
                np.empty(size),
                np.empty(size),
                np.empty(size, dtype=bool),
                np.empty(size, dtype=bool),
            )
        return self._work

    def _best(self, r, scores, cols, floors, buf):
        """The `batch` best mentors of rows r that pass both thresholds, as sorted entries.

        `scores` holds r against `cols` (ascending mentor indices; None for all mentors).
        Masks are applied arithmetically (a look-up of 0 or -inf), never with a masked
        select, which costs several times more per pair. The best `batch` are then read off
        a cut-off. The rows of a block span few indices, so only a few columns differ
        between rows in the tie on index.
        """
        k = self.batch
        h, w = scores.shape
        lowest = -np.finfo(np.float64).max
        floor_lo, floor_hi, tie_index = floors
        if cols is not None:
            floor_lo, floor_hi, tie_index = floor_lo[cols], floor_hi[cols], tie_index[cols]
        t = buf[1][: h * w].reshape(h, w)
        okh = buf[2][: h * w].reshape(h, w)
        bh = buf[3][: h * w].reshape(h, w)
        last_s, last_c = self.last_score[r], self.last_col[r]
        if (floor_lo > lowest).any() or (last_c >= 0).any():
            self._mask(r, scores, cols, (floor_lo, floor_hi, tie_index), last_s, last_c, okh, bh)
            np.take(_PENALTY, okh.view(np.uint8), out=t, mode="clip")
            t += scores
        else:  # every mentor has room and nothing was loaded yet: all finite scores pass
            t = scores
        # The cut-off: split each row into `groups` runs of columns (and what is left over);
        # the k-th best of the runs' maxima leaves at least k entries at or above it, and
        # usually not many more.
        groups = min(w, 4 * k)
        width = w // groups if groups else 0
        if k < groups:
            tops = t[:, : groups * width].reshape(h, groups, width).max(axis=2)
            if groups * width < w:
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
        if cols is not None:
            ec = cols[ec]
        return er, ec, ev, rank, np.bincount(er, minlength=h)

    def _mask(self, r, scores, cols, floors, last_s, last_c, okh, bh) -> None:
        """okh: which pairs pass both thresholds (the mentor takes them, and they come next)."""
        floor_lo, floor_hi, tie_index = floors
        first, last = int(r.min()), int(r.max())
        mixed = np.flatnonzero((tie_index > first) & (tie_index <= last))
        if 32 * len(mixed) > scores.shape[1]:  # rows far apart (one class): pair by pair
            np.greater_equal(scores, np.where(r[:, None] < tie_index, floor_lo, floor_hi), out=okh)
        else:
            np.greater_equal(scores, np.where(tie_index > last, floor_lo, floor_hi), out=okh)
            if len(mixed):
                wins = r[:, None] < tie_index[mixed]
                okh[:, mixed] = scores[:, mixed] >= np.where(wins, floor_lo[mixed], floor_hi[mixed])
        np.less_equal(scores, last_s[:, None], out=bh)
        okh &= bh
        for x in np.flatnonzero(last_c >= 0).tolist():
            upto = int(last_c[x]) + 1
            if cols is not None:
                upto = int(np.searchsorted(cols, upto))
            okh[x, :upto] &= scores[x, :upto] != last_s[x]

    def _store(self, r, er, ec, ev, rank, length) -> None:
        """Load the entries (er a position in r) as the rows' new buffers."""
        gr = r[er]
        self.buf_col[gr, rank] = ec
        self.buf_score[gr, rank] = ev
        self.buf_len[r], self.pos[r] = length, 0
        self.complete[r] = length < self.batch
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


_PENALTY = np.array([-np.inf, 0.0])
# A class with fewer rows x mentors than this is refilled with the whole rows instead: the
# work a class costs in Python would outweigh the pairs it saves.
_CLASS_PAIRS = 1 << 15


def _cuts(spec_rows: np.ndarray, bounds: np.ndarray, k: int) -> np.ndarray:
    """Per specialty class, the ceiling at which to split its mentors: at the widest gap
    between ceilings that still leaves at least k mentors above it (-inf: no split)."""
    cut = np.full(len(spec_rows), -np.inf)
    for c, row in enumerate(spec_rows):
        counts = np.bincount(row, minlength=256)
        codes = np.flatnonzero(counts)
        ceil = bounds[codes]
        ok = ceil > -np.inf
        codes, ceil = codes[ok], ceil[ok]
        order = np.argsort(-ceil, kind="stable")
        ceil, n_above = ceil[order], np.cumsum(counts[codes][order])
        gaps = ceil[:-1] - ceil[1:]
        gaps[n_above[:-1] < k] = 0
        if len(gaps) and gaps.max() > 0:
            cut[c] = ceil[int(np.argmax(gaps))]
    return cut


def _renumber(er, ec, ev, rank, settled):
    """Entries of the settled rows only, er renumbered to positions among them."""
    pos = np.cumsum(settled) - 1
    er = pos[er]
    return er, ec, ev, rank, np.bincount(er, minlength=int(settled.sum()))


def _empty(h: int):
    z = np.zeros(0, dtype=np.int64)
    return z, z, np.zeros(0), z, np.zeros(h, dtype=np.int64)
