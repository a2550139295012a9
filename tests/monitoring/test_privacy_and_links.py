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


def test_a_mentee_sees_a_link_to_each_open_survey_of_theirs_only(mentee, other_mentee, mentor):
    import datetime

    from django.utils import timezone

    from mentorship.models import Mentorship
    from monitoring.models import OutcomeSurvey

    today = timezone.localdate()

    def survey_for(person, due_days_ago, status="open"):
        mentorship = Mentorship.objects.create(
            programme=person.mentee_memberships.first().programme,
            mentor=mentor,
            mentee=person,
            status="completed",
            started_on=today - datetime.timedelta(days=400),
            planned_end_on=today - datetime.timedelta(days=290),
            ended_on=today - datetime.timedelta(days=280 + due_days_ago),
        )
        return OutcomeSurvey.objects.create(
            mentorship=mentorship,
            mentee=person,
            wave=6,
            due_on=today - datetime.timedelta(days=due_days_ago),
            status=status,
        )

    mine = survey_for(mentee, 3)
    too_old = survey_for(mentee, 60)
    theirs = survey_for(other_mentee, 3)
    html = _render("{% open_outcome_surveys %}", mentee)
    assert reverse("monitoring:outcome_survey", args=[mine.pk]) in html
    assert reverse("monitoring:outcome_survey", args=[too_old.pk]) not in html
    assert reverse("monitoring:outcome_survey", args=[theirs.pk]) not in html
