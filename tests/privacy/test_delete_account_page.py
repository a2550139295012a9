"""The delete-my-account page: it says what happens and what is kept, asks for the password
(and a code from the authenticator, for people who have one), and signs them out."""

import pytest
from django.urls import reverse

from accounts.models import User
from journey.services import concerns
from privacy.erasure import ERASED_NAME
from privacy.models import ErasureRecord
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/accounts/privacy/delete/"


def test_the_url_is_the_one_others_link_to():
    assert reverse("privacy:delete_account") == URL


def test_the_page_explains_the_consequences_before_anything_happens(
    mentee_client, active_mentorship
):
    response = mentee_client.get(URL)

    text = response.content.decode()
    assert response.status_code == 200
    assert "What happens" in text and "What we keep" in text
    assert "will end today" in text and "Northfield Clinical Fellows" in text
    assert 'name="code"' not in text  # no authenticator, no code asked for


def test_a_concern_under_investigation_is_explained_before_confirming(
    mentee_client, mentor, active_mentorship
):
    concerns.raise_concern(active_mentorship, by=mentor, kind="behaviour", details="Shouting")

    text = mentee_client.get(URL).content.decode()

    assert "still looking into" in text and "until it is closed" in text


def test_the_right_password_deletes_the_account_and_signs_them_out(mentee_client, mentee):
    response = mentee_client.post(URL, {"password": PASSWORD})

    assert response.status_code == 302 and response.url == reverse("privacy:account_deleted")
    mentee.refresh_from_db()
    assert mentee.full_name == ERASED_NAME and not mentee.is_active
    assert ErasureRecord.objects.get().by == mentee
    done = mentee_client.get(response.url)
    assert done.status_code == 200 and "Your account has been deleted" in done.content.decode()
    assert mentee_client.get("/accounts/settings/").status_code == 302  # signed out


@pytest.mark.parametrize("password", ["", "not-my-password"])
def test_a_wrong_or_missing_password_is_refused_and_nothing_changes(
    mentee_client, mentee, password
):
    response = mentee_client.post(URL, {"password": password})

    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Enter your password" in text or "Your password is not right" in text
    mentee.refresh_from_db()
    assert mentee.is_active and mentee.full_name == "Dr Amara Nwosu"
    assert not ErasureRecord.objects.exists()


def test_with_an_authenticator_a_current_code_is_needed(mentee_client, mentee, with_mfa):
    code = with_mfa(mentee)
    assert 'name="code"' in mentee_client.get(URL).content.decode()

    for wrong in ({"password": PASSWORD}, {"password": PASSWORD, "code": "000000"}):
        response = mentee_client.post(URL, wrong)
        assert response.status_code == 400
        assert "code" in response.content.decode()
    assert not ErasureRecord.objects.exists()
    assert User.objects.get(pk=mentee.pk).is_active

    response = mentee_client.post(URL, {"password": PASSWORD, "code": code()})
    assert response.status_code == 302
    assert not User.objects.get(pk=mentee.pk).is_active


def test_a_right_code_behind_a_wrong_password_changes_nothing(mentee_client, mentee, with_mfa):
    code = with_mfa(mentee)
    response = mentee_client.post(URL, {"password": "wrong", "code": code()})
    assert response.status_code == 400
    assert User.objects.get(pk=mentee.pk).is_active


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response.url


def test_junk_input_is_a_form_error_not_a_500(mentee_client):
    response = mentee_client.post(URL, {"password": "x" * 5000, "code": "\x00" * 50})
    assert response.status_code == 400


def test_guessing_the_password_is_rate_limited(mentee_client, mentee):
    for _ in range(10):
        assert mentee_client.post(URL, {"password": "guess"}).status_code == 400

    response = mentee_client.post(URL, {"password": PASSWORD})

    assert response.status_code == 400
    assert "Too many attempts" in response.content.decode()
    assert User.objects.get(pk=mentee.pk).is_active


def _sso_only(client, user, *, signed_in_seconds_ago: float):
    """A person who signs in only through their organisation's account (no password), as
    allauth records a social sign-in in the session."""
    import time

    user.set_unusable_password()
    user.save(update_fields=["password"])
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "socialaccount", "at": time.time() - signed_in_seconds_ago, "provider": "oidc"}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def test_someone_without_a_password_who_just_signed_in_with_sso_can_delete(client, mentee):
    _sso_only(client, mentee, signed_in_seconds_ago=30)

    page = client.get(URL).content.decode()
    response = client.post(URL, {})

    assert 'name="password"' not in page and "within the last 5 minutes" in page
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.full_name == ERASED_NAME and not mentee.is_active
    assert ErasureRecord.objects.filter(user=mentee).count() == 1


def test_someone_without_a_password_who_signed_in_long_ago_is_asked_to_sign_in_again(
    client, mentee
):
    _sso_only(client, mentee, signed_in_seconds_ago=3600)

    response = client.post(URL, {})

    assert response.status_code == 400
    assert "sign in again with your organisation" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.is_active and not ErasureRecord.objects.filter(user=mentee).exists()
