import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MANAGER_HOME = reverse("manage:home")


def test_a_manager_without_mfa_is_sent_to_set_it_up(client, manager):
    client.force_login(manager)

    response = client.get(MANAGER_HOME)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_manager_with_mfa_gets_the_manager_page(client, manager, with_mfa):
    with_mfa(manager)
    client.force_login(manager)

    assert client.get(MANAGER_HOME).status_code == 200


def test_a_manager_who_is_also_a_mentee_reaches_mentee_pages_without_mfa(client, manager):
    from tests.factories import MenteeProfileFactory

    MenteeProfileFactory(user=manager)
    client.force_login(manager)

    assert client.get(reverse("mentorship:mentee_home")).status_code == 200
    assert client.get(MANAGER_HOME).status_code == 302


def test_staff_without_mfa_are_sent_to_set_it_up_before_the_admin(client, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_mfa_reach_the_admin(client, staff, with_mfa):
    with_mfa(staff)
    client.force_login(staff)

    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_signing_in_with_mfa_asks_for_a_code_and_refuses_a_wrong_one(
    client, manager, password, with_mfa
):
    code = with_mfa(manager)

    response = client.post(reverse("account_login"), {"login": manager.email, "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    wrong = "000000" if code() != "000000" else "111111"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": code()})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == manager.pk
    assert client.get(MANAGER_HOME).status_code == 200
