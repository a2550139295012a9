"""Optimal assignment: the most mentees matched, then the highest total score. Exact.

1. Candidates: each mentee's best few dozen mentors (a sparse graph).
2. Solve the candidate graph exactly with SciPy's sparse assignment solver (LAPJVsp), each
   mentor's capacity expanded into places, each mentee given a costly "stay unmatched" place.
3. Prices: from that solution, work out a price for every mentor (a dual solution of the
   linear programme) by longest paths over the candidate graph.
4. Proof: scan ALL pairs in blocks. If no pair is worth more than its mentee's and mentor's
   prices together, linear-programming duality proves the matching optimal over every pair.
   Otherwise add the violating pairs to the candidates and solve again.

Prices are kept as (a, b) meaning a * BIG + b, so "matching more mentees" (BIG) never has to
be mixed into the score arithmetic and rounding stays at the scale of the scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .sources import CHUNK_PAIRS, ScoreSource, row_blocks


@dataclass
class Duals:
    mentor_level: np.ndarray  # a: 1 if the mentor's price includes BIG, else 0
    mentor_price: np.ndarray  # b
    mentee_level: np.ndarray
    mentee_price: np.ndarray


@dataclass
class Stats:
    rounds: int = 0
    candidate_pairs: int = 0
    added_pairs: int = 0
    rows_scanned: int = 0  # rows re-scored to prove optimality, over all rounds


def solve_optimal(
    source: ScoreSource,
    caps: np.ndarray,
    *,
    candidates: int = 24,
    per_mentor: int = 8,
    extra: int = 16,
    near: float = 0.0,
    max_rounds: int = 100,
    stats: Stats | None = None,
) -> np.ndarray:
    """Mentor index per mentee (-1 for none), proved optimal over all pairs."""
    n, m = source.shape
    stats = stats if stats is not None else Stats()
    if n == 0 or m == 0:
        return np.full(n, -1, dtype=np.int64)
    usable = caps > 0
    rows, cols, w = _initial_candidates(source, usable, max(1, candidates), max(0, per_mentor))
    scale = 1.0 + (float(np.abs(w).max()) if len(w) else 0.0)
    checker = _Checker(source, usable)
    checker.near = near * scale
    for _ in range(max_rounds):
        stats.rounds += 1
        stats.candidate_pairs = len(rows)
        match = _solve_candidates(n, m, caps, rows, cols, w)
        duals = _duals(m, caps, rows, cols, w, match, tol=1e-9 * scale)
        new = checker.violations(duals, rows, cols, max(1, extra), tol=1e-9 * scale)
        if new is None:
            stats.rows_scanned = checker.rows_scanned
            return match
        keys = np.concatenate([rows * m + cols, new[0] * m + new[1]])
        keys, first = np.unique(keys, return_index=True)
        if len(keys) == len(rows):  # nothing new: only rounding noise is left
            return match
        stats.added_pairs += len(keys) - len(rows)
        w = np.concatenate([w, new[2]])[first]
        rows, cols = keys // m, keys % m
        scale = max(scale, 1.0 + float(np.abs(w).max()))
    raise RuntimeError("The optimal assignment did not settle; please report this.")


def _initial_candidates(source: ScoreSource, usable: np.ndarray, k: int, per_mentor: int):
    """Each mentee's best k mentors, plus each mentor's best few mentees."""
    n, m = source.shape
    k, per_mentor = min(k, m), min(per_mentor, n)
    rng = np.random.default_rng(20240601)
    noise = None
    rows, cols, ws = [], [], []
    col_best = np.full((0, m), -np.inf)  # per mentor: keyed scores and rows of its best mentees
    col_rows = np.zeros((0, m), dtype=np.int64)
    pending_v: list[np.ndarray] = []
    pending_r: list[np.ndarray] = []
    for sl in row_blocks(source.shape):
        scores = source.block(sl)
        r = scores.shape[0]
        if noise is None:  # spreads ties, so that tied mentees pick different mentors
            top = np.abs(scores[np.isfinite(scores)]).max(initial=0.0)
            noise = rng.random((r, m)) * 1e-7 * (1.0 + top)
        keyed = scores + noise[:r]
        keyed[:, ~usable] = -np.inf
        if k < m:
            idx = np.argpartition(-keyed, k - 1, axis=1)[:, :k]
        else:
            idx = np.broadcast_to(np.arange(m), (r, m))
        vals = np.take_along_axis(scores, idx, axis=1)
        keep = np.isfinite(vals) & usable[idx]
        rows.append(np.nonzero(keep)[0] + sl.start)
        cols.append(idx[keep])
        ws.append(vals[keep])
        if per_mentor:  # each block's best mentee per mentor; merged now and then
            win = keyed.argmax(axis=0)
            pending_v.append(keyed[win, np.arange(m)])
            pending_r.append(win + sl.start)
            if len(pending_v) >= 64:
                col_best, col_rows = _merge_best(
                    col_best, col_rows, pending_v, pending_r, per_mentor
                )
    if per_mentor and pending_v:
        col_best, col_rows = _merge_best(col_best, col_rows, pending_v, pending_r, per_mentor)
    if per_mentor:
        ok = np.isfinite(col_best)
        extra_rows, extra_cols = col_rows[ok], np.nonzero(ok)[1]
        extra_w = np.empty(len(extra_rows))
        order = np.argsort(extra_rows, kind="stable")
        extra_rows, extra_cols = extra_rows[order], extra_cols[order]
        for sl in row_blocks((len(extra_rows), m)):
            rr = extra_rows[sl]
            uniq, inv = np.unique(rr, return_inverse=True)
            extra_w[sl] = source.block(uniq)[inv, extra_cols[sl]]
        rows.append(extra_rows)
        cols.append(extra_cols)
        ws.append(extra_w)
    rows_a, cols_a, w_a = np.concatenate(rows), np.concatenate(cols), np.concatenate(ws)
    keys, first = np.unique(rows_a * m + cols_a, return_index=True)
    return keys // m, keys % m, w_a[first]


def _merge_best(best, best_rows, pending_v, pending_r, keep: int):
    """Keep each mentor's `keep` best (value, row) among the current ones and the pending."""
    values = np.concatenate([best, np.stack(pending_v)])
    rows = np.concatenate([best_rows, np.stack(pending_r)])
    pending_v.clear()
    pending_r.clear()
    if len(values) <= keep:
        return values, rows
    pick = np.argpartition(-values, keep - 1, axis=0)[:keep]
    return np.take_along_axis(values, pick, axis=0), np.take_along_axis(rows, pick, axis=0)


def _solve_candidates(n, m, caps, rows, cols, w) -> np.ndarray:
    """Exact on the candidate graph: max cardinality first, then max total score."""
    match = np.full(n, -1, dtype=np.int64)
    if not len(rows):
        return match
    cap_e = caps[cols]
    slot_start = np.cumsum(caps) - caps
    n_slots = int(caps.sum())
    total = int(cap_e.sum())
    within = np.arange(total) - np.repeat(np.cumsum(cap_e) - cap_e, cap_e)
    slot = np.repeat(slot_start[cols], cap_e) + within
    mentee = np.repeat(rows, cap_e)
    hi, lo = float(w.max()), float(w.min())
    cost = (hi - np.repeat(w, cap_e)) + 1.0  # strictly positive: zeros would read as no edge
    # Every node on the solver's row side gets a costly private "stay unmatched" column, worth
    # more than any gain in score from one fewer match. The solver is much faster when its
    # rows are the side that is nearly all matched, so rows are whichever side is smaller.
    slots_as_rows = n_slots <= n
    n_rows = n_slots if slots_as_rows else n
    n_cols = n if slots_as_rows else n_slots
    stay = (n_rows + 1) * (hi - lo + 1.0) + 1.0
    r, c = (slot, mentee) if slots_as_rows else (mentee, slot)
    graph = csr_matrix(
        (
            np.concatenate([cost, np.full(n_rows, stay)]),
            (
                np.concatenate([r, np.arange(n_rows)]),
                np.concatenate([c, n_cols + np.arange(n_rows)]),
            ),
        ),
        shape=(n_rows, n_cols + n_rows),
    )
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    owner = np.repeat(np.arange(m), caps)
    real = col_ind < n_cols
    if slots_as_rows:
        match[col_ind[real]] = owner[row_ind[real]]
    else:
        match[row_ind[real]] = owner[col_ind[real]]
    return match


def _duals(m, caps, rows, cols, w, match, tol) -> Duals:
    """Least mentor prices consistent with the candidate solution (longest paths)."""
    n = len(match)
    matched = match >= 0
    load = np.bincount(match[matched], minlength=m)
    full = load >= caps
    own = cols == match[rows]
    w_match = np.zeros(n)
    w_match[rows[own]] = w[own]
    free_edge = ~matched[rows]
    init = np.full(m, -np.inf)
    np.maximum.at(init, cols[free_edge], w[free_edge])
    moves = matched[rows] & ~own  # mentee i could leave its mentor for cols: a path edge
    src, dst = match[rows[moves]], cols[moves]
    gain = w[moves] - w_match[rows[moves]]
    with_big = _longest(init, src, dst, gain, m, tol * 1e-3)
    level = np.isfinite(with_big)
    keep = ~level[src] & ~level[dst]
    base = np.where(level, -np.inf, 0.0)
    without = _longest(base, src[keep], dst[keep], gain[keep], m, tol * 1e-3)
    price = np.where(level, with_big, without)
    if (~full & (level | (price > tol))).any():
        raise RuntimeError("Candidate solution is not optimal; the sparse solver misbehaved.")
    price[~full] = 0.0
    mentee_level = np.zeros(n, dtype=np.int64)
    mentee_price = np.zeros(n)
    mentee_level[matched] = 1 - level[match[matched]]
    mentee_price[matched] = w_match[matched] - price[match[matched]]
    if ((mentee_level == 0) & matched & (mentee_price < -tol)).any():
        raise RuntimeError("Candidate solution is not optimal: a mentee would rather go unmatched.")
    return Duals(level.astype(np.int64), price, mentee_level, mentee_price)


def _longest(init, src, dst, gain, m, tol) -> np.ndarray:
    """Longest path values from `init` along edges src -> dst (vectorised label correcting)."""
    value = init.copy()
    order = np.argsort(src, kind="stable")
    src, dst, gain = src[order], dst[order], gain[order]
    indptr = np.searchsorted(src, np.arange(m + 1))
    active = np.flatnonzero(np.isfinite(value))
    for _ in range(m + 2):
        starts = indptr[active]
        counts = indptr[active + 1] - starts
        total = int(counts.sum())
        if total == 0:
            return value
        edge = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
        best = np.full(m, -np.inf)
        np.maximum.at(best, dst[edge], value[src[edge]] + gain[edge])
        better = best > value + tol
        value[better] = best[better]
        active = np.flatnonzero(better)
    raise RuntimeError("Mentor prices did not settle: the candidate solution is not optimal.")


class _Checker:
    """Finds pairs outside the candidates that break the prices, scanning as little as it can.

    After a full scan, each mentee keeps a bound R on the slack (score minus prices) of all
    its non-candidate pairs. When prices change but no price level does, the new slack is at
    most R + D, where D is the largest fall in any mentor's price; only mentees whose bound
    could exceed their own price are scanned again. The proof stays exact.
    """

    def __init__(self, source: ScoreSource, usable: np.ndarray) -> None:
        self.source, self.usable = source, usable
        n, m = source.shape
        self.bound = np.full(n, np.inf)
        self.levels: tuple[np.ndarray, np.ndarray] | None = None
        self.price = np.zeros(m)
        self.rows_scanned = 0
        self.near = 0.0

    def violations(self, duals: Duals, rows, cols, extra: int, tol):
        n, m = self.source.shape
        same_levels = self.levels is not None and all(
            np.array_equal(x, y)
            for x, y in zip(self.levels, (duals.mentor_level, duals.mentee_level), strict=True)
        )
        if same_levels:
            self.bound += max(0.0, float((self.price - duals.mentor_price).max(initial=0.0)))
            todo = np.flatnonzero(self.bound > duals.mentee_price + tol)
        else:
            todo = np.arange(n)
        self.levels = (duals.mentor_level, duals.mentee_level)
        self.price = duals.mentor_price
        a, b = duals.mentor_level, duals.mentor_price
        big = 1e6 * (1.0 + np.abs(b).max(initial=0) + np.abs(duals.mentee_price).max(initial=0))
        # Against a mentee priced without BIG, only mentors priced without BIG can violate, and
        # the other way round; a mentor with no places is never a candidate.
        thr = np.stack([np.where(a == 1, b, -big), np.where(a == 0, b, np.inf)])
        thr[:, ~self.usable] = np.inf
        step = max(1, CHUNK_PAIRS // max(m, 1))
        new_r, new_c, new_w = [], [], []
        for lo in range(0, len(todo), step):
            r = todo[lo : lo + step]
            self.rows_scanned += len(r)
            scores = np.array(self.source.block(r), dtype=np.float64)
            slack = scores - thr[duals.mentee_level[r]]
            slack -= duals.mentee_price[r, None]
            which, first = _ranges(rows, r)
            slack[which, cols[first]] = -np.inf  # candidate pairs are feasible by construction
            best = slack.max(axis=1)
            self.bound[r] = best + duals.mentee_price[r]
            bad = np.flatnonzero(best > tol)
            if not len(bad):
                continue
            self.bound[r[bad]] = np.inf  # their new candidates change the bound: rescan next time
            worst = slack[bad]
            k = min(extra, m)
            if k < m:
                idx = np.argpartition(-worst, k - 1, axis=1)[:, :k]
            else:
                idx = np.broadcast_to(np.arange(m), (len(bad), m))
            # Near misses come along too: prices move, and they tend to be next round's violators.
            sel = np.take_along_axis(worst, idx, axis=1) > -self.near
            hit = np.nonzero(sel)[0]
            new_r.append(r[bad[hit]])
            new_c.append(idx[sel])
            new_w.append(scores[bad[hit], idx[sel]])
        if not new_r:
            return None
        return np.concatenate(new_r), np.concatenate(new_c), np.concatenate(new_w)


def _ranges(sorted_rows: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each wanted row, the positions of its entries in sorted_rows, flattened."""
    lo = np.searchsorted(sorted_rows, wanted, side="left")
    hi = np.searchsorted(sorted_rows, wanted, side="right")
    counts = hi - lo
    which = np.repeat(np.arange(len(wanted)), counts)
    first = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
    return which, first
