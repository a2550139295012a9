"""Certificates: each person of a completed mentorship downloads their own PDF, fixed when
first issued, with a code that the public verification page checks."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from journey import certificates
from journey.models import AgreedGoal, Certificate, Meeting, MeetingKind
from journey.services.endings import issue_certificate
from journey.views import endings as endings_views
from mentorship.models import Action, Mentorship
from mentorship.services.errors import InvalidTransition
from tests.factories import new_mentee, new_mentorship

pytestmark = pytest.mark.django_db


def completed(mentorship, status=Mentorship.Status.COMPLETED):
    mentorship.status = status
    mentorship.ended_on = timezone.localdate()
    mentorship.save(update_fields=["status", "ended_on"])
    return mentorship


def meeting(mentorship, minutes, *, confirmed=True, days_ago=7):
    return Meeting.objects.create(
        mentorship=mentorship,
        held_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        minutes=minutes,
        mode="in_person",
        kind=MeetingKind.CLINIC,
        logged_by=mentorship.mentee,
        confirmed_by=mentorship.mentor if confirmed else None,
        confirmed_at=timezone.now() if confirmed else None,
    )


def goal(mentorship, text, status, position=0):
    return AgreedGoal.objects.create(
        mentorship=mentorship, text=text, status=status, position=position
    )


@pytest.fixture
def finished(active_mentorship):
    """Three confirmed meetings (3 hours 15 minutes), one unconfirmed, two goals; completed."""
    meeting(active_mentorship, 60, days_ago=14)
    meeting(active_mentorship, 90, days_ago=10)
    meeting(active_mentorship, 45, days_ago=3)
    meeting(active_mentorship, 120, confirmed=False, days_ago=1)
    goal(active_mentorship, "Decide about General Practice", "achieved", 0)
    goal(active_mentorship, "Lead a quality improvement project", "in_progress", 1)
    return completed(active_mentorship)


def download_url(mentorship):
    return reverse("journey:download_certificate", args=[mentorship.pk])


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split())


VERIFY = reverse("journey:verify_certificate")


def test_the_mentee_downloads_a_certificate_that_says_what_they_did(
    finished, mentee, mentor, programme, mentee_client
):
    response = mentee_client.get(download_url(finished))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    certificate = Certificate.objects.get(mentorship=finished, person=mentee)
    assert response["Content-Disposition"] == (
        f'attachment; filename="mentoring-certificate-{certificate.display_code}.pdf"'
    )
    assert certificate.meetings == 3
    assert certificate.confirmed_minutes == 195
    text = pdf_text(response)
    for expected in [
        programme.name,
        "Certificate of mentoring",
        mentee.full_name,
        mentor.full_name,
        "took part as the mentee",
        "3 confirmed meetings",
        "3 hours 15 minutes",
        "Decide about General Practice (Achieved)",
        "Lead a quality improvement project (In progress)",
        certificate.display_code,
        certificates.verification_url(),
        "appraisal, revalidation or a training portfolio",
    ]:
        assert expected in text, expected
    event = finished.events.get(action=Action.CERTIFICATE_ISSUED)
    assert event.actor == mentee


def test_the_mentor_gets_their_own_certificate_with_their_own_code(
    finished, mentee, mentor, mentee_client, mentor_client
):
    mentee_client.get(download_url(finished))
    response = mentor_client.get(download_url(finished))
    assert response.status_code == 200
    assert "took part as the mentor" in pdf_text(response)
    mentee_cert = Certificate.objects.get(person=mentee)
    mentor_cert = Certificate.objects.get(person=mentor)
    assert mentee_cert.code != mentor_cert.code
    assert mentor_cert.display_code in pdf_text(response)


def test_downloading_again_gives_the_same_certificate(finished, mentee, mentee_client):
    first = pdf_text(mentee_client.get(download_url(finished)))
    meeting(finished, 30)  # confirmed later: the issued certificate does not change
    second = pdf_text(mentee_client.get(download_url(finished)))
    assert Certificate.objects.filter(mentorship=finished, person=mentee).count() == 1
    assert issue_certificate(finished, mentee).meetings == 3
    assert first == second
    assert finished.events.filter(action=Action.CERTIFICATE_ISSUED).count() == 1


@pytest.mark.parametrize("role", ["outsider", "other_mentee", "other_mentor", "manager"])
def test_nobody_else_can_download_a_certificate(finished, sign_in, role):
    response = sign_in(role).get(download_url(finished))
    assert response.status_code == 404
    assert not Certificate.objects.exists()


def test_signed_out_people_are_sent_to_sign_in(finished, client):
    assert client.get(download_url(finished)).status_code == 302
    assert not Certificate.objects.exists()


def test_another_persons_certificate_is_a_404_for_a_mentee_of_another_mentorship(
    finished, programme, other_mentor
):
    someone = new_mentee(programme, "Dr Chidi Okafor")
    theirs = new_mentorship(someone, other_mentor, programme)
    completed(theirs)
    browser = Client()
    browser.force_login(someone)
    assert browser.get(download_url(finished)).status_code == 404
    assert browser.get(download_url(theirs)).status_code == 200


@pytest.mark.parametrize("status", [Mentorship.Status.ACTIVE, Mentorship.Status.ENDED_EARLY])
def test_there_is_no_certificate_unless_the_mentorship_is_completed(
    active_mentorship, mentee, mentee_client, status
):
    if status != Mentorship.Status.ACTIVE:
        completed(active_mentorship, status)
    response = mentee_client.get(download_url(active_mentorship))
    assert response.status_code == 409
    assert "Certificates are for completed mentorships" in response.content.decode()
    with pytest.raises(InvalidTransition):
        issue_certificate(active_mentorship, mentee)
    assert not Certificate.objects.exists()


def test_the_mentorship_page_offers_the_certificate_once_completed(
    active_mentorship, mentee_client
):
    page = reverse("mentorship:mentorship_detail", args=[active_mentorship.pk])
    assert "Download your certificate" not in mentee_client.get(page).content.decode()
    completed(active_mentorship)
    html = mentee_client.get(page).content.decode()
    assert "Download your certificate" in html
    assert download_url(active_mentorship) in html


def test_a_genuine_code_is_confirmed_in_any_case_with_or_without_dashes(
    finished, mentee, mentor, programme, client
):
    certificate = issue_certificate(finished, mentee)
    for typed in [certificate.display_code, certificate.code.lower(), f" {certificate.code} "]:
        response = client.get(VERIFY, {"code": typed})
        assert response.status_code == 200
        html = response.content.decode()
        assert "This certificate is genuine" in html
        for expected in [programme.name, mentee.full_name, mentor.full_name, "3 hours 15 minutes"]:
            assert expected in html
        assert certificate.started_on.strftime("%B %Y") in html


def test_a_wrong_code_is_not_found_and_says_nothing_more(finished, mentee, client):
    issue_certificate(finished, mentee)
    for typed in ["ABCD-EFGH-JKLM", "too-short", "ZZZZZZZZZZZZZZZZ"]:
        response = client.get(VERIFY, {"code": typed})
        html = response.content.decode()
        assert "No certificate found" in html
        assert "This certificate is genuine" not in html
        assert mentee.full_name not in html


def test_the_verification_page_opens_without_signing_in(client):
    response = client.get(VERIFY)
    assert response.status_code == 200
    assert "Verification code" in response.content.decode()


def test_an_empty_code_is_a_form_error(client):
    response = client.get(VERIFY, {"code": ""})
    assert response.status_code == 400
    assert "Enter the verification code from the certificate" in response.content.decode()


def test_too_many_checks_from_one_address_are_asked_to_wait(finished, mentee, client, monkeypatch):
    certificate = issue_certificate(finished, mentee)
    monkeypatch.setattr(endings_views, "VERIFY_LIMIT", 2)
    client.get(VERIFY, {"code": "ABCD-EFGH-JKLM"})
    client.get(VERIFY, {"code": "ABCD-EFGH-JKLN"})
    response = client.get(VERIFY, {"code": certificate.code})
    assert response.status_code == 429
    assert "This certificate is genuine" not in response.content.decode()


def test_the_programme_page_links_to_the_verification_page(programme, mentee_client):
    response = mentee_client.get(reverse("mentorship:programme_detail", args=[programme.slug]))
    assert VERIFY in response.content.decode()


def test_names_and_goals_outside_latin_1_do_not_break_the_pdf(
    active_mentorship, mentee, mentor, mentee_client, client
):
    mentee.full_name = "Dr Łukasz Wiśniewski-Şahin"
    mentee.save(update_fields=["full_name"])
    mentor.full_name = "Dr محمد Ahmed"
    mentor.save(update_fields=["full_name"])
    goal(active_mentorship, "Lead a PCN – with “real” patients…", "achieved")
    completed(active_mentorship)
    response = mentee_client.get(download_url(active_mentorship))
    assert response.status_code == 200
    text = pdf_text(response)
    assert "Dr Lukasz Wisniewski-Sahin" in text
    assert "Dr ???? Ahmed" in text
    assert 'Lead a PCN - with "real" patients...' in text
    certificate = Certificate.objects.get(person=mentee)
    assert certificate.mentee_name == "Dr Łukasz Wiśniewski-Şahin"  # the record keeps it
    html = client.get(VERIFY, {"code": certificate.code}).content.decode()
    assert "Dr Łukasz Wiśniewski-Şahin" in html


def test_latin_1_text_is_kept_and_the_rest_made_plain():
    assert certificates.latin1("Zoë Müller-O’Brien") == "Zoë Müller-O'Brien"
    assert certificates.latin1("Ştefan Łoś") == "Stefan Los"
    assert certificates.latin1("张伟") == "??"


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 hours"),
        (45, "45 minutes"),
        (60, "1 hour"),
        (195, "3 hours 15 minutes"),
        (61, "1 hour 1 minute"),
    ],
)
def test_confirmed_time_reads_as_hours_and_minutes(minutes, text):
    assert certificates.confirmed_time(minutes) == text
