"""The weekly needs-attention summary: once per ISO week per programme to each of its active
managers, text and HTML, with the counts and the rows; nothing twice."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mentorship.jobs import send_weekly_summaries as weekly_job
from mentorship.models import OutboxEmail
from mentorship.summary import send_weekly_summaries
from tests.factories import UserFactory, new_mentee
from tests.mentorship.test_attention_rules import accepted_days_ago

pytestmark = pytest.mark.django_db


def monday(hour: int, weeks: int = 0) -> datetime.datetime:
    today = timezone.localdate()
    day = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=weeks)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def summaries():
    return OutboxEmail.objects.filter(kind="weekly_summary")


def test_running_twice_in_a_week_sends_one_email_per_manager_per_programme(
    programme, manager, other_programme, other_manager
):
    second = UserFactory(full_name="Priya Raman")
    programme.managers.add(second)
    accepted_days_ago(new_mentee(programme, "Dr Long Wait"), programme, 30)

    assert send_weekly_summaries(now=monday(9)) == 3
    assert send_weekly_summaries(now=monday(10)) == 0
    assert send_weekly_summaries(now=monday(9) + datetime.timedelta(days=3)) == 0

    sent = sorted(summaries().values_list("object_key", "to_email"))
    week = f"{monday(9).isocalendar()[0]}-W{monday(9).isocalendar()[1]:02d}"
    assert sent == sorted(
        [
            (f"weekly-summary:{programme.pk}:{week}", manager.email),
            (f"weekly-summary:{programme.pk}:{week}", second.email),
            (f"weekly-summary:{other_programme.pk}:{week}", other_manager.email),
        ]
    )


def test_the_beat_job_is_idempotent_too(programme, manager):
    weekly_job()
    weekly_job()
    # Before 07:00 on a Monday it waits; any other time in the week it sends once.
    local = timezone.localtime()
    expected = 0 if local.isoweekday() == 1 and local.hour < 7 else 1
    assert summaries().filter(to_email=manager.email).count() == expected


def test_the_next_week_sends_again(programme, manager):
    send_weekly_summaries(now=monday(9))
    send_weekly_summaries(now=monday(9, weeks=1))
    assert summaries().count() == 2


def test_nothing_is_sent_before_monday_morning(programme, manager):
    assert send_weekly_summaries(now=monday(6)) == 0
    assert not summaries().exists()


def test_the_text_and_html_parts_hold_the_counts_and_the_rows_with_links(programme, manager):
    membership = accepted_days_ago(new_mentee(programme, "Dr Long O'Wait"), programme, 30)

    send_weekly_summaries(now=monday(9))

    [email] = summaries()
    assert email.subject == f"1 thing needs attention in {programme.name}"
    path = f"/manage/{programme.slug}/mentees/{membership.pk}/"
    for body in (email.body_text, email.body_html):
        assert "Waiting for a mentor: 1" in body
        assert "days ago and still without a mentor" in body
        assert path in body
        assert f"/manage/{programme.slug}/attention/" in body
    assert "Dr Long O'Wait" in email.body_text  # plain text is not HTML-escaped
    assert "Dr Long O&#x27;Wait" in email.body_html


def test_a_quiet_week_still_says_nothing_needs_attention(programme, manager):
    send_weekly_summaries(now=monday(9))

    [email] = summaries()
    assert email.subject == f"Nothing needs attention in {programme.name} this week"
    assert "needs your attention this week" in email.body_text


def test_inactive_managers_get_nothing(programme, manager):
    manager.is_active = False
    manager.save(update_fields=["is_active"])

    assert send_weekly_summaries(now=monday(9)) == 0
