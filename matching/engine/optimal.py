"""Optimal assignment: the most mentees matched, then the highest total score. Exact.

1. Candidates: each mentee's best few dozen mentors (a sparse graph).
2. Solve the candidate graph exactly with SciPy's sparse assignment solver (LAPJVsp), each
   mentor's capacity expanded into places. "Stay unmatched" places are added only when some
   places must stay empty, so that the solver stays lean.
3. Prices: from that solution, work out a price for every mentor (a dual solution of the
   linear programme) by longest paths over the candidate graph.
4. Proof: check ALL pairs. If no pair is worth more than its mentee's and mentor's prices
   together, linear-programming duality proves the matching optimal over every pair.
   Otherwise add the violating pairs to the candidates. If the same matching still has valid
   prices on the larger graph it is still optimal there and is kept without solving again;
   otherwise the candidate graph is solved again.

Checking all pairs is mostly bookkeeping: a pair that nearly violates the prices is kept on a
watch list and checked exactly every round, and for each mentee's other pairs a bound is
kept, so only mentees whose bound could now break the prices are scored again.

Prices are kept as (a, b) meaning a * BIG + b, so "matching more mentees" (BIG) never has to
be mixed into the score arithmetic and rounding stays at the scale of the scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching

from .certificate import Certificate
from .proof import Checker, nonzero
from .sources import CHUNK_PAIRS, ScoreSource


@dataclass
class Duals:
    mentor_level: np.ndarray  # a: 1 if the mentor's price includes BIG, else 0
    mentor_price: np.ndarray  # b
    mentee_level: np.ndarray
    mentee_price: np.ndarray


@dataclass
class Stats:
    rounds: int = 0  # proof rounds (each checks every pair)
    solves: int = 0  # times the candidate graph was solved
    candidate_pairs: int = 0
    added_pairs: int = 0
    rows_scanned: int = 0  # rows re-scored to prove optimality, over all rounds
    certificate: Certificate | None = None  # the final prices, for certificate_errors()


def solve_optimal(
    source: ScoreSource,
    caps: np.ndarray,
    *,
    candidates: int = 12,
    per_mentor: int = 16,
    extra: int = 16,
    near: float = 0.0,
    watch: float = 5.0,
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
    checker = Checker(source, usable, extra=max(1, extra))
    checker.near = near * scale
    checker.margin = max(0.0, watch) * scale / 100.0
    match = _solve_candidates(n, m, caps, rows, cols, w)
    stats.solves += 1
    duals = _duals(m, caps, rows, cols, w, match, tol=1e-9 * scale)
    if duals is None:
        raise RuntimeError("Candidate solution is not optimal; the sparse solver misbehaved.")
    for _ in range(max_rounds):
        stats.rounds += 1
        stats.candidate_pairs = len(rows)
        new = checker.violations(duals, rows, cols, tol=1e-9 * scale)
        stats.rows_scanned = checker.rows_scanned
        if new is None:
            stats.certificate = _certificate(duals)
            return match
        keys = np.concatenate([rows * m + cols, new[0] * m + new[1]])
        keys, first = np.unique(keys, return_index=True)
        if len(keys) == len(rows):  # nothing new: only rounding noise is left
            stats.certificate = _certificate(duals)
            return match
        stats.added_pairs += len(keys) - len(rows)
        w = np.concatenate([w, new[2]])[first]
        rows, cols = keys // m, keys % m
        scale = max(scale, 1.0 + float(np.abs(w).max()))
        # The same matching may still be optimal on the larger graph: prices prove it.
        duals = _duals(m, caps, rows, cols, w, match, tol=1e-9 * scale)
        if duals is None:
            match = _solve_candidates(n, m, caps, rows, cols, w)
            stats.solves += 1
            duals = _duals(m, caps, rows, cols, w, match, tol=1e-9 * scale)
            if duals is None:
                raise RuntimeError(
                    "Candidate solution is not optimal; the sparse solver misbehaved."
                )
    raise RuntimeError("The optimal assignment did not settle; please report this.")


def _certificate(duals: Duals) -> Certificate:
    return Certificate(
        duals.mentor_level, duals.mentor_price, duals.mentee_level, duals.mentee_price
    )


def _initial_candidates(source: ScoreSource, usable: np.ndarray, k: int, per_mentor: int):
    """Each mentee's best k mentors, plus each mentor's best few mentees.

    Ties are spread by a little noise, so that tied mentees pick different mentors. A full
    partial sort of every row is slow, so each row's cut-off is read off a sample of the
    columns, set low enough that nearly every row keeps k or more entries above it (the few
    that keep fewer are sorted in full); each mentor's cut-off is its current `per_mentor`-th
    best. One pass then picks out every entry above either cut-off.

    With a feature source, a class of mentees is first scored against only the mentors
    whose specialty level can score highest for it (see Checker._chunks); a row whose k-th
    best there beats anything the other mentors could score is done. The others are scored
    in full. These are only candidates: the proof over all pairs does not depend on them.
    """
    n, m = source.shape
    k, per_mentor = min(k, m), min(per_mentor, n)
    rng = np.random.default_rng(20240601)
    sampled = m >= 64 * k
    sample = np.sort(rng.choice(m, size=m // 8, replace=False)) if sampled else None
    out: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    best = _ColumnBest(m, per_mentor)
    step = max(1, CHUNK_PAIRS // max(m, 1))
    buf = np.empty((min(step, n), m))
    keyed_buf = np.empty((min(step, n), m))
    noise = None
    classes = getattr(source, "spec_classes", None)
    todo = np.arange(n)
    if classes is not None:
        bounds = source.spec_bounds()
        top = float(np.abs(bounds[np.isfinite(bounds)]).max(initial=0.0))
        noise = rng.random((len(buf), m)) * 1e-7 * (1.0 + top)
        noise_max = 1e-7 * (1.0 + top)
        rest = []
        for r, sub, excluded in _class_blocks(source, classes, bounds, usable, k, buf.size):
            if sub is None:
                rest.append(r)
                continue
            h, w = len(r), len(sub)
            scores = source.block_cols(r, sub, out=buf.ravel()[: h * w].reshape(h, w))
            tie_break = noise.ravel()[: h * w].reshape(h, w)
            keyed = np.add(scores, tie_break, out=keyed_buf.ravel()[: h * w].reshape(h, w))
            idx = np.argpartition(-keyed, k - 1, axis=1)[:, :k]
            at = np.arange(h)[:, None]
            done = keyed[at, idx].min(axis=1) >= excluded + noise_max
            rest.append(r[~done])
            idx, at = idx[done], np.broadcast_to(at[done], idx[done].shape)
            er, ec = at.ravel(), idx.ravel()
            if per_mentor:
                pr, pc = nonzero((keyed > best.cut[sub]) & done[:, None])
                best.add(keyed[pr, pc], r[pr], sub[pc], scores[pr, pc])
            es = scores[er, ec]
            keep = np.isfinite(es)
            out.append((r[er[keep]], sub[ec[keep]], es[keep]))
        todo = np.sort(np.concatenate(rest)) if rest else todo[:0]
    for lo in range(0, len(todo), step):
        rws = todo[lo : lo + step]
        r = len(rws)
        scores = source.block(rws, out=buf[:r])
        if noise is None:
            top = np.abs(scores[np.isfinite(scores)]).max(initial=0.0)
            noise = rng.random((len(buf), m)) * 1e-7 * (1.0 + top)
        keyed = np.add(scores, noise[:r], out=keyed_buf[:r])
        if not usable.all():
            keyed[:, ~usable] = -np.inf
        if sampled:
            c = len(sample)
            q = min(c, math.ceil(1.5 * k * c / m) + 6)
            part = keyed[:, sample]
            part.partition(c - q, axis=1)
            cut = np.maximum(part[:, c - q], -np.finfo(np.float64).max)  # never keep -inf
            mask = keyed >= cut[:, None]
            if per_mentor:
                mask |= keyed > best.cut[None, :]
            er, ec = nonzero(mask)
            ev = keyed[er, ec]
            es = scores[er, ec]
            if per_mentor:
                by_col = ev > best.cut[ec]
                best.add(ev[by_col], rws[er[by_col]], ec[by_col], es[by_col])
            by_row = ev >= cut[er]
            er, ec, ev, es = er[by_row], ec[by_row], ev[by_row], es[by_row]
            counts = np.bincount(er, minlength=r)
            short = np.flatnonzero(counts < k)
            if len(short):  # rare: sort these rows in full
                ok = counts[er] >= k
                idx = np.argpartition(-keyed[short], k - 1, axis=1)[:, :k].ravel()
                sr = np.repeat(short, k)
                er = np.concatenate([er[ok], sr])
                ec = np.concatenate([ec[ok], idx])
                ev = np.concatenate([ev[ok], keyed[sr, idx]])
                es = np.concatenate([es[ok], scores[sr, idx]])
            order = np.lexsort((-ev, er))
            er, ec, es = er[order], ec[order], es[order]
            rank = np.arange(len(er)) - np.searchsorted(er, er)
            top = rank < k
            er, ec, es = er[top], ec[top], es[top]
        else:
            if k < m:
                idx = np.argpartition(-keyed, k - 1, axis=1)[:, :k]
            else:
                idx = np.broadcast_to(np.arange(m), (r, m))
            er, ec = np.repeat(np.arange(r), k), idx.ravel()
            es = scores[er, ec]
            if per_mentor:
                win = keyed.argmax(axis=0)
                at = np.arange(m)
                best.add(keyed[win, at], rws[win], at, scores[win, at])
        keep = np.isfinite(es) & usable[ec]
        out.append((rws[er[keep]], ec[keep], es[keep]))
    if per_mentor:
        out.append(best.pairs())
    rows_a, cols_a, w_a = (np.concatenate(x) for x in zip(*out, strict=True))
    keys, first = np.unique(rows_a * m + cols_a, return_index=True)
    return keys // m, keys % m, w_a[first]


def _class_blocks(source, classes, bounds, usable, k, size):
    """(rows, mentors, best score of the others) per block of one specialty class.

    The mentors are those whose bound is among the highest for the class, enough of them
    (4k) for most rows to find their k best there. Classes where that is most of the
    mentors are left to the full scan.
    """
    spec_rows = source.spec_rows()
    order = np.argsort(classes, kind="stable")
    cls = classes[order]
    starts = np.flatnonzero(np.r_[True, cls[1:] != cls[:-1]])
    for a, b in zip(starts, np.r_[starts[1:], len(cls)], strict=True):
        group = order[a:b]
        ub = np.where(usable, bounds[spec_rows[cls[a]]], -np.inf)
        levels = np.unique(ub[np.isfinite(ub)])[::-1]
        count, gap = 0, 0.05 * float(levels[0] - levels[-1]) if len(levels) else 0.0
        for at, level in enumerate(levels):
            count = int((ub >= level).sum())
            # Enough mentors, and a clear gap down to the next level (capacities alone
            # move bounds a little; a specialty level moves them a lot).
            if count >= 4 * k and (at + 1 == len(levels) or levels[at + 1] < level - gap):
                break
        if not len(levels) or count > len(ub) // 2 or count < k:
            yield group, None, None  # scored in full
            continue
        sub = np.flatnonzero(ub >= level)
        excluded = float(np.max(ub, where=ub < level, initial=-np.inf))
        step = max(1, size // len(sub))
        for lo in range(0, len(group), step):
            yield np.sort(group[lo : lo + step]), sub, excluded


class _ColumnBest:
    """Each mentor's `keep` best mentees by keyed score; `cut` is the keep-th best so far."""

    def __init__(self, m: int, keep: int) -> None:
        self.m, self.keep = m, keep
        self.cut = np.full(m, -np.inf)
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.pending = 0

    def add(self, values, rows, cols, scores) -> None:
        ok = np.isfinite(values)
        self.parts.append((values[ok], rows[ok], cols[ok], scores[ok]))
        self.pending += int(ok.sum())
        if self.pending >= 4 * self.m:
            self._merge()

    def _merge(self) -> None:
        values, rows, cols, scores = (np.concatenate(x) for x in zip(*self.parts, strict=True))
        order = np.lexsort((-values, cols))
        values, rows, cols, scores = values[order], rows[order], cols[order], scores[order]
        rank = np.arange(len(cols)) - np.searchsorted(cols, cols)
        top = rank < self.keep
        values, rows, cols, scores = values[top], rows[top], cols[top], scores[top]
        last = rank[top] == self.keep - 1
        self.cut[cols[last]] = values[last]
        self.parts = [(values, rows, cols, scores)]
        self.pending = 0

    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if not self.parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        self._merge()
        _, rows, cols, scores = self.parts[0]
        return rows, cols, scores


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
    # The solver is much faster when its rows are the side that is nearly all matched, so
    # rows are whichever side is smaller.
    slots_as_rows = n_slots <= n
    n_rows = n_slots if slots_as_rows else n
    n_cols = n if slots_as_rows else n_slots
    r, c = (slot, mentee) if slots_as_rows else (mentee, slot)
    graph = csr_matrix((cost, (r, c)), shape=(n_rows, n_cols))
    # Every row must be matched, so rows that may stay unmatched need "stay unmatched"
    # columns, each costing more than any gain in score from one fewer match. The solver's
    # time grows with rows x columns, so: none if every row can be matched; otherwise as many
    # shared ones as rows that must stay unmatched (any set of that many rows can use them,
    # which is all the best solution needs), or one private column per row if that is
    # smaller.
    short = n_rows - int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())
    if short:
        stay = (n_rows + 1) * (hi - lo + 1.0) + 1.0
        if short * n_rows <= 4 * total + n_rows:
            dr = np.repeat(np.arange(n_rows), short)
            dc = n_cols + np.tile(np.arange(short), n_rows)
            n_extra = short
        else:
            dr = dc = np.arange(n_rows)
            dc = n_cols + dc
            n_extra = n_rows
        graph = csr_matrix(
            (
                np.concatenate([cost, np.full(len(dr), stay)]),
                (np.concatenate([r, dr]), np.concatenate([c, dc])),
            ),
            shape=(n_rows, n_cols + n_extra),
        )
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    owner = np.repeat(np.arange(m), caps)
    real = col_ind < n_cols
    if slots_as_rows:
        match[col_ind[real]] = owner[row_ind[real]]
    else:
        match[row_ind[real]] = owner[col_ind[real]]
    return match


def _duals(m, caps, rows, cols, w, match, tol) -> Duals | None:
    """Least mentor prices consistent with `match` on the candidate graph (longest paths).

    None if there are none, which means `match` is not optimal on this graph.
    """
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
    if with_big is None:
        return None
    level = np.isfinite(with_big)
    keep = ~level[src] & ~level[dst]
    base = np.where(level, -np.inf, 0.0)
    without = _longest(base, src[keep], dst[keep], gain[keep], m, tol * 1e-3)
    if without is None:
        return None
    price = np.where(level, with_big, without)
    if (~full & (level | (price > tol))).any():
        return None  # a free place that someone could take, or that should be cheaper
    price[~full] = 0.0
    mentee_level = np.zeros(n, dtype=np.int64)
    mentee_price = np.zeros(n)
    mentee_level[matched] = 1 - level[match[matched]]
    mentee_price[matched] = w_match[matched] - price[match[matched]]
    if ((mentee_level == 0) & matched & (mentee_price < -tol)).any():
        return None  # a mentee would rather go unmatched
    return Duals(level.astype(np.int64), price, mentee_level, mentee_price)


def _longest(init, src, dst, gain, m, tol) -> np.ndarray | None:
    """Longest path values from `init` along edges src -> dst (vectorised label correcting).

    None if some cycle has a positive gain (there is no longest path). Each node remembers
    the edge that last raised it; a cycle among those edges always has a positive gain, so
    they are checked for cycles now and then rather than waiting m rounds.
    """
    value = init.copy()
    parent = np.full(m + 1, m, dtype=np.int64)  # node m: the root, its own parent
    order = np.argsort(src, kind="stable")
    src, dst, gain = src[order], dst[order], gain[order]
    indptr = np.searchsorted(src, np.arange(m + 1))
    active = np.flatnonzero(np.isfinite(value))
    for it in range(1, m + 3):
        starts = indptr[active]
        counts = indptr[active + 1] - starts
        total = int(counts.sum())
        if total == 0:
            return value
        edge = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
        e_src, e_dst = src[edge], dst[edge]
        reach = value[e_src] + gain[edge]
        best = np.full(m, -np.inf)
        np.maximum.at(best, e_dst, reach)
        better = best > value + tol
        hit = better[e_dst] & (reach == best[e_dst])
        parent[e_dst[hit]] = e_src[hit]
        value[better] = best[better]
        active = np.flatnonzero(better)
        if it % 16 == 0 and _has_cycle(parent):
            return None
    return None


def _has_cycle(parent: np.ndarray) -> bool:
    """Whether following parents from some node never reaches the root (the last node)."""
    root = len(parent) - 1
    jump = parent.copy()
    for _ in range(max(1, int(root).bit_length()) + 1):
        jump = jump[jump]
    return bool((jump != root).any())
