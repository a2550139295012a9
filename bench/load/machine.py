"""The machine side of the load benchmark (bench/load/run.py): the processes it starts and
stops, waiting for them, the CPU they use, and what the report says about the machine."""

from __future__ import annotations

import os
import platform
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from bench.load import report

ROOT = Path(__file__).resolve().parents[2]


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
