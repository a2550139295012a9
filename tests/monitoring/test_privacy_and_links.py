"""The privacy notice says why equality answers are asked and on what lawful basis; the
account page and a person's home page can link to the questions."""

from __future__ import annotations

from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from monitoring.models import EqualityAnswers


def test_the_privacy_notice_has_an_equality_monitoring_section(client):
    text = client.get(reverse("privacy")).content.decode()
    assert 'id="equality-monitoring"' in text
    for words in (
        "treats every group fairly",
        "Article 6(1)(e)",
        "Article 9(2)(g)",
        "Schedule 1, paragraph 8",
        "optional",
        "never used to match you",
        "fewer than 5",
        reverse("monitoring:equality"),
    ):
        assert words in text


def _render(source: str, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load monitoring %}" + source).render(Context({"request": request}))


def test_a_person_in_a_programme_who_has_not_answered_is_invited(mentee):
    assert reverse("monitoring:equality") in _render("{% equality_invitation %}", mentee)


def test_no_invitation_once_answered_or_before_joining_a_programme(mentee, outsider):
    assert "equality" not in _render("{% equality_invitation %}", outsider)
    EqualityAnswers.objects.create(user=mentee, sex="female")
    assert "equality" not in _render("{% equality_invitation %}", mentee)


def test_the_account_row_links_to_the_answers(mentee):
    row = _render("{% equality_settings_row %}", mentee)
    assert reverse("monitoring:equality") in row and "Not answered" in row
