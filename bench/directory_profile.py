"""Where one directory request spends its time (not a test, not a benchmark).

Run: python bench/directory_profile.py [--mentors 20000] [--requests 50] [--out FILE]

Loads the same data as bench/directory_bench.py into its throwaway PostgreSQL database, warms
the cache, then for ranked page 1 as the signed-in mentee prints: every SQL statement one
request makes with its time, and the top functions of a cProfile over --requests requests
(by own time and by cumulative time). docs/directory-speed/README.md quotes its output.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from directory_bench import DEFAULT_URL, configure, load, recreate_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentors", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--path", default="", help="query string to add, e.g. '?q=GP'")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--reuse", action="store_true", help="keep the data of the last run")
    parser.add_argument("--callers", default="", help="also print who calls these functions")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    configure(url)
    if not args.reuse:
        recreate_database(url)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    cache.clear()  # a pool cached by an earlier run is of an earlier database
    if args.reuse:
        from accounts.models import User
        from mentorship.models import Programme

        programme = Programme.objects.get(slug="bench")
        mentee = User.objects.get(email="mentee@example.org")
    else:
        call_command("migrate", verbosity=0)
        programme, mentee = load(args.mentors)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    client = Client()
    client.force_login(mentee)
    url = f"/programmes/{programme.slug}/mentors/{args.path}"
    for _ in range(3):  # warm the cache, the template loader and the connection
        client.get(url)

    reset_queries()
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    total = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    print(f"## One request: {total:.1f} ms, {len(queries)} queries, {sql_ms:.1f} ms in SQL\n")
    for q in queries:
        print(f"- {float(q['time']) * 1000:6.2f} ms  {q['sql'][:160]}")

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(args.requests):
        client.get(url)
    profiler.disable()
    each = (time.perf_counter() - start) * 1000 / args.requests
    print(f"\n## cProfile over {args.requests} requests ({each:.1f} ms each under the profiler)")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        text = out.getvalue()
        print(f"\n### Top {args.top} by {order}\n")
        print(text[text.index("ncalls") :])
    if args.callers:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
        stats.print_callees(args.callers)
        print(out.getvalue())


if __name__ == "__main__":
    main()
