"""The load benchmark, in one command (`make bench-load`; not a test).

Run: python bench/load/run.py [--users 20] [--duration 90] [--label before] [--no-write]

1. Starts what production runs, on loopback: Redis (its own server on --redis-port), an SMTP
   sink that counts each email (aiosmtpd), a Celery worker with beat, and gunicorn with the
   documented settings (docs/deployment.md: DEBUG off, generated SECRET_KEY and
   MFA_ENCRYPTION_KEYS, collected static files, --workers 3) except HTTPS=0 (plain HTTP on
   127.0.0.1). PostgreSQL is the machine's own (started with pg_ctlcluster if it is down).
2. Loads one programme (bench/load/seed.py: 20,000 mentors, 50,000 mentees, requests and
   mentorships in every state) into BENCH_LOAD_DATABASE_URL, or reuses it when its shape
   matches, and picks who signs in.
3. Waits for the worker to finish what beat queues at start, then runs Locust headless
   (bench/load/locustfile.py) for --duration seconds with --users users, sampling the
   machine's CPU.
4. Waits for the emails to be delivered, then checks: no mentor over capacity, every email
   written during the run received by the sink exactly once, no HTTP 5xx.
5. Prints the report and writes it to docs/benchmarks-load.md under `## <label>`.
Every process it started is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.load import checks, report  # noqa: E402
from bench.load.machine import (  # noqa: E402
    CpuSampler,
    Processes,
    cpu_shares,
    ensure_postgres,
    http_ok,
    log,
    machine,
    queue_length,
    versions,
    wait_for,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/imgm_load"
BIN = Path(sys.executable).parent


def environment(args, database_url: str) -> dict[str, str]:
    """Production settings for this machine: fresh secrets each run."""
    from cryptography.fernet import Fernet

    base = f"http://127.0.0.1:{args.port}"
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "HTTPS": "0",  # plain HTTP on loopback; everything else as in production
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MFA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": base,
        "SITE_URL": base,
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(args.smtp_port),
        "DEFAULT_FROM_EMAIL": "IMG Mentor Match <noreply@example.org>",
        # The backup flush every 15 s instead of 60, so the final email count is not kept
        # waiting; emails are sent straight after each commit either way.
        "OUTBOX_FLUSH_SECONDS": "15",
        "LOG_LEVEL": "WARNING",
    }


def run_locust(args, base: str, cast_file: Path, results_file: Path, *, baseline: bool):
    """Locust headless; `baseline`: one user of each kind for --baseline seconds."""
    users, duration = (3, args.baseline) if baseline else (args.users, args.duration)
    # The locustfile measures `duration` seconds from when everyone has signed in, then
    # stops; the run time is only a cap in case some never do.
    return subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench/load/locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(args.spawn_rate),
            "--run-time",
            f"{duration + 300}s",
            "--host",
            base,
            "--stop-timeout",
            "10",
            "--only-summary",
            "--exit-code-on-error",
            "0",
            *(["--exclude-tags", *args.exclude_tags.split(",")] if args.exclude_tags else []),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "LOAD_CAST": str(cast_file),
            "LOAD_RESULTS": str(results_file),
            "LOAD_WAIT": args.wait,
            "LOAD_ONE_OF_EACH": "1" if baseline else "",
            "LOAD_MEASURE_S": str(duration),
        },
        stdout=subprocess.DEVNULL if baseline else None,
        stderr=subprocess.DEVNULL if baseline else None,
    )


def settled(baseline: int, redis_port: int) -> bool:
    """Nothing queued for the worker and no email of this run waiting to be sent."""
    from mentorship.models import OutboxEmail

    waiting = OutboxEmail.objects.filter(pk__gt=baseline, status__in=["pending", "sending"])
    return queue_length(redis_port) == 0 and not waiting.exists()


def main() -> int:  # noqa: PLR0915 (one straight story, top to bottom)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", type=int, default=90, help="seconds of load")
    parser.add_argument("--wait", default="0.05,0.25", help="think time range, seconds")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--mentors", type=int, default=20_000)
    parser.add_argument("--mentees", type=int, default=50_000)
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--smtp-port", type=int, default=2526)
    parser.add_argument("--settle", type=int, default=240, help="max seconds to wait for beat")
    parser.add_argument(
        "--baseline",
        type=int,
        default=30,
        help="seconds of one user of each kind before the load (0: none)",
    )
    parser.add_argument(
        "--exclude-tags",
        default="",
        help="Locust tags to leave out of the mix, comma-separated (approvals, dashboard)",
    )
    parser.add_argument("--label", default="latest", help="the section of the docs file")
    parser.add_argument("--no-write", action="store_true", help="do not write the docs file")
    args = parser.parse_args()
    if args.duration > 600 or args.users > 200:
        parser.error("bounded: at most 600 s and 200 users")

    database_url = os.environ.get("BENCH_LOAD_DATABASE_URL", DEFAULT_URL)
    ensure_postgres(database_url)
    env = environment(args, database_url)
    os.environ.update(env)
    work = Path(tempfile.mkdtemp(prefix="load-bench-"))
    processes = Processes(work)
    log(f"Logs in {work}")
    sink = None
    try:
        processes.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(args.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            {},
        )
        wait_for("Redis", lambda: queue_length(args.redis_port) == 0, 20)

        from bench.dashboard_bench import database_exists, recreate_database

        if not database_exists(database_url):
            recreate_database(database_url)
        import django

        django.setup()
        from bench.load import seed

        programme, counts, reused, load_s = seed.ensure_programme(
            database_url, args.mentors, args.mentees, log=log
        )
        log(("Reused" if reused else "Loaded") + f" the programme ({load_s:.0f} s)")
        cast = seed.pick_cast(programme)
        cast_file = work / "cast.json"
        cast_file.write_text(json.dumps(cast.__dict__))
        log(
            f"Cast: {len(cast.mentees)} mentees, {len(cast.mentors)} mentors, "
            f"{len(cast.managers)} managers"
        )
        subprocess.run(
            [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=os.environ,
            check=True,
        )
        capacity_before = checks.over_capacity()
        baseline = checks.last_outbox_id()
        sink, counter = checks.start_sink(args.smtp_port)

        processes.start(
            "celery",
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--beat",
                "--loglevel=INFO",
                "--concurrency=2",
                "--schedule",
                str(work / "celerybeat-schedule"),
            ],
            {},
        )
        processes.start(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--timeout",
                "30",
            ],
            {},
        )
        base = f"http://127.0.0.1:{args.port}"
        if not wait_for("gunicorn", lambda: http_ok(f"{base}/healthz"), 60):
            raise SystemExit("gunicorn did not start: see " + str(work / "gunicorn.log"))
        log("Waiting for the worker to finish what beat queued at start...")
        time.sleep(5)
        wait_for("the start-up jobs", lambda: settled(baseline, args.redis_port), args.settle, 2)

        baseline_results = None
        if args.baseline:
            # Also warms what a first request builds (the directory's cached mentor pool).
            log(f"Baseline: one mentee, one mentor and one manager for {args.baseline} s")
            baseline_file = work / "baseline.json"
            run_locust(args, base, cast_file, baseline_file, baseline=True)
            if baseline_file.exists():
                baseline_results = json.loads(baseline_file.read_text())

        load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        sampler = CpuSampler(database_url.rsplit("/", 1)[1])
        sampler.start()
        started = time.monotonic()
        log(f"Locust: {args.users} users for {args.duration} s")
        results_file = work / "results.json"
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        locust = run_locust(args, base, cast_file, results_file, baseline=False)
        elapsed = time.monotonic() - started
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        locust_s = sum(
            getattr(children, f) - getattr(children_before, f) for f in ("ru_utime", "ru_stime")
        )
        cpu_seconds = sampler.finish(elapsed, {"locust": locust_s})
        if locust.returncode not in (0, 1) or not results_file.exists():
            raise SystemExit(f"Locust failed ({locust.returncode})")
        results = json.loads(results_file.read_text())

        log("Waiting for the emails to be delivered...")
        wait_for("the outbox", lambda: settled(baseline, args.redis_port), 120, 2)
        time.sleep(2)
        processes.stop("gunicorn")
        processes.stop("celery")
        emails = checks.email_check(
            checks.outbox_rows_since(baseline), counter.by_outbox_id, baseline
        )
        capacity = checks.capacity_check(capacity_before, checks.over_capacity())
        outcome = {
            "emails": emails,
            "capacity": capacity,
            "server_errors": len(results["server_errors"]),
        }
        conditions = {
            **machine(),
            **versions(),
            "when": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "load_before": load_before,
            "users": args.users,
            "spawn_rate": f"{args.spawn_rate:g}",
            "wait": args.wait.replace(",", "-"),
            "duration_s": args.duration,
            "excluded": args.exclude_tags,
            "gunicorn_workers": args.workers,
            "gunicorn_threads": args.threads,
            "data": f"one programme with {args.mentors:,} mentors and {args.mentees:,} mentees "
            "in every state (" + ", ".join(f"{n:,} {name}" for name, n in counts.items()) + ")",
            "reused": reused,
            "cpu": report.cpu_summary(sampler.samples),
            "cpu_by_process": cpu_shares(
                cpu_seconds, elapsed, report.cpu_summary(sampler.samples)["mean"]
            ),
            "cpu_per_request": report.cpu_per_request(cpu_seconds, results),
        }
        text = report.section(args.label, results, conditions, outcome, baseline_results)
        print("\n" + text)
        for failure in results["failures"][:20]:
            print(f"  failure: {failure['name']}: {failure['error']} x{failure['occurrences']}")
        (work / "outcome.json").write_text(json.dumps({**outcome, "conditions": conditions}))
        if not args.no_write:
            path = ROOT / "docs" / "benchmarks-load.md"
            old = path.read_text() if path.exists() else ""
            path.write_text(report.replace_section(old, args.label, text))
            log(f"Wrote {path.relative_to(ROOT)}")
        ok = emails["ok"] and capacity["new_or_worse"] == 0 and outcome["server_errors"] == 0
        return 0 if ok else 1
    finally:
        processes.stop()
        if sink is not None:
            sink.stop()
        log(f"Stopped everything; logs kept in {work}")
        shutil.rmtree(work / "celerybeat-schedule", ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
