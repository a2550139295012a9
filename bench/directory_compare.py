"""Before and after, in one run: the directory benchmark's pages timed for two versions of the
code at once, against the same database (not a test).

Run: python bench/directory_compare.py BEFORE_TREE [--mentors 20000] [--rounds 5] [--repeats 6]
     e.g. git archive main | tar -x -C /tmp/before && python bench/directory_compare.py /tmp/before

The machine these run on is shared and noisy, so figures taken minutes apart do not compare.
Here one database is loaded (bench/directory_bench.py's data), then two worker processes, one
importing the code in BEFORE_TREE and one this checkout, take turns: each round times every
page for one and then the other (the order alternating), so both see the same noise. Each
worker has its own cache key prefix in the same Redis (REDIS_URL). Prints a markdown table
of medians, 95th percentiles and the before/after ratio of medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ROWS = [
    ("Ranked by match, page 1 (default)", "", None),
    ("Ranked by match, page 50", "?page=50", None),
    (
        "Ranked, filtered (GP, free place) and searched",
        "?specialty=general-practice&free_place=on&q=supporting",
        None,
    ),
    ("Ranked, searched for a goal and an exam (leadership MRCP)", "?q=leadership+MRCP", None),
    ("Name order, page 1", "?order=name", None),
    ("Ranked, first request after a mentor changes (capacity)", "", "change"),
]


def worker(tree: str, prefix: str) -> None:
    """Serve timing requests on stdin, one JSON line each, with the code in `tree`."""
    sys.path.insert(0, str(ROOT / "bench"))
    from directory_bench import DEFAULT_URL, configure

    # directory_bench put this checkout first on the path: the worker's code is `tree`'s.
    while str(ROOT) in sys.path:
        sys.path.remove(str(ROOT))
    sys.path.insert(0, tree)
    configure(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    from django.conf import settings

    settings.CACHES["default"]["KEY_PREFIX"] = prefix  # before the cache is first used
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from accounts.models import User
    from mentorship.models import MentorProfile, Programme

    setup_test_environment()
    programme = Programme.objects.get(slug="bench")
    client = Client()
    client.force_login(User.objects.get(email="mentee@example.org"))
    base = f"/programmes/{programme.slug}/mentors/"
    for _ in range(3):
        client.get(base)

    def change() -> None:
        profile = MentorProfile.objects.in_programme(programme).order_by("?").first()
        profile.capacity = profile.capacity % 3 + 1
        profile.save(update_fields=["capacity", "updated_at"])

    print(json.dumps({"ready": os.getpid()}), flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        times = []
        for _ in range(ask["repeats"]):
            if ask["before"] == "change":
                change()
            start = time.perf_counter()
            response = client.get(base + ask["path"])
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get(base + ask["path"])
        print(json.dumps({"times": times, "queries": len(queries)}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("before_tree")
    parser.add_argument("--mentors", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=6)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--prefix", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.prefix)
        return

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from directory_bench import DEFAULT_URL, configure, load, recreate_database

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    configure(url)
    recreate_database(url)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    cache.clear()
    call_command("migrate", verbosity=0)
    load(args.mentors)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()

    sides = {"before": Path(args.before_tree).resolve(), "after": ROOT}
    workers = {}
    for name, tree in sides.items():
        workers[name] = subprocess.Popen(
            [sys.executable, __file__, "x", "--worker", str(tree), "--prefix", name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=tree,
        )
        assert "ready" in json.loads(workers[name].stdout.readline())

    def ask(name: str, path: str, before: str | None) -> dict:
        process = workers[name]
        process.stdin.write(json.dumps({"path": path, "before": before, "repeats": args.repeats}))
        process.stdin.write("\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    times = {(row[0], name): [] for row in ROWS for name in sides}
    queries = {}
    for round_number in range(args.rounds):
        order = list(sides) if round_number % 2 == 0 else list(reversed(sides))
        for label, path, before in ROWS:
            for name in order:
                answer = ask(name, path, before)
                times[(label, name)] += answer["times"]
                queries[(label, name)] = answer["queries"]
    for process in workers.values():
        process.stdin.close()
        process.wait(timeout=60)

    def p95(values: list[float]) -> float:
        values = sorted(values)
        return values[int(0.95 * (len(values) - 1))]

    lines = [
        f"PostgreSQL, {args.mentors:,} vetted mentors, Redis cache; {args.rounds} rounds of "
        f"{args.repeats} requests per page and side, before and after taking turns.",
        "",
        "| Page | Before median ms | After median ms | Before / after | Before p95 | "
        "After p95 | Queries before / after |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, _, _ in ROWS:
        before, after = times[(label, "before")], times[(label, "after")]
        b, a = statistics.median(before), statistics.median(after)
        lines.append(
            f"| {label} | {b:.1f} | {a:.1f} | {b / a:.1f}x | {p95(before):.1f} | "
            f"{p95(after):.1f} | {queries[(label, 'before')]} / {queries[(label, 'after')]} |"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
