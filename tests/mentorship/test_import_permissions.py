"""Only the programme's own managers, with MFA, import into it: another programme's manager
gets 404, and everyone else is refused or sent to sign in."""

import pytest
from django.urls import reverse

from accounts.models import User
from mentorship.models import MentorMembership
from tests.mentorship.import_files import csv_bytes, mentor_row

pytestmark = pytest.mark.django_db

LOGIN, MFA = "302 to login", "302 to MFA setup"
EXPECTED = {
    "anonymous": LOGIN,
    "outsider": 403,
    "mentee": 403,
    "mentor": 403,
    "other_manager": 404,
    "manager_without_mfa": MFA,
}


def _urls(slug: str) -> dict[str, str]:
    return {
        "page": reverse("manage:import", args=[slug, "mentors"]),
        "template": reverse("manage:import_template", args=[slug, "mentors", "csv"]),
        "confirm": reverse("manage:confirm_import", args=[slug, "mentors"]),
    }


def _assert_outcome(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"
    elif expected == MFA:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", EXPECTED)
@pytest.mark.parametrize("page", ["page", "template"])
def test_who_may_open_the_import_pages(sign_in, programme, role, page):
    url = _urls(programme.slug)[page]

    response = sign_in(role).get(url)

    _assert_outcome(response, EXPECTED[role], url)


@pytest.mark.parametrize("role", EXPECTED)
def test_who_may_upload_and_confirm(sign_in, programme, role, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = sign_in(role)
    urls = _urls(programme.slug)
    people = User.objects.count()

    uploaded = client.post(
        urls["page"], {"file": SimpleUploadedFile("m.csv", csv_bytes([mentor_row(1)]))}
    )
    confirmed = client.post(urls["confirm"], {"digest": "a" * 64})

    _assert_outcome(uploaded, EXPECTED[role], urls["page"])
    _assert_outcome(confirmed, EXPECTED[role], urls["confirm"])
    assert User.objects.count() == people
    assert not MentorMembership.objects.filter(user__email="mentor1@example.nhs.uk").exists()


def test_a_file_checked_by_one_manager_cannot_be_confirmed_by_another(
    manager_client, programme, other_manager, with_mfa, client
):
    from tests.mentorship.import_files import upload

    checked = upload(manager_client, programme, "mentors", csv_bytes([mentor_row(1)]))
    programme.managers.add(other_manager)  # now a manager of this programme too
    with_mfa(other_manager)
    client.force_login(other_manager)

    response = client.post(
        _urls(programme.slug)["confirm"], {"digest": checked.context["check"].digest}
    )

    assert response.status_code == 409
    assert not User.objects.filter(email="mentor1@example.nhs.uk").exists()


def test_an_unknown_kind_of_import_is_404(manager_client, programme):
    response = manager_client.get(reverse("manage:import", args=[programme.slug, "approvals"]))

    assert response.status_code == 404
