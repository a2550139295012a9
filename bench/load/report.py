"""The load benchmark's figures and its markdown: pure functions over plain data, so they can
be tested without a server.

`results` is what the locustfile writes when Locust quits (LOAD_RESULTS): one dict per page
name with requests, failures, p50/p95/p99 in ms, plus the run's duration in seconds and a
"directory" dict for all directory pages together.
"""

from __future__ import annotations

import re

TARGET_DIRECTORY_P95_MS = 300
TARGET_DIRECTORY_PER_S = 40
DIRECTORY_PREFIX = "directory:"


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (nearest rank), 0 for none."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-len(sorted_values) * fraction // 1))  # ceil(n * fraction)
    return float(sorted_values[int(rank) - 1])


def cpu_summary(samples: list[float]) -> dict[str, float]:
    """Whole-machine CPU use (percent of all cores) from periodic samples."""
    if not samples:
        return {"mean": 0.0, "max": 0.0}
    return {"mean": sum(samples) / len(samples), "max": max(samples)}


def cpu_from_proc_stat(before: list[int], after: list[int]) -> float:
    """Percent busy between two readings of /proc/stat's "cpu" line (user nice system idle
    iowait irq softirq steal ...): 100 * (1 - idle delta / total delta)."""
    total = sum(after) - sum(before)
    idle = (after[3] + after[4]) - (before[3] + before[4])
    return 100.0 * (1 - idle / total) if total > 0 else 0.0


def read_proc_stat(text: str) -> list[int]:
    line = next(row for row in text.splitlines() if row.startswith("cpu "))
    return [int(x) for x in line.split()[1:]]


def verdicts(results: dict) -> list[tuple[str, str, bool]]:
    """Each target with the measured figure and whether it was met."""
    directory = results["directory"]
    per_s = directory["requests"] / results["duration_s"] if results["duration_s"] else 0.0
    errors = sum(row["failures"] for row in results["pages"].values())
    return [
        (
            f"Directory p95 <= {TARGET_DIRECTORY_P95_MS} ms",
            f"{directory['p95']:.0f} ms",
            directory["requests"] > 0 and directory["p95"] <= TARGET_DIRECTORY_P95_MS,
        ),
        (
            f"Directory pages/s >= {TARGET_DIRECTORY_PER_S}",
            f"{per_s:.1f}",
            per_s >= TARGET_DIRECTORY_PER_S,
        ),
        ("0 errors", str(errors), errors == 0),
    ]


def cpu_per_request(cpu_seconds: dict[str, float], results: dict) -> str:
    """CPU milliseconds per request of the app's own processes. Unlike latency this hardly
    depends on what else the machine is doing, so it compares runs on a busy machine."""
    requests = results.get("requests_whole_run") or results["total"]["requests"]
    if not requests:
        return ""
    parts = [
        f"{group} {1000 * cpu_seconds[group] / requests:.0f} ms"
        for group in ("gunicorn", "postgres (this database)", "celery")
        if group in cpu_seconds
    ]
    return ", ".join(parts)


def page_table(results: dict, baseline: dict | None = None) -> list[str]:
    """One markdown row per page, busiest first, then all directory pages and everything.
    With `baseline` (one user of each kind, before the load) a column of its p50."""
    duration = results["duration_s"] or 1.0
    extra = " p50 ms, 1 of each |" if baseline else ""
    lines = [
        f"| Page | Requests | Req/s | p50 ms | p95 ms | p99 ms | Errors |{extra}",
        "|---|--:|--:|--:|--:|--:|--:|" + ("--:|" if baseline else ""),
    ]

    def row(name: str, r: dict, alone: dict | None, bold: bool = False) -> str:
        cells = [
            name,
            f"{r['requests']:,}",
            f"{r['requests'] / duration:.1f}",
            f"{r['p50']:.0f}",
            f"{r['p95']:.0f}",
            f"{r['p99']:.0f}",
            str(r["failures"]),
        ]
        if baseline is not None:
            cells.append(f"{alone['p50']:.0f}" if alone and alone["requests"] else "–")
        if bold:
            cells = [f"**{c}**" if c != "–" else c for c in cells]
        return "| " + " | ".join(cells) + " |"

    pages = sorted(results["pages"].items(), key=lambda item: (-item[1]["requests"], item[0]))
    alone = (baseline or {}).get("pages", {})
    lines += [row(name, r, alone.get(name)) for name, r in pages]
    lines.append(
        row("All directory pages", results["directory"], (baseline or {}).get("directory"), True)
    )
    lines.append(
        row("All pages after sign-in", results["total"], (baseline or {}).get("total"), True)
    )
    return lines


def checks_lines(checks: dict) -> list[str]:
    """The post-run checks as a list, each with its verdict."""
    emails = checks["emails"]
    capacity = checks["capacity"]
    ok = "passed"
    lines = [
        f"- **No mentor over capacity** (`MentorProfileQuerySet.with_free_places`, places left "
        f"< 0): {capacity['new_or_worse']} newly or further over capacity after the run, "
        f"{capacity['after']} over in all ({capacity['before']} before it); "
        f"{ok if capacity['new_or_worse'] == 0 else 'FAILED'}.",
        f"- **Every email once**: {emails['rows']} outbox rows written during the run "
        f"({emails['sent']} sent, {emails['pending']} still pending, {emails['failed']} "
        f"failed); the SMTP sink received {emails['received']} of them; lost "
        f"{emails['lost']}, doubled {emails['doubled']}, unknown {emails['unknown']}; "
        f"{ok if emails['ok'] else 'FAILED'}.",
        f"- **No HTTP 5xx**: {checks['server_errors']}; "
        f"{ok if checks['server_errors'] == 0 else 'FAILED'}.",
    ]
    return lines


def section(
    label: str, results: dict, conditions: dict, checks: dict, baseline: dict | None = None
) -> str:
    """The markdown for one run, headed `## <label>`."""
    c = conditions
    lines = [
        f"## {label}",
        "",
        f"Run {c['when']} on commit `{c['commit']}`. {c['cores']} cores ({c['cpu_model']}), "
        f"{c['memory_gb']:.0f} GB; load average before the run {c['load_before']}. "
        f"{c['users']} Locust users (spawned {c['spawn_rate']}/s, think time "
        f"{c['wait']} s between requests"
        + (f"; left out of the mix: {c['excluded']}" if c.get("excluded") else "")
        + f") for {c['duration_s']} s after everyone had signed in, against gunicorn "
        f"({c['gunicorn_workers']} sync workers x {c['gunicorn_threads']} thread) on loopback; "
        f"a Celery worker with beat; PostgreSQL {c['postgres']}, Redis {c['redis']}; "
        f"Python {c['python']}, Django {c['django']}, gunicorn {c['gunicorn']}, Celery "
        f"{c['celery']}, Locust {c['locust']}. Data: {c['data']}"
        + (" (loaded by an earlier run)." if c["reused"] else "."),
        "",
        f"Whole-machine CPU during the run (all {c['cores']} cores = 100%): mean "
        f"{c['cpu']['mean']:.0f}%, max {c['cpu']['max']:.0f}%"
        + (
            f"; by process, share of the machine: {c['cpu_by_process']}."
            if c.get("cpu_by_process")
            else "."
        )
        + " Locust itself runs on the same machine."
        + (
            f" CPU per request (all requests of the run, sign-in included): {c['cpu_per_request']}."
            if c.get("cpu_per_request")
            else ""
        ),
        "",
        (
            f"Everyone had signed in {results['everyone_signed_in_after_s']:.0f} s into the run "
            "(Argon2 is slow by design); the figures below, but the sign-in rows, cover the "
            f"{results['duration_s']:.0f} s after that."
            if results.get("everyone_signed_in_after_s") is not None
            else "Not everyone managed to sign in: the figures include the sign-in period."
        ),
        "",
        *page_table(results, baseline),
        "",
        f"| Target (set for 20 users; this run {c['users']}) | Measured | Met |",
        "|---|--:|---|",
        *[
            f"| {name} | {value} | {'yes' if met else 'no'} |"
            for name, value, met in verdicts(results)
        ],
        "",
        "Checks after the run:",
        "",
        *checks_lines(checks),
        "",
    ]
    return "\n".join(lines)


HEADER = """# Load benchmark

`make bench-load` (bench/load/run.py) runs the production stack on this machine (gunicorn
with DEBUG off, PostgreSQL, Redis, a Celery worker with beat, a local SMTP sink), loads a
realistic programme and drives it with Locust: mentees browsing the directory and asking,
mentors answering, managers approving and opening their lists. docs/load-benchmark.md says
how it works. Sections are replaced by label (`--label before`, `--label after`).

A shared 2-core machine: other people's work runs alongside, so compare runs made close in time.
"""


def replace_section(document: str, label: str, text: str) -> str:
    """`document` with the `## <label>` section replaced by `text` (or `text` appended)."""
    if not document.strip():
        document = HEADER
    pattern = re.compile(rf"^## {re.escape(label)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(document):
        return pattern.sub(lambda _: text.rstrip("\n") + "\n\n", document, count=1).rstrip() + "\n"
    return document.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n"
