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
import platform
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.load import checks, report  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/imgm_load"
BIN = Path(sys.executable).parent


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def ensure_postgres(database_url: str) -> None:
    """Connect to the server's postgres database; if that fails, start the cluster."""
    import psycopg

    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    try:
        psycopg.connect(admin, connect_timeout=3).close()
        return
    except psycopg.OperationalError:
        pass
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True)
    for line in clusters.stdout.splitlines():
        version, name = line.split()[:2]
        log(f"Starting PostgreSQL {version}/{name}")
        subprocess.run(["pg_ctlcluster", version, name, "start"], check=False)
    psycopg.connect(admin, connect_timeout=10).close()


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


class Processes:
    """Children started by this run, stopped (their whole process group) in reverse order."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.children: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        out = open(self.logs / f"{name}.log", "w")
        child = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.children.append((name, child))
        return child

    def stop(self, name: str | None = None) -> None:
        for child_name, child in reversed(self.children):
            if name not in (None, child_name) or child.poll() is not None:
                continue
            try:
                os.killpg(child.pid, signal.SIGTERM)
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
            except ProcessLookupError:
                pass


def wait_for(what: str, ready, timeout: float, every: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return True
        except Exception:  # noqa: BLE001 (not up yet)
            pass
        time.sleep(every)
    log(f"Gave up waiting for {what} after {timeout:.0f} s")
    return False


def http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status == 200


class CpuSampler(threading.Thread):
    """Whole-machine CPU use from /proc/stat, once a second, and CPU seconds per process
    group (gunicorn, Celery, PostgreSQL, Redis, Locust) over the run, with psutil."""

    GROUPS = {
        "gunicorn": "gunicorn",
        "celery": "celery",
        "postgres": "postgres (other databases)",
        "redis-server": "redis",
    }

    def __init__(self, database: str) -> None:
        super().__init__(daemon=True)
        # A backend's command line names its database: "postgres: postgres imgm_load ...".
        self.own_backend = f" {database} "
        self.samples: list[float] = []
        self.stopping = threading.Event()
        self.before = self.group_seconds()

    def run(self) -> None:
        last = report.read_proc_stat(Path("/proc/stat").read_text())
        while not self.stopping.wait(1.0):
            now = report.read_proc_stat(Path("/proc/stat").read_text())
            self.samples.append(report.cpu_from_proc_stat(last, now))
            last = now

    def group_seconds(self) -> dict[int, tuple[str, float]]:
        import psutil

        seen = {}
        for p in psutil.process_iter(["pid", "name", "cmdline", "cpu_times"]):
            text = " ".join(p.info["cmdline"] or [p.info["name"] or ""])
            group = next((g for key, g in self.GROUPS.items() if key in text), None)
            if group and group.startswith("postgres") and self.own_backend in text + " ":
                group = "postgres (this database)"
            if group and p.info["cpu_times"]:
                seen[p.info["pid"]] = (group, sum(p.info["cpu_times"][:2]))
        return seen

    def finish(self, elapsed: float, extra: dict[str, float]) -> dict[str, float]:
        """Each group's CPU seconds; `extra` adds seconds measured otherwise (Locust has
        exited by now: its seconds come from getrusage)."""
        self.stopping.set()
        after = self.group_seconds()
        by_group: dict[str, float] = dict(extra)
        for pid, (group, seconds) in after.items():
            by_group[group] = (
                by_group.get(group, 0.0) + seconds - self.before.get(pid, ("", 0.0))[1]
            )
        return by_group


def cpu_shares(seconds: dict[str, float], elapsed: float, mean: float) -> str:
    """ "gunicorn 40%, postgres 20%, ..., everything else 10%" of the whole machine: what is
    left of its mean use is other people's processes (a shared machine)."""
    cores = os.cpu_count() or 1
    shares = {g: 100 * s / (elapsed * cores) for g, s in seconds.items()}
    parts = [f"{g} {p:.0f}%" for g, p in sorted(shares.items(), key=lambda kv: -kv[1])]
    parts.append(f"everything else {max(mean - sum(shares.values()), 0):.0f}%")
    return ", ".join(parts)


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


def versions() -> dict[str, str]:
    from importlib.metadata import version

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True)
    redis_version = next((w.split("=")[1] for w in redis.stdout.split() if w.startswith("v=")), "?")
    return {
        "python": platform.python_version(),
        "django": version("Django"),
        "gunicorn": version("gunicorn"),
        "celery": version("celery"),
        "locust": version("locust"),
        "postgres": postgres,
        "redis": redis_version,
    }


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line),
        platform.processor() or "?",
    )
    memory = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    changed = [line[3:] for line in changed if line.strip() and not line[3:].startswith("docs/")]
    if changed:
        commit += " with uncommitted changes to " + ", ".join(changed)
    return {
        "cores": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": memory / 1024 / 1024,
        "commit": commit or "?",
    }


def queue_length(redis_port: int) -> int:
    out = subprocess.run(
        ["redis-cli", "-p", str(redis_port), "LLEN", "celery"], capture_output=True, text=True
    )
    return int(out.stdout.strip() or 0)


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
