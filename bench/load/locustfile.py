"""Locust users for the load benchmark (bench/load/run.py starts Locust with this file).

Three kinds of people sign in and use the site the way they do every day:

- mentees browse the directory (ranked, later pages, filtered, searched), open a mentor's
  page, and now and then ask one;
- mentors open their inbox and a request, and accept or decline it;
- programme managers (password and TOTP) open the approvals queue and approve, and open
  their lists and dashboard.

Who signs in comes from LOAD_CAST, a JSON file written by run.py (bench/load/seed.py picks
the people): emails, the shared password and each manager's TOTP secret. Each Locust user
takes the next unused account of its kind, so no two share a session. Requests are named
after the page ("directory: ranked"), so the report has one row per page.

A refusal the site answers on purpose (409: no free place, already asked; 404: a request
someone else already answered) counts as a success under its own name ("... (refused)"):
it is the site working. Anything 5xx, a timeout or an unexpected page is a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, between, events, tag, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.load.webforms import csrf_token, totp_code  # noqa: E402

CAST = json.loads(open(os.environ["LOAD_CAST"]).read()) if os.environ.get("LOAD_CAST") else {}
SLUG = CAST.get("programme_slug", "bench")
WAIT = [float(x) for x in os.environ.get("LOAD_WAIT", "0.05,0.25").split(",")]
MENTOR_LINK = re.compile(rf'href="/programmes/{SLUG}/mentors/(\d+)/"')
INBOX_LINK = re.compile(r'href="/mentor/requests/(\d+)/"')
APPROVE_FORM = re.compile(rf'action="/manage/{SLUG}/approvals/(\d+)/approve/"')

SEARCHES = ["GP", "cardiology", "leadership MRCP", "supporting", "portfolio", "surgery"]
SPECIALTIES = ["general-practice", "cardiology", "general-surgery", "psychiatry", "paediatrics"]
REGIONS = ["london", "north-west", "midlands", "south-west"]
GOALS = ["career-move", "leadership", "postgraduate-exams"]

_next = {"mentee": itertools.count(), "mentor": itertools.count(), "manager": itertools.count()}
server_errors: list[tuple[str, int]] = []
# Signing in is Argon2 hashing (slow by design), and 20 people signing in at once keeps
# every worker busy for a while: the page figures start once everyone has signed in. The
# sign-in pages' own figures are kept from before that reset.
signed_in = {"count": 0, "figures": {}, "errors": [], "at": 0.0, "started": 0.0}
MEASURE_S = float(os.environ.get("LOAD_MEASURE_S", "0"))  # then stop (run.py sets it)
all_requests = {"count": 0}  # over the whole run, never reset: CPU per request


@events.test_start.add_listener
def _started(environment, **kwargs):
    signed_in["started"] = time.time()


def _everyone_signed_in(environment) -> None:
    signed_in["figures"] = {
        entry.name: _figures(entry)
        for entry in environment.stats.entries.values()
        if entry.name.startswith("sign in")
    }
    signed_in["errors"] = _errors(environment.stats)
    signed_in["at"] = time.time()
    environment.stats.reset_all()
    if MEASURE_S:
        gevent.spawn_later(MEASURE_S, environment.runner.quit)


@events.request.add_listener
def _count_server_errors(request_type, name, response_length, response=None, **kwargs):
    """Every 5xx, whichever task saw it (the post-checks require none)."""
    all_requests["count"] += 1
    status = getattr(response, "status_code", 0) or 0
    if status >= 500:
        server_errors.append((name, status))


def _figures(entry) -> dict:
    return {
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "p50": entry.get_response_time_percentile(0.5) or 0,
        "p95": entry.get_response_time_percentile(0.95) or 0,
        "p99": entry.get_response_time_percentile(0.99) or 0,
    }


def _errors(stats) -> list[dict]:
    return [
        {"name": f.name, "error": str(f.error), "occurrences": f.occurrences}
        for f in stats.errors.values()
    ]


@events.quitting.add_listener
def _write_results(environment, **kwargs):
    """Each page's figures, all directory pages together (their percentiles come from the
    merged response-time histograms, not an average of percentiles), and the 5xx seen."""
    from locust.stats import StatsEntry

    path = os.environ.get("LOAD_RESULTS")
    if not path:
        return
    stats = environment.stats
    directory = StatsEntry(stats, "directory", "", use_response_times_cache=False)
    for entry in stats.entries.values():
        if entry.name.startswith("directory:"):
            directory.extend(entry)
    total = stats.total
    results = {
        "duration_s": max(total.last_request_timestamp - total.start_time, 0.0)
        if total.last_request_timestamp
        else 0.0,
        "pages": {
            **{e.name: _figures(e) for e in stats.entries.values() if e.num_requests},
            **signed_in["figures"],
        },
        "requests_whole_run": all_requests["count"],
        "everyone_signed_in_after_s": round(signed_in["at"] - signed_in["started"], 1)
        if signed_in["at"]
        else None,
        "directory": _figures(directory),
        "total": _figures(total),
        "server_errors": server_errors,
        "failures": signed_in["errors"] + _errors(stats),
    }
    with open(path, "w") as f:
        json.dump(results, f, indent=1)


class Person(FastHttpUser):
    """Signs in once (on start) with the next account of its kind."""

    abstract = True
    kind = ""
    wait_time = between(*WAIT)

    def account(self) -> str:
        people = CAST.get(f"{self.kind}s", [])
        n = next(_next[self.kind])
        if n >= len(people):
            raise RuntimeError(f"Not enough {self.kind} accounts in the cast ({len(people)}).")
        return people[n]

    def on_start(self) -> None:
        self.email = self.account()
        page = self.client.get("/accounts/login/", name="sign in (form)")
        with self.client.post(
            "/accounts/login/",
            data={
                "login": self.email,
                "password": CAST["password"],
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
            name="sign in",
            catch_response=True,
        ) as response:
            if "/accounts/2fa/authenticate" in response.url:
                response.success()
                self.second_factor(response.text)
            elif response.url.rstrip("/").endswith("/accounts/login"):
                response.failure("still on the sign-in page")
        signed_in["count"] += 1
        if signed_in["count"] == self.environment.runner.target_user_count:
            _everyone_signed_in(self.environment)

    def second_factor(self, html: str) -> None:
        """Type the authenticator's code. A code is good for its 30-second step only, so on a
        slow server it can expire on the way: then, as a person would, type the new one."""
        secret = CAST["totp_secrets"][self.email]
        for attempt in (1, 2):
            if 30 - time.time() % 30 < 3:  # about to change: wait for the next code
                time.sleep(30 - time.time() % 30 + 0.1)
            with self.client.post(
                "/accounts/2fa/authenticate/",
                data={"code": totp_code(secret), "csrfmiddlewaretoken": csrf_token(html)},
                name="sign in (TOTP)",
                catch_response=True,
            ) as response:
                if "/accounts/2fa/authenticate" not in response.url:
                    return
                html = response.text
                if attempt == 1:
                    response.success()
                    response.request_meta["name"] = "sign in (TOTP expired on the way, retyped)"
                else:
                    response.failure("TOTP code refused twice")

    def post_form(self, form_url: str, action: str, data: dict, name: str, refused=(404, 409)):
        """GET the page holding the form (for its CSRF token), then POST to the action."""
        page = self.client.get(form_url, name=f"{name} (form)")
        data = {**data, "csrfmiddlewaretoken": csrf_token(page.text)}
        with self.client.post(action, data=data, name=name, catch_response=True) as response:
            if response.status_code in refused:
                response.success()
                response.request_meta["name"] = f"{name} (refused {response.status_code})"
            return response


ONE_OF_EACH = bool(os.environ.get("LOAD_ONE_OF_EACH"))  # run.py's baseline: 1 user per kind


class Mentee(Person):
    weight = 14
    fixed_count = 1 if ONE_OF_EACH else 0
    kind = "mentee"
    mentors: list[str] = []

    def directory(self, query: str, name: str) -> None:
        response = self.client.get(f"/programmes/{SLUG}/mentors/{query}", name=name)
        found = MENTOR_LINK.findall(response.text or "")
        if found:
            self.mentors = found

    @task(6)
    def ranked(self) -> None:
        self.directory("", "directory: ranked, page 1")

    @task(3)
    def later_page(self) -> None:
        self.directory(f"?page={random.randint(2, 60)}", "directory: ranked, later page")

    @task(2)
    def filtered(self) -> None:
        query = random.choice(
            [
                f"?specialty={random.choice(SPECIALTIES)}&free_place=on",
                f"?region={random.choice(REGIONS)}&format=virtual",
                f"?goal={random.choice(GOALS)}",
            ]
        )
        self.directory(query, "directory: filtered")

    @task(2)
    def searched(self) -> None:
        self.directory(f"?q={random.choice(SEARCHES)}", "directory: searched")

    @task(1)
    def by_name(self) -> None:
        self.directory(f"?order=name&page={random.randint(1, 20)}", "directory: name order")

    @task(4)
    def open_mentor(self) -> None:
        if self.mentors:
            mentor = random.choice(self.mentors)
            self.client.get(f"/programmes/{SLUG}/mentors/{mentor}/", name="mentor page")

    @task(1)
    def ask(self) -> None:
        if not self.mentors:
            return
        url = f"/programmes/{SLUG}/mentors/{random.choice(self.mentors)}/ask/"
        self.post_form(
            url,
            url,
            {"message": "I would value your help with my move into specialty training."},
            "ask a mentor",
        )

    @task(1)
    def my_requests(self) -> None:
        self.client.get("/requests/", name="my requests")


class Mentor(Person):
    weight = 4
    fixed_count = 1 if ONE_OF_EACH else 0
    kind = "mentor"

    def waiting(self) -> list[str]:
        response = self.client.get("/mentor/requests/", name="inbox")
        return INBOX_LINK.findall(response.text or "")

    @task(3)
    def inbox(self) -> None:
        found = self.waiting()
        if found:
            self.client.get(f"/mentor/requests/{found[0]}/", name="inbox: a request")

    @task(1)
    def accept(self) -> None:
        found = self.waiting()
        if found:
            pk = found[0]
            self.post_form(
                f"/mentor/requests/{pk}/", f"/mentor/requests/{pk}/accept/", {}, "accept"
            )

    @task(1)
    def decline(self) -> None:
        found = self.waiting()
        if found:
            pk = found[0]  # the first card waits for an answer; the table below is history
            self.post_form(
                f"/mentor/requests/{pk}/",
                f"/mentor/requests/{pk}/decline/",
                {"reason": "no_time", "note": ""},
                "decline",
            )

    @task(1)
    def home(self) -> None:
        self.client.get("/mentor/", name="mentor home")


class Manager(Person):
    weight = 2
    fixed_count = 1 if ONE_OF_EACH else 0
    kind = "manager"

    @tag("approvals")
    @task(3)
    def approve(self) -> None:
        url = f"/manage/{SLUG}/approvals/"
        page = self.client.get(url, name="approvals")
        found = APPROVE_FORM.findall(page.text or "")
        if found:
            pk = random.choice(found)
            with self.client.post(
                f"/manage/{SLUG}/approvals/{pk}/approve/",
                data={"csrfmiddlewaretoken": csrf_token(page.text)},
                name="approve",
                catch_response=True,
            ) as response:
                if response.status_code in (404, 409):
                    response.success()
                    response.request_meta["name"] = f"approve (refused {response.status_code})"

    @task(1)
    def mentees(self) -> None:
        self.client.get(f"/manage/{SLUG}/mentees/?sort=-waited", name="manager: mentee list")

    @task(1)
    def mentors(self) -> None:
        self.client.get(f"/manage/{SLUG}/mentors/", name="manager: mentor list")

    @tag("dashboard")
    @task(1)
    def dashboard(self) -> None:
        self.client.get(f"/manage/{SLUG}/dashboard/", name="manager: dashboard")
