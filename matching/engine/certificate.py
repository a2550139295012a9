"""An independent check that an optimal assignment is optimal: its prices, over every pair.

The optimal mode solves a linear programme: each matched pair is worth BIG + score, so that
matching more mentees always comes first. Its dual gives every mentee a price u and every
mentor place a price p, both at least zero, with u_i + p_j >= BIG + score(i, j) for every
allowed pair. Any such prices bound the value of every matching (weak duality); if a matching
reaches the bound (every matched pair priced exactly, an unmatched mentee and a mentor with a
free place priced zero) no matching is worth more. Prices are (level, value) meaning
level * BIG + value, as solve_optimal() keeps them.

This module shares no code with the solver beyond the score source, so a bug there cannot
hide itself here. It reads every pair once, a block of mentees at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .sources import ScoreSource, row_blocks


@dataclass(frozen=True)
class Certificate:
    """Prices that prove a matching optimal. See solve_optimal(certificate=...)."""

    mentor_level: np.ndarray  # 1 if the mentor's price includes BIG, else 0
    mentor_price: np.ndarray
    mentee_level: np.ndarray
    mentee_price: np.ndarray


def certificate_errors(
    source: ScoreSource,
    caps: np.ndarray,
    match: np.ndarray,
    cert: Certificate,
    *,
    tol: float = 1e-7,
    limit: int = 10,
) -> list[str]:
    """Why `cert` does not prove `match` optimal over all pairs; empty when it does."""
    n, m = source.shape
    caps = np.asarray(caps, dtype=np.int64)
    match = np.asarray(match, dtype=np.int64)
    a, b = np.asarray(cert.mentor_level), np.asarray(cert.mentor_price, dtype=np.float64)
    la, u = np.asarray(cert.mentee_level), np.asarray(cert.mentee_price, dtype=np.float64)
    errors: list[str] = []

    def fail(text: str) -> bool:
        errors.append(text)
        return len(errors) >= limit

    if not (np.isin(a, (0, 1)).all() and np.isin(la, (0, 1)).all()):
        fail("Price levels must be 0 or 1.")
        return errors
    # Prices at least zero (as level * BIG + value).
    for i in np.flatnonzero((la == 0) & (u < -tol))[:limit]:
        if fail(f"Mentee {i} has a negative price {u[i]}."):
            return errors
    for j in np.flatnonzero((a == 0) & (b < -tol))[:limit]:
        if fail(f"Mentor {j} has a negative price {b[j]}."):
            return errors
    # Complementary slackness: the matching reaches the bound the prices give.
    matched = match >= 0
    load = np.bincount(match[matched], minlength=m)
    if (load > caps).any():
        fail("Some mentor has more mentees than places.")
    for i in np.flatnonzero(~matched & ((la != 0) | (np.abs(u) > tol)))[:limit]:
        if fail(f"Unmatched mentee {i} is priced {la[i]} * BIG + {u[i]}, not zero."):
            return errors
    for j in np.flatnonzero((load < caps) & ((a != 0) | (np.abs(b) > tol)))[:limit]:
        if fail(f"Mentor {j} has a free place but is priced {a[j]} * BIG + {b[j]}."):
            return errors
    rows = np.flatnonzero(matched)
    cols = match[rows]
    levels_ok = (a[cols] + la[rows]) == 1
    for i in rows[~levels_ok][:limit]:
        if fail(f"Matched pair ({i}, {match[i]}) is not priced at BIG + score."):
            return errors
    # Dual feasibility for EVERY pair, and matched pairs priced exactly.
    usable = caps > 0
    for sl in row_blocks(source.shape):
        scores = np.asarray(source.block(sl), dtype=np.float64)
        r = np.arange(sl.start, sl.stop)
        level = a[None, :] + la[r, None]  # 0: the pair would gain BIG; 1: compare values
        allowed = np.isfinite(scores) & usable[None, :]
        over = scores - b[None, :] - u[r, None]
        bad = allowed & ((level == 0) | ((level == 1) & (over > tol)))
        for x, j in zip(*np.nonzero(bad), strict=True):
            if fail(f"Pair ({r[x]}, {j}) is worth more than its prices ({over[x, j]})."):
                return errors
        mine = matched[r]
        here = np.flatnonzero(mine)
        if len(here):
            s = scores[here, match[r[here]]]
            gap = s - b[match[r[here]]] - u[r[here]]
            for x in np.flatnonzero(~np.isfinite(s) | (np.abs(gap) > tol)):
                if fail(f"Matched pair ({r[here[x]]}, {match[r[here[x]]]}) is not tight."):
                    return errors
    return errors
