"""Benchmark of the matching engine (not a test). Run: python bench/engine_bench.py [--quick]

Generates a realistic synthetic cohort with a fixed seed, measures each figure beside a
baseline measured in the same run, prints a markdown table and writes it to
docs/benchmarks.md. Large runs happen in child processes so that peak memory is their own.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.engine import (  # noqa: E402
    MenteeFeatures,
    MentorFeatures,
    MentorPool,
    assign,
    assign_cohort,
    explain,
    recommend,
    score_matrix,
)
from matching.engine.certificate import certificate_errors  # noqa: E402
from matching.engine.optimal import Stats, solve_optimal  # noqa: E402
from matching.engine.scoring import FeatureScores  # noqa: E402

SEED = 20240601

# (slug, family, relative share of UK IMG doctors aiming for it)
SPECIALTIES = [
    ("general-practice", "primary-care", 30.0),
    ("acute-internal-medicine", "medicine", 4.0),
    ("cardiology", "medicine", 2.5),
    ("endocrinology-diabetes", "medicine", 1.5),
    ("gastroenterology", "medicine", 1.5),
    ("geriatric-medicine", "medicine", 4.0),
    ("respiratory-medicine", "medicine", 1.5),
    ("renal-medicine", "medicine", 1.0),
    ("neurology", "medicine", 1.0),
    ("dermatology", "medicine", 1.0),
    ("rheumatology", "medicine", 0.5),
    ("oncology", "medicine", 1.0),
    ("general-surgery", "surgery", 4.0),
    ("trauma-orthopaedics", "surgery", 2.5),
    ("urology", "surgery", 1.0),
    ("vascular-surgery", "surgery", 0.5),
    ("plastic-surgery", "surgery", 0.5),
    ("ent", "surgery", 1.0),
    ("ophthalmology", "surgery", 1.0),
    ("emergency-medicine", "acute-care", 6.0),
    ("anaesthetics", "acute-care", 4.0),
    ("intensive-care-medicine", "acute-care", 1.5),
    ("paediatrics", "women-children", 5.0),
    ("obstetrics-gynaecology", "women-children", 4.0),
    ("psychiatry", "mental-health", 7.0),
    ("radiology", "diagnostics", 3.0),
    ("histopathology", "diagnostics", 1.5),
    ("microbiology", "diagnostics", 0.5),
    ("public-health", "population-health", 0.5),
]
FAMILIES = {slug: family for slug, family, _ in SPECIALTIES}
GOALS = [
    ("career-move", 9),
    ("training-applications", 9),
    ("postgraduate-exams", 8),
    ("leadership", 7),
    ("adapting-uk-practice", 7),
    ("portfolio-pathway", 4),
    ("understanding-nhs", 4),
    ("communication", 3),
    ("quality-improvement", 3),
    ("research", 2),
    ("teaching", 2),
    ("leading-change", 1.5),
    ("stakeholder-management", 1),
    ("wellbeing", 2),
]
REGIONS = [
    ("london", 18),
    ("south-east", 13),
    ("midlands", 17),
    ("north-west", 13),
    ("north-east-yorkshire", 14),
    ("east-of-england", 10),
    ("south-west", 8),
    ("scotland", 4),
    ("wales", 2),
    ("northern-ireland", 1),
]
COUNTRIES = [  # (country, share, languages other than English)
    ("india", 30, ["hindi", "tamil", "telugu", "malayalam"]),
    ("pakistan", 16, ["urdu", "punjabi"]),
    ("nigeria", 13, ["yoruba", "igbo", "hausa"]),
    ("egypt", 9, ["arabic"]),
    ("sudan", 7, ["arabic"]),
    ("bangladesh", 3, ["bengali"]),
    ("sri-lanka", 3, ["sinhala", "tamil"]),
    ("iraq", 3, ["arabic"]),
    ("ghana", 2, ["twi"]),
    ("zimbabwe", 2, ["shona"]),
    ("syria", 2, ["arabic"]),
    ("nepal", 2, ["nepali"]),
    ("malaysia", 2, ["malay"]),
    ("south-africa", 2, ["afrikaans", "zulu"]),
    ("romania", 2, ["romanian"]),
    ("italy", 2, ["italian"]),
]
FORMAT_SETS = [
    (("virtual",), 30),
    (("in_person", "virtual"), 35),
    (("in_person",), 10),
    (("in_person", "virtual", "shadowing"), 15),
    (("virtual", "shadowing"), 5),
    (("in_person", "shadowing"), 5),
]


def _p(weights) -> np.ndarray:
    w = np.array(weights, dtype=float)
    return w / w.sum()


def cohort(n_mentees: int, n_mentors: int, seed: int = SEED):
    """Mentees and mentors that look like the real population (ids are user ids)."""
    rng = np.random.default_rng(seed)
    specs = [s for s, _, _ in SPECIALTIES]
    spec_p = _p([w for _, _, w in SPECIALTIES])
    goals, goal_p = [g for g, _ in GOALS], _p([w for _, w in GOALS])
    regions, region_p = [r for r, _ in REGIONS], _p([w for _, w in REGIONS])
    country_p = _p([w for _, w, _ in COUNTRIES])
    fmt_p = _p([w for _, w in FORMAT_SETS])

    def person_country():
        c = rng.choice(len(COUNTRIES), p=country_p)
        name, _, langs = COUNTRIES[c]
        return name, frozenset(
            rng.choice(langs, size=rng.integers(1, min(2, len(langs)) + 1), replace=False).tolist()
        )

    mentees = []
    for i in range(n_mentees):
        country, langs = person_country()
        n_goals = int(rng.choice([1, 2, 3, 4, 5], p=[0.15, 0.25, 0.3, 0.2, 0.1]))
        mentees.append(
            MenteeFeatures(
                id=i + 1,
                target_specialty=str(rng.choice(specs, p=spec_p)),
                current_specialty=str(rng.choice(specs, p=spec_p)) if rng.random() < 0.6 else None,
                goals=tuple(rng.choice(goals, size=n_goals, replace=False, p=goal_p).tolist()),
                region=str(rng.choice(regions, p=region_p)) if rng.random() < 0.95 else None,
                formats=frozenset(FORMAT_SETS[rng.choice(len(FORMAT_SETS), p=fmt_p)][0]),
                country=country,
                languages=langs,
            )
        )
    mentors = []
    for j in range(n_mentors):
        is_img = bool(rng.random() < 0.45)
        country, langs = person_country() if is_img else ("united-kingdom", frozenset())
        n_specs = int(rng.choice([1, 2, 3], p=[0.6, 0.3, 0.1]))
        # A few people are both mentee and mentor: their user id appears on both sides.
        person = int(rng.integers(1, n_mentees + 1)) if rng.random() < 0.01 else n_mentees + j + 1
        mentors.append(
            MentorFeatures(
                id=person,
                specialties=tuple(
                    dict.fromkeys(rng.choice(specs, size=n_specs, p=spec_p).tolist())
                ),
                goals=frozenset(
                    rng.choice(
                        goals, size=int(rng.integers(2, 9)), replace=False, p=goal_p
                    ).tolist()
                ),
                region=str(rng.choice(regions, p=region_p)),
                formats=frozenset(FORMAT_SETS[rng.choice(len(FORMAT_SETS), p=fmt_p)][0]),
                is_img=is_img,
                country=country,
                languages=langs,
                capacity=int(rng.integers(1, 4)),
            )
        )
    return mentees, mentors


def _timed(fn, repeats: int = 1):
    times, result = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would survive exec from parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _total(scores: np.ndarray, result) -> tuple[int, float]:
    pairs = [(i, j) for i, j in enumerate(result) if j is not None]
    return len(pairs), float(sum(scores[i, j] for i, j in pairs))


def child(task: str, n: int, m: int) -> dict:
    """One large run in this (fresh) process; returns its figures."""
    mentees, mentors = cohort(n, m)
    pool = MentorPool(mentors, FAMILIES)
    base_mb = _peak_mb()
    t, cpu = time.perf_counter(), time.process_time()
    stats = Stats()
    if task == "optimal":
        source = FeatureScores(mentees, pool)
        match = solve_optimal(source, source.capacities, stats=stats)
        result = [None if j < 0 else int(j) for j in match]
    else:
        result = assign_cohort(mentees, pool, method="stable")
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak = _peak_mb()
    matched = [(i, j) for i, j in enumerate(result) if j is not None]
    total = 0.0
    source = FeatureScores(mentees, pool)
    rows = np.array([i for i, _ in matched], dtype=np.int64)
    for lo in range(0, len(rows), 256):
        r = rows[lo : lo + 256]
        block = source.block(r)
        cols = np.array([result[i] for i in r])
        total += float(block[np.arange(len(r)), cols].sum())
    certified = None
    if task == "optimal":  # checked apart from the solver, over every pair, after the clock
        match = np.array([-1 if j is None else j for j in result], dtype=np.int64)
        errors = certificate_errors(source, source.capacities, match, stats.certificate)
        certified = not errors
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mb": peak,
        "inputs_mb": base_mb,
        "matched": len(matched),
        "total": total,
        "rounds": stats.rounds,
        "solves": stats.solves,
        "candidate_pairs": stats.candidate_pairs,
        "added_pairs": stats.added_pairs,
        "certified": certified,
    }


def run_child(task: str, n: int, m: int, root: Path = ROOT) -> dict:
    """A child run of this checkout's engine, or of another checkout's (for before/after)."""
    out = subprocess.run(
        [sys.executable, str(root / "bench" / "engine_bench.py"), "--child", task, str(n), str(m)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(before: Path, repeats: int) -> str:
    """Before and after at national size, alternating runs so both see the same load."""
    n, m = 50000, 20000
    lines = [
        f"## Before and after: national {n:,} x {m:,} (median of {repeats}, runs alternated)",
        "",
        f"Before: the engine in `{before}`; after: this checkout. Wall seconds on a shared,",
        "noisy machine, so the runs alternate and the medians are compared; CPU seconds too.",
        "",
        "| Mode | Before wall (s) | After wall (s) | Ratio | Before CPU (s) | After CPU (s) |"
        " Ratio | Peak MB before / after | Same result |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for task in ("optimal", "stable"):
        runs: dict[str, list[dict]] = {"before": [], "after": []}
        for _ in range(repeats):
            runs["before"].append(run_child(task, n, m, before))
            runs["after"].append(run_child(task, n, m))
        med = {
            side: {
                key: statistics.median(r[key] for r in rs)
                for key in ("seconds", "cpu_seconds", "peak_mb")
                if all(key in r for r in rs)
            }
            for side, rs in runs.items()
        }
        b, a = med["before"], med["after"]
        same = all(
            (r["matched"], round(r["total"], 6))
            == (runs["before"][0]["matched"], round(runs["before"][0]["total"], 6))
            for r in runs["before"] + runs["after"]
        )
        certified = all(r.get("certified", True) is not False for r in runs["after"])
        b_cpu = b.get("cpu_seconds")
        lines.append(
            f"| {task} | {b['seconds']:.1f} | {a['seconds']:.1f} | "
            f"{b['seconds'] / a['seconds']:.1f}x | "
            + (
                f"{b_cpu:.1f} | {a['cpu_seconds']:.1f} | {b_cpu / a['cpu_seconds']:.1f}x | "
                if b_cpu
                else f"- | {a['cpu_seconds']:.1f} | - | "
            )
            + f"{b['peak_mb']:,.0f} / {a['peak_mb']:,.0f} | "
            f"{'yes' if same else 'NO'} ({runs['after'][0]['matched']:,} matched, total "
            f"{runs['after'][0]['total']:,.2f}"
            + (", certificate checked over all pairs" if task == "optimal" and certified else "")
            + ") |"
        )
        for side, rs in runs.items():
            print(task, side, [round(r["seconds"], 1) for r in rs], file=sys.stderr)
    return "\n".join(lines)


def lsa_baseline(scores: np.ndarray, caps) -> tuple[float, int, float]:
    """SciPy's dense solver on the capacity-expanded matrix (each place a column)."""
    from scipy.optimize import linear_sum_assignment

    slots = np.repeat(np.arange(scores.shape[1]), caps)
    expanded = scores[:, slots]
    allowed = np.isfinite(expanded)
    # Forbidden pairs get 0 and allowed ones a bonus, so SciPy matches as many as it can.
    bonus = np.where(allowed, expanded + 1e6, 0.0)
    t = time.perf_counter()
    rows, cols = linear_sum_assignment(bonus, maximize=True)
    seconds = time.perf_counter() - t
    real = allowed[rows, cols]
    return seconds, int(real.sum()), float(expanded[rows, cols][real].sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="CHECKOUT",
        help="also time the national runs against the engine in another checkout (before)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs per side for --compare")
    args = parser.parse_args()
    quick = args.quick
    n, m = (1000, 400) if quick else (5000, 2000)
    lines: list[tuple[str, str, str, str]] = []  # (measure, ours, baseline, goal)

    mentees, mentors = cohort(n, m)
    score_matrix(mentees[:50], mentors, families=FAMILIES)  # warm up
    seconds, scores = _timed(lambda: score_matrix(mentees, mentors, families=FAMILIES), 5)
    ns = seconds / scores.size * 1e9
    rng = np.random.default_rng(SEED)
    sample = rng.integers(0, [n, m], size=(2000 if quick else 20000, 2))
    t = time.perf_counter()
    for i, j in sample:
        explain(mentees[i], mentors[j], families=FAMILIES)
    base_ns = (time.perf_counter() - t) / len(sample) * 1e9
    met = "met" if ns <= 10 else "missed"
    lines.append(
        (
            f"score_matrix {n:,} x {m:,} (ns per pair, median of 5, incl. encoding)",
            f"{ns:.1f}",
            f"{base_ns:,.0f} (Python loop over explain)",
            f"<= 10 ns: {met}",
        )
    )

    n_rec = 2000 if quick else 20000
    _, rec_mentors = cohort(200, n_rec, seed=SEED + 1)
    rec_mentees = mentees[:50]
    pool = MentorPool(rec_mentors, FAMILIES)
    recommend(rec_mentees[0], pool, families=FAMILIES)
    warm = statistics.median(
        _timed(lambda me=me: recommend(me, pool, k=10))[0] for me in rec_mentees
    )
    cold = statistics.median(
        _timed(lambda me=me: recommend(me, rec_mentors, k=10, families=FAMILIES))[0]
        for me in rec_mentees[:5]
    )
    t = time.perf_counter()
    sorted(
        ((explain(rec_mentees[0], mr, families=FAMILIES).total, -mr.id) for mr in rec_mentors),
        reverse=True,
    )[:10]
    base = time.perf_counter() - t
    met = "met" if warm < 0.005 else "missed"
    lines.append(
        (
            f"recommend 1 mentee over {n_rec:,} mentors (ms, cached MentorPool)",
            f"{warm * 1e3:.2f}",
            f"{base * 1e3:,.0f} (explain + sort in Python)",
            f"< 5 ms: {met}",
        )
    )
    lines.append(
        (
            f"recommend, mentors encoded on every call (ms, {n_rec:,} mentors)",
            f"{cold * 1e3:.1f}",
            "same baseline",
            "(for information)",
        )
    )

    caps = [mr.capacity for mr in mentors]
    opt_s, result = _timed(lambda: assign(scores, caps, "optimal"))
    got = _total(scores, result)
    lsa_s, lsa_count, lsa_total = lsa_baseline(scores, caps)
    same = got[0] == lsa_count and abs(got[1] - lsa_total) <= 1e-6 * max(1.0, abs(lsa_total))
    met = "met" if opt_s <= lsa_s and same else "missed"
    lines.append(
        (
            f"assign optimal {n:,} x {m:,} (s)",
            f"{opt_s:.2f} ({got[0]:,} matched, total {got[1]:,.2f})",
            f"{lsa_s:.2f} (SciPy linear_sum_assignment, {lsa_count:,} matched, "
            f"total {lsa_total:,.2f})",
            f"no slower, same total: {met}",
        )
    )
    st_s, st_result = _timed(lambda: assign(scores, caps, "stable"))
    st = _total(scores, st_result)
    lines.append(
        (
            f"assign stable {n:,} x {m:,} (s)",
            f"{st_s:.2f} ({st[0]:,} matched, total {st[1]:,.2f})",
            "-",
            "(for information)",
        )
    )

    sizes = [1000, 5000] if quick else [1000, 5000, 20000, 50000]
    growth = []
    for size in sizes:
        mentor_count = size * 2 // 5
        opt = run_child("optimal", size, mentor_count)
        stb = run_child("stable", size, mentor_count)
        growth.append((size, mentor_count, opt, stb))
    big = growth[-1]
    scale = "largest (quick run)" if quick else "national"
    size, mentor_count, opt, stb = big
    dense_gb = size * mentor_count * 8 / 1e9
    opt_ok = opt["seconds"] < 60 and opt["peak_mb"] < 4096
    stb_ok = stb["seconds"] < 60 and stb["peak_mb"] < 4096
    lines.append(
        (
            f"{scale} optimal {size:,} x {mentor_count:,}, capacities 1-3 (s, peak MB)",
            f"{opt['seconds']:.1f} s ({opt['cpu_seconds']:.1f} s CPU), {opt['peak_mb']:,.0f} MB, "
            f"{opt['matched']:,} matched, "
            f"total {opt['total']:,.2f}, {opt['rounds']} rounds ({opt['solves']} solves), "
            "proved over all pairs"
            + (", certificate checked independently" if opt.get("certified") else ""),
            f"dense: a {dense_gb:.1f} GB score matrix alone; not run",
            f"< 60 s and < 4 GB, exact: {'met' if opt_ok else 'missed'}",
        )
    )
    lines.append(
        (
            f"{scale} stable {size:,} x {mentor_count:,} (s, peak MB)",
            f"{stb['seconds']:.1f} s ({stb['cpu_seconds']:.1f} s CPU), {stb['peak_mb']:,.0f} MB, "
            f"{stb['matched']:,} matched, "
            f"total {stb['total']:,.2f}",
            "dense: sorting every pair; not run",
            f"< 60 s: {'met' if stb_ok else 'missed'}",
        )
    )

    table = ["| Measure | This engine | Baseline (same run) | Goal |", "|---|---|---|---|"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in lines]
    grow = [
        "| Mentees | Mentors | Optimal (s) | Optimal peak MB | Optimal rounds (solves) |"
        " Stable (s) | Stable peak MB | Matched (optimal / stable) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, mentor_count, opt, stb in growth:
        grow.append(
            f"| {size:,} | {mentor_count:,} | {opt['seconds']:.2f} | {opt['peak_mb']:,.0f} | "
            f"{opt['rounds']} ({opt['solves']}) | {stb['seconds']:.2f} | {stb['peak_mb']:,.0f} | "
            f"{opt['matched']:,} / {stb['matched']:,} |"
        )
    extra = f" --compare {args.compare} --repeats {args.repeats}" if args.compare else ""
    machine = f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
    text = "\n".join(
        [
            "# Matching engine benchmarks",
            "",
            f"Generated by `python bench/engine_bench.py{' --quick' if quick else ''}{extra}` "
            f"(seed {SEED}) on {machine}, NumPy {np.__version__}.",
            "Synthetic cohort: UK-like specialty mix (General Practice largest), 1-5 goals,",
            "capacities 1-3; peak MB is the child process's maximum resident memory.",
            "",
            *table,
            "",
            "## How time grows (mentors at 40% of mentees)",
            "",
            *grow,
            "",
        ]
    )
    if args.compare:
        text += "\n" + compare(args.compare.resolve(), max(1, args.repeats)) + "\n"
    print(text)
    if not quick:
        (ROOT / "docs" / "benchmarks.md").write_text(text)
    else:
        print("(--quick: docs/benchmarks.md left unchanged)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
    else:
        main()
