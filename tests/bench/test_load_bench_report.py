"""The load benchmark's report maths and markdown (bench/load/report.py, webforms.py)."""

from __future__ import annotations

from allauth.mfa.totp.internal.auth import hotp_value

from bench.load import report
from bench.load.webforms import csrf_token, totp_code


def results(directory_p95=250.0, directory_requests=4000, failures=0, duration=90.0):
    page = {"requests": 100, "failures": failures, "p50": 40, "p95": 120, "p99": 300}
    directory = {
        "requests": directory_requests,
        "failures": 0,
        "p50": 90,
        "p95": directory_p95,
        "p99": 400,
    }
    return {
        "duration_s": duration,
        "pages": {"directory: ranked, page 1": dict(directory), "inbox": page},
        "directory": directory,
        "total": {**directory, "requests": directory_requests + 100},
    }


def test_percentile_is_the_nearest_rank():
    values = sorted(range(1, 101))
    assert report.percentile(values, 0.5) == 50
    assert report.percentile(values, 0.95) == 95
    assert report.percentile(values, 0.99) == 99
    assert report.percentile([7.0], 0.99) == 7.0
    assert report.percentile([], 0.95) == 0.0


def test_cpu_from_proc_stat_counts_idle_and_iowait_as_not_busy():
    line = "cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n"
    before = report.read_proc_stat(line)
    assert before == [100, 0, 50, 800, 50, 0, 0, 0, 0, 0]
    # 100 more jiffies: 30 user, 10 system, 55 idle, 5 iowait -> 40% busy.
    after = [130, 0, 60, 855, 55, 0, 0, 0, 0, 0]
    assert report.cpu_from_proc_stat(before, after) == 40.0
    assert report.cpu_from_proc_stat(before, before) == 0.0


def test_cpu_summary_gives_mean_and_max():
    assert report.cpu_summary([50.0, 100.0, 90.0]) == {"mean": 80.0, "max": 100.0}
    assert report.cpu_summary([]) == {"mean": 0.0, "max": 0.0}


def test_targets_are_met_when_fast_busy_and_without_errors():
    # 4,000 directory pages in 90 s: 44.4/s; p95 250 ms.
    names = [(name, value, met) for name, value, met in report.verdicts(results())]
    assert names == [
        ("Directory p95 <= 300 ms", "250 ms", True),
        ("Directory pages/s >= 40", "44.4", True),
        ("0 errors", "0", True),
    ]


def test_each_target_is_missed_on_its_own():
    slow = report.verdicts(results(directory_p95=301))
    assert [met for *_, met in slow] == [False, True, True]
    quiet = report.verdicts(results(directory_requests=3599))
    assert [met for *_, met in quiet] == [True, False, True]
    failing = report.verdicts(results(failures=2))
    assert failing[2] == ("0 errors", "2", False)
    nothing = report.verdicts(results(directory_requests=0, directory_p95=0))
    assert [met for *_, met in nothing] == [False, False, True]  # no page is no pass


def test_page_table_has_a_row_per_page_busiest_first_and_the_totals():
    lines = report.page_table(results())
    assert lines[2] == "| directory: ranked, page 1 | 4,000 | 44.4 | 90 | 250 | 400 | 0 |"
    assert lines[3] == "| inbox | 100 | 1.1 | 40 | 120 | 300 | 0 |"
    assert lines[4].startswith("| **All directory pages** | **4,000** | **44.4** |")
    assert lines[5].startswith("| **All pages after sign-in** | **4,100** | **45.6** |")
    assert len(lines) == 6


def test_a_section_is_replaced_by_its_label_and_others_are_kept():
    doc = report.replace_section("", "before", "## before\n\nold figures\n")
    assert doc.startswith("# Load benchmark")
    doc = report.replace_section(doc, "after", "## after\n\nafter figures\n")
    doc = report.replace_section(doc, "before", "## before\n\nnew figures\n")
    assert "old figures" not in doc
    assert doc.count("## before") == 1
    assert doc.index("new figures") < doc.index("## after") < doc.index("after figures")


def test_totp_code_matches_allauths():
    secret = "JBSWY3DPEHPK3PXP"
    at = 1_790_000_000.0
    assert totp_code(secret, at) == f"{hotp_value(secret, int(at) // 30):06d}"
    assert totp_code(secret, at) != totp_code(secret, at + 30)


def test_csrf_token_is_read_from_the_form():
    html = '<form><input type="hidden" name="csrfmiddlewaretoken" value="abc123"></form>'
    assert csrf_token(html) == "abc123"
    assert csrf_token("<p>no form</p>") == ""


def test_page_table_adds_the_baseline_p50_where_the_baseline_saw_the_page():
    baseline = {
        "pages": {"inbox": {"requests": 5, "failures": 0, "p50": 35, "p95": 50, "p99": 60}},
        "directory": {"requests": 0, "failures": 0, "p50": 0, "p95": 0, "p99": 0},
        "total": {"requests": 5, "failures": 0, "p50": 35, "p95": 50, "p99": 60},
    }
    lines = report.page_table(results(), baseline)
    assert lines[0].endswith("| Errors | p50 ms, 1 of each |")
    assert lines[2].endswith("| 0 | – |")  # the directory: not seen by the baseline
    assert lines[3] == "| inbox | 100 | 1.1 | 40 | 120 | 300 | 0 | 35 |"
    assert lines[5].endswith("| **35** |")


def test_cpu_per_request_divides_each_process_groups_seconds_by_all_requests():
    seconds = {"gunicorn": 41.0, "postgres (this database)": 8.2, "locust": 3.0}
    text = report.cpu_per_request(seconds, results())  # 4,100 requests
    assert text == "gunicorn 10 ms, postgres (this database) 2 ms"
    assert report.cpu_per_request(seconds, {"total": {"requests": 0}}) == ""
