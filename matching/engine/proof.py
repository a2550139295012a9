"""The proof over all pairs: find pairs outside the candidates that break the prices.

Used by optimal.py each round; see Checker. Scores as little as it can while staying exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .sources import CHUNK_PAIRS, ScoreSource

if TYPE_CHECKING:
    from .optimal import Duals


class Checker:
    """Finds pairs outside the candidates that break the prices, scoring as little as it can.

    Every pair outside the candidates is covered in one of two ways. Pairs that came within
    `margin` of breaking the prices when their mentee was last scored sit on a watch list
    (at most `cap` a mentee) and are checked exactly every round. For the rest of a mentee's
    pairs a bound R is kept: the most any of them exceeded its mentor's threshold at that
    scoring. Thresholds only fall as far as the mentor prices fall, so while the price levels
    stay the same, none of them can break the prices unless R plus the largest fall in any
    mentor's price since then exceeds the mentee's own price; only those mentees are scored
    again. The proof stays exact.
    """

    def __init__(self, source: ScoreSource, usable: np.ndarray, extra: int) -> None:
        self.source, self.usable, self.extra = source, usable, extra
        n, m = source.shape
        self.near = 0.0
        self.margin = 0.0
        self.cap = max(4 * extra, 64)
        self.rows_scanned = 0
        self.levels: tuple[np.ndarray, np.ndarray] | None = None
        self._reset(n)
        self.step = max(1, CHUNK_PAIRS // max(m, 1))
        self.buf = np.empty((min(self.step, n), m))
        self.slack = np.empty((min(self.step, n), m))
        # A feature source can score a class of mentees against some mentors only.
        self.classes = getattr(source, "spec_classes", None)
        if self.classes is not None:
            self.spec_rows = source.spec_rows()
            self.bounds = source.spec_bounds()
            self.at = np.full(m, -1, dtype=np.int64)

    def _reset(self, n: int) -> None:
        self.bound = np.full(n, np.inf)
        self.epoch = np.zeros(n, dtype=np.int64)
        self.prices: list[np.ndarray] = []
        self.watch = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))

    def violations(self, duals: Duals, rows, cols, tol):
        """(rows, cols, scores) of pairs to add, or None when the prices hold for all pairs."""
        n, m = self.source.shape
        levels = (duals.mentor_level, duals.mentee_level)
        same_levels = self.levels is not None and all(
            np.array_equal(x, y) for x, y in zip(self.levels, levels, strict=True)
        )
        if not same_levels:
            self._reset(n)
        self.levels = levels
        a, b = duals.mentor_level, duals.mentor_price
        u, u_level = duals.mentee_price, duals.mentee_level
        big = 1e6 * (1.0 + np.abs(b).max(initial=0) + np.abs(u).max(initial=0))
        # Against a mentee priced without BIG, only mentors priced without BIG can violate, and
        # the other way round; a mentor with no places is never a candidate.
        thr = np.stack([np.where(a == 1, b, -big), np.where(a == 0, b, np.inf)])
        thr[:, ~self.usable] = np.inf

        # Which mentees must be scored again: their bound, raised by the largest price fall
        # since they were last scored, could exceed their own price.
        falls = np.array(
            [max(0.0, float((p - b)[self.usable].max(initial=0.0))) for p in self.prices]
        )
        rise = falls[self.epoch] if len(falls) else np.zeros(n)
        todo = np.flatnonzero(self.bound + rise > u + tol)
        rescan = np.zeros(n, dtype=bool)
        rescan[todo] = True
        epoch = len(self.prices)
        self.prices.append(b.copy())

        # The watch list: checked exactly. Rows scored again below rebuild their own entries.
        wr, wc, ww = self.watch
        keep = ~rescan[wr]
        wr, wc, ww = wr[keep], wc[keep], ww[keep]
        w_slack = ww - thr[u_level[wr], wc] - u[wr]
        out_r, out_c, out_w = [], [], []
        added = self._pick(wr, w_slack, tol)
        if len(added):
            out_r.append(wr[added])
            out_c.append(wc[added])
            out_w.append(ww[added])
            gone = np.ones(len(wr), dtype=bool)
            gone[added] = False
            wr, wc, ww = wr[gone], wc[gone], ww[gone]
        keep_r, keep_c, keep_w = [wr], [wc], [ww]

        for r, sub, floor in self._chunks(todo, thr, u, u_level):
            k = len(r)
            self.rows_scanned += k
            if sub is None:
                scores = self.source.block(r, out=self.buf[:k])
                slack = self.slack[:k]
                np.subtract(scores, thr[u_level[r[0]]], out=slack)
            else:
                width = len(sub)
                scores = self.buf.ravel()[: k * width].reshape(k, width)
                scores = self.source.block_cols(r, sub, out=scores)
                slack = self.slack.ravel()[: k * width].reshape(k, width)
                np.subtract(scores, thr[u_level[r[0]], sub], out=slack)
            which, first = _ranges(rows, r)
            at = cols[first]
            if sub is not None:
                self.at[sub] = np.arange(len(sub))
                at = self.at[at]
                which, at = which[at >= 0], at[at >= 0]
            slack[which, at] = -np.inf  # candidate pairs are feasible by construction
            # Near pairs (within the margin of the mentee's price) are looked at one by one.
            low = u[r] - self.margin - self.near
            nr, nc = nonzero(slack > low[:, None])
            ns = slack[nr, nc]
            slack[nr, nc] = -np.inf
            bound = np.maximum(slack.max(axis=1, initial=-np.inf), floor)
            wscore = scores[nr, nc]
            if sub is not None:
                self.at[sub] = -1
                nc = sub[nc]
            if len(nr):
                # At most `cap` a mentee, best first; the rest fold into the bound.
                order = np.lexsort((-ns, nr))
                nr, nc, ns, wscore = nr[order], nc[order], ns[order], wscore[order]
                rank = np.arange(len(nr)) - np.searchsorted(nr, nr)
                over = rank >= self.cap
                if over.any():
                    np.maximum.at(bound, nr[over], ns[over])
                    nr, nc, ns, wscore = nr[~over], nc[~over], ns[~over], wscore[~over]
                gr = r[nr]
                rel = ns - u[gr]
                add = (rank[~over] < self.extra) & (rel > tol)
                if self.near and add.any():  # near misses of violating rows come along too
                    bad = np.zeros(k, dtype=bool)
                    bad[nr[add]] = True
                    add = (rank[~over] < self.extra) & bad[nr] & (rel > -self.near)
                out_r.append(gr[add])
                out_c.append(nc[add])
                out_w.append(wscore[add])
                stay = ~add & (rel > -self.margin)
                keep_r.append(gr[stay])
                keep_c.append(nc[stay])
                keep_w.append(wscore[stay])
                np.maximum.at(bound, nr[~add & ~stay], ns[~add & ~stay])
            self.bound[r] = bound
            self.epoch[r] = epoch
        self.watch = (np.concatenate(keep_r), np.concatenate(keep_c), np.concatenate(keep_w))
        if not out_r or not sum(len(x) for x in out_r):
            return None
        return np.concatenate(out_r), np.concatenate(out_c), np.concatenate(out_w)

    def _chunks(self, todo, thr, u, u_level):
        """(rows, mentors or None for all, bound for the mentors left out) to score.

        Rows come in blocks of one price level. With a feature source, also of one specialty
        class: then a mentor is left out when even the best score any pair with its
        specialty level can reach stays below the margin under its price for every row of
        the block. Left out pairs can neither break the prices nor be near, and the most
        they can exceed their threshold goes into the rows' bound, so the proof stays exact.
        """
        classes = self.classes
        if classes is None:
            for level in (0, 1):
                these = todo[u_level[todo] == level]
                for lo in range(0, len(these), self.step):
                    yield these[lo : lo + self.step], None, -np.inf
            return
        if not len(todo):
            return
        key = classes[todo] * 2 + u_level[todo]
        order = np.argsort(key, kind="stable")
        todo, key = todo[order], key[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        for a, b in zip(starts, np.r_[starts[1:], len(todo)], strict=True):
            group = todo[a:b]
            level = int(u_level[group[0]])
            best = self.bounds[self.spec_rows[classes[group[0]]]] - thr[level]
            low = float(u[group].min()) - self.margin - self.near
            sub = np.flatnonzero(best > low)
            floor = float(np.max(best, where=best <= low, initial=-np.inf))
            if not len(sub):
                self.bound[group] = floor
                self.epoch[group] = len(self.prices) - 1
                continue
            step = max(1, self.buf.size // len(sub))  # as many rows as the buffers hold
            for lo in range(0, len(group), step):
                yield group[lo : lo + step], sub, floor

    def _pick(self, wr, slack, tol) -> np.ndarray:
        """Positions of violating watched pairs: each mentee's `extra` worst."""
        bad = np.flatnonzero(slack > tol)
        if not len(bad):
            return bad
        order = np.lexsort((-slack[bad], wr[bad]))
        bad = bad[order]
        br = wr[bad]
        rank = np.arange(len(bad)) - np.searchsorted(br, br)
        return bad[rank < self.extra]


def nonzero(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.nonzero of a 2-D mask, several times faster when few entries are set."""
    flat = np.flatnonzero(mask)
    return flat // mask.shape[1], flat % mask.shape[1]


def _ranges(sorted_rows: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each wanted row, the positions of its entries in sorted_rows, flattened."""
    lo = np.searchsorted(sorted_rows, wanted, side="left")
    hi = np.searchsorted(sorted_rows, wanted, side="right")
    counts = hi - lo
    which = np.repeat(np.arange(len(wanted)), counts)
    first = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
    return which, first
