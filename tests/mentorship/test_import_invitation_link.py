"""A person the import made an account for chooses a password from the invitation's link."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from accounts.models import User
from mentorship.models import OutboxEmail
from tests.mentorship.import_files import (
    MENTEE_COLUMNS,
    confirm,
    csv_bytes,
    mentee_row,
    upload,
)

pytestmark = pytest.mark.django_db


def test_the_invitation_link_lets_a_new_mentee_choose_a_password(manager_client, programme):
    checked = upload(
        manager_client, programme, "mentees", csv_bytes([mentee_row(1)], MENTEE_COLUMNS)
    )
    confirm(manager_client, programme, "mentees", checked)
    email = OutboxEmail.objects.get(kind="import_mentee_invited")
    assert email.to_email == "mentee1@example.nhs.uk"
    assert "You have a place in Northfield Clinical Fellows" in email.subject
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", email.body_text).group(0)
    path = "/" + link.split("/", 3)[3]
    browser = Client()

    form_page = browser.get(path, follow=True)

    assert form_page.status_code == 200
    set_password_path = form_page.redirect_chain[-1][0]
    new_password = "a-Long-and-Unusual-passphrase-42"
    response = browser.post(
        set_password_path, {"password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    user = User.objects.get(email="mentee1@example.nhs.uk")
    assert user.check_password(new_password)
    # Following the emailed link proved the address: no second "confirm your email".
    assert EmailAddress.objects.get(user=user).verified
    signed_in = Client()
    response = signed_in.post(
        reverse("account_login"), {"login": user.email, "password": new_password}
    )
    assert response.status_code == 302
    assert "confirm-email" not in response["Location"]
