"""Sign-up does the same slow work whether or not the address is taken, so its timing does not
tell anyone which addresses have accounts (issue 9, item 16)."""

from unittest import mock

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.urls import reverse

from accounts.models import User
from mentorship.models import OutboxEmail

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Dr Chinedu Eze",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
}


def _sign_up_counting_hashes(client, email: str) -> int:
    original = Argon2PasswordHasher.encode
    with mock.patch.object(
        Argon2PasswordHasher, "encode", autospec=True, side_effect=original
    ) as encode:
        response = client.post(reverse("account_signup"), {**SIGNUP, "email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    return encode.call_count


def test_signing_up_with_a_taken_address_hashes_the_password_as_a_new_sign_up_does(
    client, mentee, password
):
    new = _sign_up_counting_hashes(client, "new.person@example.org")
    taken = _sign_up_counting_hashes(client, mentee.email)

    assert new == 1
    assert taken == new
    # The taken address is unchanged and told by email; only the new one made an account.
    assert User.objects.filter(email=mentee.email).count() == 1
    mentee.refresh_from_db()
    assert mentee.check_password(password)
    assert User.objects.filter(email="new.person@example.org").exists()
    assert OutboxEmail.objects.filter(
        kind="account.account_already_exists", to_email=mentee.email
    ).exists()
