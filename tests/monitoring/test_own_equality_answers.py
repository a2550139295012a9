"""A person sees, changes and deletes their own equality answers, and no one else's."""

import pytest
from django.urls import reverse

from monitoring.models import EqualityAnswers

URL = reverse("monitoring:equality")


@pytest.fixture
def other_answers(other_mentee):
    return EqualityAnswers.objects.create(
        user=other_mentee, sex="male", ethnicity="white_roma", disability="yes"
    )


def test_a_person_answers_the_questions(mentee_client, mentee):
    response = mentee_client.post(
        URL, {"sex": "female", "ethnicity": "black_african", "disability": "no"}
    )
    assert response.status_code == 302
    answers = EqualityAnswers.objects.get(user=mentee)
    assert (answers.sex, answers.ethnicity, answers.disability) == ("female", "black_african", "no")


def test_every_question_may_be_left_unanswered_or_prefer_not_to_say(mentee_client, mentee):
    mentee_client.post(URL, {"sex": "prefer_not_to_say", "ethnicity": "", "disability": ""})
    answers = EqualityAnswers.objects.get(user=mentee)
    assert (answers.sex, answers.ethnicity, answers.disability) == ("prefer_not_to_say", "", "")


def test_a_person_sees_and_changes_their_own_answers(mentee_client, mentee, other_answers):
    EqualityAnswers.objects.create(user=mentee, sex="female", ethnicity="asian_indian")
    page = mentee_client.get(URL)
    assert page.status_code == 200
    assert 'value="asian_indian" checked' in page.content.decode()
    assert 'value="white_roma" checked' not in page.content.decode()  # not the other person's
    mentee_client.post(URL, {"sex": "female", "ethnicity": "asian_pakistani", "disability": ""})
    assert EqualityAnswers.objects.get(user=mentee).ethnicity == "asian_pakistani"
    other_answers.refresh_from_db()
    assert other_answers.ethnicity == "white_roma"


def test_a_person_deletes_their_own_answers_and_no_one_elses(mentee_client, mentee, other_answers):
    EqualityAnswers.objects.create(user=mentee, sex="female")
    assert mentee_client.get(reverse("monitoring:equality_delete")).status_code == 200
    response = mentee_client.post(reverse("monitoring:equality_delete"))
    assert response.status_code == 302
    assert not EqualityAnswers.objects.filter(user=mentee).exists()
    assert EqualityAnswers.objects.filter(pk=other_answers.pk).exists()


def test_an_answer_not_on_the_list_is_refused_with_a_message(mentee_client, mentee):
    response = mentee_client.post(URL, {"sex": "robot", "ethnicity": "", "disability": ""})
    assert response.status_code == 400
    assert not EqualityAnswers.objects.filter(user=mentee).exists()


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_form_says_why_and_that_it_is_optional(mentee_client):
    text = mentee_client.get(URL).content.decode()
    assert "optional" in text
    assert "never used to match you" in text
    assert "fewer than 5" in text
