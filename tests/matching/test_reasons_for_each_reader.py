"""Each reader sees match reasons in their own words, on every page and in every email that
shows them, and in the CSV: the mentee "Supports 3 of your 4 goals", the mentor "You support
3 of Amara's 4 goals", a manager "Supports 3 of the mentee's 4 goals"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from matching.export import export_csv
from matching.services import labels
from mentorship import services
from mentorship.models import MentorRequest
from tests.factories import language, new_mentee, new_mentor, new_request
from tests.matching.test_match_runs_execute import run_now

pytestmark = pytest.mark.django_db

GOALS_SAID = {
    "mentee": "Supports 3 of your 4 goals",
    "mentor": "You support 3 of Amara's 4 goals",
    "manager": "Supports 3 of the mentee's 4 goals",
}
LANGUAGE_SAID = {
    "mentee": "Also qualified abroad, and speaks English like you",
    "mentor": "You also qualified abroad, and speak English like Amara",
    "manager": "Also qualified abroad, and speaks English like the mentee",
}


@pytest.fixture
def mentee(programme):
    """Amara: four goals, the top one (research) not one the mentor supports; speaks English."""
    user = new_mentee(
        programme,
        "Dr Amara Nwosu",
        goals=["research", "career-move", "leadership", "postgraduate-exams"],
    )
    user.mentee_profile.languages.set([language("english"), language("yoruba")])
    return user


@pytest.fixture
def mentor(programme):
    """Gareth: a GP in London who qualified in India and supports three of Amara's goals."""
    user = new_mentor(
        programme,
        "Dr Gareth Pryce",
        goals=["career-move", "leadership", "postgraduate-exams"],
        is_img=True,
        qualification_country="IN",
    )
    user.mentor_profile.languages.set([language("english")])
    return user


def assert_reads_as(text: str, reader: str, *, html: bool = True, every: bool = True) -> None:
    """The text has the reader's sentences, and no other reader's. `every=False` where only
    the top reasons are shown (cards, emails), which leave the language out."""
    said = escape if html else str
    assert said(GOALS_SAID[reader]) in text
    assert not every or said(LANGUAGE_SAID[reader]) in text
    for other in set(GOALS_SAID) - {reader}:
        assert said(GOALS_SAID[other]) not in text
        assert said(LANGUAGE_SAID[other]) not in text


def test_a_request_stores_its_reasons_as_data_not_sentences(mentee, mentor, programme):
    mentor_request = new_request(mentee, mentor, programme)

    stored = MentorRequest.objects.get(pk=mentor_request.pk).reasons
    assert {"code": "specialty_same", "specialty": "General Practice"} in stored
    assert {
        "code": "goals",
        "supported": 3,
        "of": 4,
        "top": False,
        "top_goal": "Research and publication",
    } in stored
    assert {"code": "img_language", "language": "English"} in stored


def test_languages_are_named_with_their_capitals():
    assert labels()["english"] == "English"


def test_the_mentee_reads_their_own_words_in_the_directory(mentee_client, programme, mentor):
    response = mentee_client.get(reverse("mentorship:directory", args=[programme.slug]))

    assert_reads_as(response.content.decode(), "mentee", every=False)


def test_the_mentee_reads_their_own_words_on_the_mentors_page(mentee_client, programme, mentor):
    url = reverse("mentorship:mentor_detail", args=[programme.slug, mentor.pk])

    assert_reads_as(mentee_client.get(url).content.decode(), "mentee")


def test_the_mentee_reads_their_own_words_on_their_request(
    mentee_client, mentee, mentor, programme
):
    mentor_request = new_request(mentee, mentor, programme)

    response = mentee_client.get(reverse("mentorship:request_detail", args=[mentor_request.pk]))

    assert_reads_as(response.content.decode(), "mentee")


def test_the_mentor_reads_their_own_words_in_their_inbox(mentor_client, mentee, mentor, programme):
    new_request(mentee, mentor, programme)

    response = mentor_client.get(reverse("mentorship:inbox"))

    assert_reads_as(response.content.decode(), "mentor")


def test_the_mentor_reads_their_own_words_on_the_request(mentor_client, mentee, mentor, programme):
    mentor_request = new_request(mentee, mentor, programme)

    response = mentor_client.get(reverse("mentorship:inbox_detail", args=[mentor_request.pk]))

    html = response.content.decode()
    assert_reads_as(html, "mentor")
    assert escape("You work in Amara's target specialty: General Practice") in html
    assert "in their words" not in html  # no apology for the mentee's wording any more


def test_a_manager_reads_their_own_words_in_the_approvals_queue(
    manager_client, mentee, mentor, programme
):
    services.accept_request(new_request(mentee, mentor, programme), by=mentor)

    response = manager_client.get(reverse("manage:approvals", args=[programme.slug]))

    html = response.content.decode()
    assert_reads_as(html, "manager")
    assert "as the mentee saw them" not in html


def test_a_manager_reads_their_own_words_on_the_match_run_page(
    manager_client, manager, mentee, mentor, programme, django_capture_on_commit_callbacks
):
    run = run_now(programme, manager, capture=django_capture_on_commit_callbacks)

    response = manager_client.get(reverse("matching:run", args=[programme.slug, run.pk]))

    assert run.proposals.get().reasons[0]["code"] == "specialty_same"
    assert_reads_as(response.content.decode(), "manager", every=False)


def test_the_csv_uses_the_managers_words(
    manager, mentee, mentor, programme, django_capture_on_commit_callbacks
):
    run = run_now(programme, manager, capture=django_capture_on_commit_callbacks)

    csv_text = export_csv(run)

    assert_reads_as(csv_text, "manager", html=False)
    assert "Works in the mentee's target specialty: General Practice" in csv_text


def test_the_mentor_is_emailed_a_request_in_their_own_words(
    mentee, mentor, programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new_request(mentee, mentor, programme)

    [email] = mail.outbox
    [(html, _)] = email.alternatives
    assert email.to == [mentor.email]
    assert_reads_as(email.body, "mentor", html=False, every=False)
    assert_reads_as(html, "mentor", every=False)


def test_a_proposal_is_emailed_to_each_person_in_their_own_words(
    manager, mentee, mentor, programme, django_capture_on_commit_callbacks
):
    run = run_now(programme, manager, capture=django_capture_on_commit_callbacks)
    proposal = run.proposals.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.propose_match(
            programme, mentee, mentor, by=manager, score=proposal.score, reasons=proposal.reasons
        )

    emails = {email.to[0]: email for email in mail.outbox}
    to_mentor, to_mentee = emails[mentor.email], emails[mentee.email]
    assert_reads_as(to_mentor.body, "mentor", html=False, every=False)
    assert_reads_as(to_mentor.alternatives[0][0], "mentor", every=False)
    assert_reads_as(to_mentee.body, "mentee", html=False, every=False)
    assert_reads_as(to_mentee.alternatives[0][0], "mentee", every=False)


def test_a_request_stored_with_sentences_shows_them_as_they_were(
    mentor_client, mentee, mentor, programme
):
    mentor_request = new_request(mentee, mentor, programme)
    MentorRequest.objects.filter(pk=mentor_request.pk).update(
        reasons=["Same target specialty: General Practice", "Supports 3 of your 4 goals"]
    )

    response = mentor_client.get(reverse("mentorship:inbox_detail", args=[mentor_request.pk]))

    html = response.content.decode()
    assert "Same target specialty: General Practice" in html
    assert "Supports 3 of your 4 goals" in html
