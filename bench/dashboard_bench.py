"""Benchmark of the programme team's dashboard and lists on PostgreSQL (not a test).

Run: python bench/dashboard_bench.py [--mentors 20000] [--mentees 50000] [--repeats 10]
[--reuse] (or `make bench`, which always starts from an empty database)

With --reuse (or BENCH_REUSE=1) a database left by an earlier run with the same sizes is kept
(only new migrations are applied and the statistics refreshed), so timings can be repeated
without the ten-minute load.

Builds a throwaway PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/imgm_bench_dashboard), loads one programme with N mentors
and M mentees in every state (applied, declined, withdrawn, accepted, asking, matched,
completed, ended early), with requests answered, declined, expired and withdrawn and their
events, meetings, check-ins and feedback, over the last 400 days, with bulk inserts. Then it
times whole requests through Django's test client as a signed-in manager with MFA: the
dashboard (all time and the last 90 days), the dashboard across all their programmes, its
download, and the first page of both lists. It prints a markdown table and writes it to
docs/benchmarks-dashboard.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.directory_bench import configure, recreate_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/imgm_bench_dashboard"
GOAL_MS = 1000.0
NOTES = "<!-- notes: kept by bench/dashboard_bench.py -->"
BATCH = 5000


def _without_auto_now_add(*fields) -> None:
    """Bulk inserts with the dates we choose: auto_now_add would stamp every row "now".
    (Only in this throwaway process.)"""
    for field in fields:
        field.auto_now_add = False


def load(n_mentors: int, n_mentees: int, seed: int = 2026):  # noqa: C901, PLR0915
    """One programme, its manager, N approved mentors and M mentees in every state."""
    import numpy as np
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.utils import timezone

    from accounts.models import User
    from journey.models import MENTORSHIP_FUNCTIONS, CheckIn, Feedback, Meeting
    from mentorship.models import (
        Action,
        Event,
        MenteeMembership,
        MenteeProfile,
        MentorMembership,
        MentorProfile,
        MentorRequest,
        Mentorship,
        Programme,
        Region,
        Specialty,
    )

    _without_auto_now_add(
        MenteeMembership._meta.get_field("created_at"),
        MentorRequest._meta.get_field("created_at"),
        Event._meta.get_field("created_at"),
        Mentorship._meta.get_field("created_at"),
        Meeting._meta.get_field("logged_at"),
        CheckIn._meta.get_field("created_at"),
        Feedback._meta.get_field("submitted_at"),
    )
    rng = np.random.default_rng(seed)
    now = timezone.now()
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    hour = datetime.timedelta(hours=1)
    specialties = list(Specialty.objects.order_by("code"))
    regions = list(Region.objects.all())

    programme = Programme.objects.create(
        name="Benchmark Scheme", slug="bench", organisation="Benchmark Trust"
    )
    manager = User.objects.create(
        email="manager@example.org", full_name="Bench Manager", password="!"
    )
    programme.managers.add(manager)
    TOTP.activate(manager, generate_totp_secret())
    RecoveryCodes.activate(manager)

    # --- Mentors -----------------------------------------------------------------------
    mentors = User.objects.bulk_create(
        (
            User(email=f"mentor{i}@example.org", full_name=f"Dr Mentor {i:05d}", password="!")
            for i in range(n_mentors)
        ),
        batch_size=BATCH,
    )
    capacity = rng.integers(1, 4, size=n_mentors)
    paused = rng.random(n_mentors) < 0.03
    MentorProfile.objects.bulk_create(
        (
            MentorProfile(
                user=u,
                job_title="Consultant",
                organisation="Trust",
                primary_specialty=specialties[int(rng.integers(len(specialties)))],
                region=regions[int(rng.integers(len(regions)))],
                virtual=True,
                capacity=int(capacity[i]),
                is_accepting_requests=not paused[i],
                paused_automatically_at=now - int(rng.integers(1, 300)) * day
                if paused[i]
                else None,
            )
            for i, u in enumerate(mentors)
        ),
        batch_size=BATCH,
    )
    MentorMembership.objects.bulk_create(
        (MentorMembership(programme=programme, user=u, status="approved") for u in mentors),
        batch_size=BATCH,
    )

    # --- Mentees -----------------------------------------------------------------------
    mentees = User.objects.bulk_create(
        (
            User(email=f"mentee{i}@example.org", full_name=f"Dr Mentee {i:05d}", password="!")
            for i in range(n_mentees)
        ),
        batch_size=BATCH,
    )
    MenteeProfile.objects.bulk_create(
        (
            MenteeProfile(
                user=u,
                target_specialty=specialties[int(rng.integers(len(specialties)))],
                region=regions[int(rng.integers(len(regions)))],
                grade="trust_grade",
                virtual=True,
            )
            for u in mentees
        ),
        batch_size=BATCH,
    )
    # What happens to each mentee: where they are now.
    fates = rng.choice(
        ["applied", "declined", "withdrawn", "accepted", "asking", "matched", "completed", "early"],
        size=n_mentees,
        p=[0.06, 0.05, 0.03, 0.14, 0.14, 0.38, 0.16, 0.04],
    )
    applied_days_ago = rng.uniform(0, 400, size=n_mentees)
    # Those whose mentorship is over applied long enough ago for it to have run.
    over = (fates == "completed") | (fates == "early")
    applied_days_ago[over] = rng.uniform(200, 400, size=int(over.sum()))
    applied_days_ago[fates == "matched"] = rng.uniform(
        20, 200, size=int((fates == "matched").sum())
    )
    memberships, decided = [], {}
    for i, user in enumerate(mentees):
        fate = fates[i]
        applied_at = now - float(applied_days_ago[i]) * day
        status = {"applied": "applied", "declined": "declined", "withdrawn": "withdrawn"}.get(
            fate, "accepted"
        )
        decided_at = None
        if fate != "applied":
            decided_at = min(applied_at + float(rng.uniform(1, 14)) * day, now - hour)
            decided[i] = decided_at
        memberships.append(
            MenteeMembership(
                programme=programme,
                user=user,
                status=status,
                decided_at=decided_at,
                created_at=applied_at,
            )
        )
    MenteeMembership.objects.bulk_create(memberships, batch_size=BATCH)

    # --- Requests, mentorships and their events ----------------------------------------
    places = capacity.copy()  # places left for active mentorships
    requests, events, mentorships = [], [], []
    request_rows = []  # (request index, mentee i, mentor j, fate of request, answer time)

    def new_request(i: int, j: int, status: str, created: datetime.datetime) -> MentorRequest:
        row = MentorRequest(
            programme=programme,
            mentee=mentees[i],
            mentor=mentors[j],
            status=status,
            created_at=created,
            expires_at=created + 14 * day,
        )
        requests.append(row)
        return row

    for i in range(n_mentees):
        fate = fates[i]
        if fate in ("applied", "declined", "accepted"):
            continue
        if fate == "withdrawn" and rng.random() < 0.7:
            continue
        start = decided[i] + float(rng.uniform(0, 20)) * day
        asked = set()
        # Earlier requests that did not become a match: declined, expired or withdrawn.
        for _ in range(int(rng.integers(0, 3))):
            j = int(rng.integers(n_mentors))
            if j in asked:
                continue
            asked.add(j)
            created = min(start, now - hour)
            outcome = rng.choice(["declined", "expired", "withdrawn"], p=[0.5, 0.35, 0.15])
            answer = created + float(rng.exponential(40)) * hour
            request_rows.append((len(requests), i, j, outcome, answer))
            new_request(i, j, str(outcome), created)
            start = min(start + float(rng.uniform(1, 15)) * day, now - hour)
        if fate in ("asking", "withdrawn"):
            for _ in range(int(rng.integers(1, 4))):
                j = int(rng.integers(n_mentors))
                if j in asked:
                    continue
                asked.add(j)
                status = (
                    "withdrawn"
                    if fate == "withdrawn"
                    else str(
                        rng.choice(
                            ["pending", "more_info_requested", "accepted"], p=[0.7, 0.1, 0.2]
                        )
                    )
                )
                created = min(start + float(rng.uniform(0, 10)) * day, now - hour)
                answer = min(created + float(rng.exponential(30)) * hour, now)
                request_rows.append((len(requests), i, j, status, answer))
                new_request(i, j, status, created)
            continue
        # Matched, completed or ended early: one approved request and its mentorship.
        j = int(rng.integers(n_mentors))
        for _ in range(20):
            if fate != "matched" or places[j] > 0:
                break
            j = int(rng.integers(n_mentors))
        if fate == "matched":
            places[j] -= 1
        if j in asked:
            continue
        created = min(start, now - 2 * day)
        answer = min(created + float(rng.exponential(30)) * hour, now - day)
        request_rows.append((len(requests), i, j, "approved", answer))
        new_request(i, j, "approved", created)
        started = (answer + float(rng.uniform(0, 3)) * day).date()
        started = min(started, today)
        planned_end = started + datetime.timedelta(weeks=16)
        status = {"matched": "active", "completed": "completed", "early": "ended_early"}[fate]
        ended = None
        if status == "completed":
            ended = min(planned_end, today)
        elif status == "ended_early":
            ended = min(started + datetime.timedelta(weeks=int(rng.integers(2, 12))), today)
        mentorships.append(
            (
                len(requests) - 1,
                Mentorship(
                    programme=programme,
                    mentor=mentors[j],
                    mentee=mentees[i],
                    status=status,
                    started_on=started,
                    planned_end_on=planned_end,
                    ended_on=ended,
                    ended_because="not_a_good_fit" if status == "ended_early" else "",
                    created_at=timezone.make_aware(
                        datetime.datetime.combine(started, datetime.time(12))
                    ),
                ),
            )
        )
    MentorRequest.objects.bulk_create(requests, batch_size=BATCH)
    for k, mentorship in mentorships:
        mentorship.request = requests[k]
    Mentorship.objects.bulk_create([m for _, m in mentorships], batch_size=BATCH)

    answers = {
        "declined": Action.DECLINED,
        "more_info_requested": Action.ASKED,
        "accepted": Action.ACCEPTED,
        "approved": Action.ACCEPTED,
    }
    for k, i, j, status, answer in request_rows:
        row = requests[k]
        events.append(
            Event(
                programme=programme,
                request=row,
                actor=mentees[i],
                action=Action.REQUESTED,
                to_status="pending",
                created_at=row.created_at,
            )
        )
        if status in answers:
            events.append(
                Event(
                    programme=programme,
                    request=row,
                    actor=mentors[j],
                    action=answers[status],
                    from_status="pending",
                    to_status=status,
                    created_at=answer,
                )
            )
        if status == "approved":
            events.append(
                Event(
                    programme=programme,
                    request=row,
                    actor=manager,
                    action=Action.APPROVED,
                    from_status="accepted",
                    to_status="approved",
                    created_at=answer + hour,
                )
            )
        if status == "expired":
            events.append(
                Event(
                    programme=programme,
                    request=row,
                    action=Action.EXPIRED,
                    from_status="pending",
                    to_status="expired",
                    created_at=row.created_at + 14 * day,
                )
            )
    Event.objects.bulk_create(events, batch_size=BATCH)

    # --- Meetings, check-ins and feedback ----------------------------------------------
    meetings, check_ins, feedback = [], [], []
    codes = [code for code, _ in MENTORSHIP_FUNCTIONS]
    for _, m in mentorships:
        until = min(m.ended_on or today, today)
        span = max((until - m.started_on).days, 0)
        for _ in range(min(int(rng.poisson(span / 14)) if span else 0, 20)):
            held = m.started_on + datetime.timedelta(days=int(rng.integers(0, span + 1)))
            logged = timezone.make_aware(datetime.datetime.combine(held, datetime.time(18)))
            meetings.append(
                Meeting(
                    mentorship=m,
                    held_on=held,
                    minutes=int(rng.choice([30, 45, 60, 90])),
                    mode="video",
                    kind="one_to_one",
                    logged_by=m.mentee,
                    logged_at=logged,
                    confirmed_at=logged + day if rng.random() < 0.8 else None,
                )
            )
        for point, offset in (("+14", 14), ("half", 56), ("-14", 98)):
            if offset > span:
                break
            for person in (m.mentee, m.mentor):
                answered = rng.random() < 0.75
                due = m.started_on + datetime.timedelta(days=offset)
                at = timezone.make_aware(datetime.datetime.combine(due, datetime.time(9)))
                check_ins.append(
                    CheckIn(
                        mentorship=m,
                        person=person,
                        point=point,
                        due_on=due,
                        score=int(rng.choice([1, 2, 3, 4, 5], p=[0.03, 0.07, 0.2, 0.4, 0.3]))
                        if answered
                        else None,
                        answered_at=at + day if answered else None,
                        created_at=at,
                    )
                )
        if m.status != "active":
            ended = timezone.make_aware(datetime.datetime.combine(m.ended_on, datetime.time(12)))
            for person in (m.mentee, m.mentor):
                if rng.random() < 0.7:
                    feedback.append(
                        Feedback(
                            mentorship=m,
                            person=person,
                            function_ratings={
                                c: (int(rng.integers(0, 5)) if rng.random() < 0.85 else None)
                                for c in codes
                            },
                            would_recommend=str(
                                rng.choice(["yes", "maybe", "no"], p=[0.8, 0.15, 0.05])
                            ),
                            submitted_at=ended + float(rng.uniform(0, 10)) * day,
                        )
                    )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    CheckIn.objects.bulk_create(check_ins, batch_size=BATCH)
    Feedback.objects.bulk_create(feedback, batch_size=BATCH)
    counts = {
        "requests": len(requests),
        "events": len(events),
        "mentorships": len(mentorships),
        "meetings": len(meetings),
        "check-ins": len(check_ins),
        "feedback": len(feedback),
    }
    return programme, manager, counts


def database_exists(database_url: str) -> bool:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def recreate_and_migrate(database_url: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    recreate_database(database_url)
    call_command("migrate", verbosity=0)


def already_loaded(n_mentors: int, n_mentees: int):
    """The programme a previous run loaded, if it has these sizes: (programme, manager,
    counts), else None."""
    from journey.models import CheckIn, Feedback, Meeting
    from mentorship.models import (
        Event,
        MenteeMembership,
        MentorMembership,
        MentorRequest,
        Mentorship,
        Programme,
    )

    programme = Programme.objects.filter(slug="bench").first()
    if programme is None:
        return None
    if (
        MentorMembership.objects.filter(programme=programme).count() != n_mentors
        or MenteeMembership.objects.filter(programme=programme).count() != n_mentees
    ):
        return None
    manager = programme.managers.get()
    counts = {
        "requests": MentorRequest.objects.filter(programme=programme).count(),
        "events": Event.objects.filter(programme=programme).count(),
        "mentorships": Mentorship.objects.filter(programme=programme).count(),
        "meetings": Meeting.objects.filter(mentorship__programme=programme).count(),
        "check-ins": CheckIn.objects.filter(mentorship__programme=programme).count(),
        "feedback": Feedback.objects.filter(mentorship__programme=programme).count(),
    }
    return programme, manager, counts


def profile(client, rows, slow_ms: float) -> None:
    """Each page's queries with their times, the plans of the slow ones, and where one
    dashboard render spends its Python time."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for label, path, _ in rows:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            client.get(path)
            total = (time.perf_counter() - start) * 1000
        in_sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(f"\n## {label}: {total:.0f} ms, {len(queries)} queries, {in_sql:.0f} ms in SQL")
        for q in queries.captured_queries:
            ms = float(q["time"]) * 1000
            print(f"{ms:8.1f} ms  {q['sql'][:160]}")
            if ms >= slow_ms and q["sql"].lstrip().upper().startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                    print("\n".join("      " + r[0] for r in cursor.fetchall()))
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(rows[0][1])
    profiler.disable()
    print("\n## cProfile of one render of", rows[0][0])
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


def timed(client, url: str, repeats: int) -> tuple[float, float, int]:
    """Median and 95th percentile milliseconds of whole requests, and the status."""
    times, status = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        status = response.status_code
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentors", type=int, default=20_000)
    parser.add_argument("--mentees", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="do not write the docs file")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="instead of timing, print each page's queries with their times, EXPLAIN "
        "(ANALYZE, BUFFERS) of those over --slow-ms, and a cProfile of one dashboard render",
    )
    parser.add_argument("--slow-ms", type=float, default=50.0)
    parser.add_argument(
        "--reuse",
        action="store_true",
        default=os.environ.get("BENCH_REUSE") == "1",
        help="reuse the programme already loaded in the database (same sizes) instead of "
        "dropping and reloading it; migrations still run (or BENCH_REUSE=1)",
    )
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    configure(url)
    reused = args.reuse and database_exists(url)
    if not reused:
        recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    loaded = already_loaded(args.mentors, args.mentees) if reused else None
    if loaded:
        programme, manager, counts = loaded
    else:
        if reused:  # a database without the programme, or with other sizes
            recreate_and_migrate(url)
        programme, manager, counts = load(args.mentors, args.mentees)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the statistics autovacuum keeps after a bulk load
    load_s = time.perf_counter() - start

    client = Client()
    client.force_login(manager)
    base = f"/manage/{programme.slug}"
    from django.utils import timezone

    since = (timezone.localdate() - datetime.timedelta(days=90)).isoformat()
    rows = [
        ("Dashboard, all time", f"{base}/dashboard/", True),
        ("Dashboard, the last 90 days", f"{base}/dashboard/?start={since}", True),
        ("Dashboard across all the manager's programmes", "/manage/dashboard/", True),
        ("Dashboard figures download (Excel)", f"{base}/dashboard/?download=xlsx", True),
        ("Mentee list, longest wait first", f"{base}/mentees/?sort=-waited", False),
        ("Mentor list, lowest response rate first", f"{base}/mentors/?sort=rate", False),
    ]
    assert client.get(rows[0][1]).status_code == 200  # warm up: connection, templates
    if args.profile:
        profile(client, rows, args.slow_ms)
        return
    cache_backend = "Redis" if os.environ.get("REDIS_URL") else "local memory"
    sizes = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    lines = [
        "# Dashboard benchmark",
        "",
        f"`make bench` (bench/dashboard_bench.py): PostgreSQL, one programme with "
        f"{args.mentors:,} mentors and {args.mentees:,} mentees in every state ({sizes}), "
        f"cache: {cache_backend}; {args.repeats} requests each through Django's test client "
        "as the signed-in manager (the whole request: session, MFA check, queries, charts, "
        f"template). Goal for the dashboard: under {GOAL_MS:.0f} ms.",
        "",
        "| Page | Median ms | p95 ms | Goal |",
        "|---|---|---|---|",
    ]
    for label, path, has_goal in rows:
        median, p95, status = timed(client, path, args.repeats)
        assert status == 200, (label, status)
        verdict = ("met" if p95 < GOAL_MS else "missed") if has_goal else "–"
        lines.append(f"| {label} | {median:.0f} | {p95:.0f} | {verdict} |")
    load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines += [
        "",
        (
            f"The data were loaded by an earlier run (--reuse; counting them took {load_s:.0f} s)."
            if loaded
            else f"Loading the data took {load_s:.0f} s (not part of any figure)."
        )
        + " Load average when "
        f"the timings ended: {load_avg} on {os.cpu_count()} CPUs (a shared machine: other "
        "people's test runs inflate these figures).",
    ]
    table = "\n".join(lines) + "\n"
    print(table)
    if not args.no_write:
        # Keep the hand-written notes below the marker (before/after comparisons).
        path = ROOT / "docs" / "benchmarks-dashboard.md"
        old = path.read_text() if path.exists() else ""
        notes = old[old.index(NOTES) :] if NOTES in old else ""
        path.write_text(table + ("\n" + notes if notes else ""))


if __name__ == "__main__":
    main()
