"""Only the mentee a survey was sent to opens and answers it, once, within 60 days."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from monitoring.models import OutcomeSurvey

ANSWERS = {"still_in_nhs": "yes", "training": "applying", "helped": "partly"}


@pytest.fixture
def survey(mentee, mentor, programme):
    from mentorship.models import Mentorship

    today = timezone.localdate()
    mentorship = Mentorship.objects.create(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        status=Mentorship.Status.COMPLETED,
        started_on=today - datetime.timedelta(days=320),
        planned_end_on=today - datetime.timedelta(days=200),
        ended_on=today - datetime.timedelta(days=190),
    )
    return OutcomeSurvey.objects.create(
        mentorship=mentorship, mentee=mentee, wave=6, due_on=today - datetime.timedelta(days=5)
    )


def _url(survey):
    return reverse("monitoring:outcome_survey", args=[survey.pk])


def test_the_mentee_answers_their_survey(mentee_client, survey):
    assert mentee_client.get(_url(survey)).status_code == 200
    response = mentee_client.post(_url(survey), ANSWERS)
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == "answered" and survey.answered_at is not None
    assert (survey.still_in_nhs, survey.training, survey.helped) == ("yes", "applying", "partly")


@pytest.mark.parametrize("role", ["mentor", "manager", "other_mentee", "outsider", "staff"])
def test_anyone_else_gets_404(sign_in, survey, role):
    browser = sign_in(role)
    assert browser.get(_url(survey)).status_code == 404
    assert browser.post(_url(survey), ANSWERS).status_code == 404
    survey.refresh_from_db()
    assert survey.status == "open"


def test_signed_out_people_are_sent_to_sign_in(client, survey):
    assert client.get(_url(survey)).status_code == 302


def test_answering_twice_is_refused_politely(mentee_client, survey):
    mentee_client.post(_url(survey), ANSWERS)
    page = mentee_client.get(_url(survey))
    assert page.status_code == 200
    assert "You answered on" in page.content.decode()
    again = mentee_client.post(_url(survey), {**ANSWERS, "helped": "no"})
    assert again.status_code == 409
    assert "already answered" in again.content.decode()
    survey.refresh_from_db()
    assert survey.helped == "partly"


def test_after_60_days_it_can_no_longer_be_answered(mentee_client, survey):
    survey.due_on = timezone.localdate() - datetime.timedelta(days=60)
    survey.save(update_fields=["due_on"])
    page = mentee_client.get(_url(survey))
    assert "can no longer be answered" in page.content.decode()
    response = mentee_client.post(_url(survey), ANSWERS)
    assert response.status_code == 409
    survey.refresh_from_db()
    assert survey.status == "open" and survey.answered_at is None


def test_on_its_60th_day_it_can_still_be_answered(mentee_client, survey):
    survey.due_on = timezone.localdate() - datetime.timedelta(days=59)
    survey.save(update_fields=["due_on"])
    assert mentee_client.post(_url(survey), ANSWERS).status_code == 302


def test_a_missing_answer_is_shown_on_the_form(mentee_client, survey):
    response = mentee_client.post(_url(survey), {"still_in_nhs": "yes"})
    assert response.status_code == 400
    assert "Say whether the mentorship helped" in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == "open"


def test_a_guessed_id_is_404(mentee_client, survey):
    assert Client().get(_url(survey)).status_code == 302
    assert mentee_client.get(reverse("monitoring:outcome_survey", args=[99999])).status_code == 404
