"""Plain-text emails and subjects read as written (O'Brien, &, <, quotes); the HTML part of
the same email is escaped."""

from __future__ import annotations

import pytest
from django.core import mail

from mentorship import services
from mentorship.models import OutboxEmail

pytestmark = pytest.mark.django_db

NAME = "Dr Siobhán O'Brien"
MESSAGE = 'I\'d like help with "QI" & <i>leadership</i> before my ST3 < 6 months'


def test_a_name_and_message_with_quotes_ampersands_and_angle_brackets_read_as_written_in_text(
    mentee, mentor, programme, django_capture_on_commit_callbacks
):
    mentee.full_name = NAME
    mentee.save(update_fields=["full_name"])

    with django_capture_on_commit_callbacks(execute=True):
        services.request_mentor(mentee, mentor, programme, message=MESSAGE)

    row = OutboxEmail.objects.get(kind="new_request")
    assert NAME in row.subject
    assert NAME in row.body_text and MESSAGE in row.body_text
    for escaped in ("&#x27;", "&amp;", "&lt;", "&gt;", "&quot;"):
        assert escaped not in row.subject and escaped not in row.body_text
    [sent] = mail.outbox
    assert sent.subject == row.subject and sent.body == row.body_text


def test_the_html_part_of_the_same_email_stays_escaped(
    mentee, mentor, programme, django_capture_on_commit_callbacks
):
    mentee.full_name = NAME
    mentee.save(update_fields=["full_name"])

    with django_capture_on_commit_callbacks(execute=True):
        services.request_mentor(mentee, mentor, programme, message=MESSAGE)

    html = OutboxEmail.objects.get(kind="new_request").body_html
    assert "Dr Siobhán O&#x27;Brien" in html
    assert "&lt;i&gt;leadership&lt;/i&gt;" in html and "<i>leadership" not in html
    assert "&quot;QI&quot; &amp;" in html and "ST3 &lt; 6 months" in html
    [sent] = mail.outbox
    assert sent.alternatives[0].content == html
