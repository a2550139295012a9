"""Staff erase a person's data from the admin when the person asks: a confirmation page,
a required reason, and a line in the erasure log."""

import pytest
from django.urls import reverse

from accounts.models import User
from privacy.erasure import ERASED_NAME
from privacy.models import ErasureRecord

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:accounts_user_changelist")


@pytest.fixture
def staff_client(client, staff, with_mfa):
    with_mfa(staff)
    client.force_login(staff)
    return client


def act(client, *people, **extra):
    data = {"action": "erase_on_request", "_selected_action": [p.pk for p in people], **extra}
    return client.post(CHANGELIST, data)


def test_the_action_asks_for_confirmation_first(staff_client, mentee, active_mentorship):
    response = act(staff_client, mentee)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Erase Dr Amara Nwosu" in text and "1 active mentorship will end" in text
    assert User.objects.get(pk=mentee.pk).is_active
    assert not ErasureRecord.objects.exists()


def test_a_reason_is_required(staff_client, mentee):
    response = act(staff_client, mentee, confirm="yes", reason="  ")

    assert response.status_code == 200
    assert "Say why you are erasing" in response.content.decode()
    assert User.objects.get(pk=mentee.pk).is_active


def test_confirming_with_a_reason_erases_and_logs_who_did_it(staff_client, staff, mentee):
    response = act(staff_client, mentee, confirm="yes", reason="Email request, ticket 4411")

    assert response.status_code == 302
    person = User.objects.get(pk=mentee.pk)
    assert person.full_name == ERASED_NAME and not person.is_active
    record = ErasureRecord.objects.get()
    assert (record.user, record.by, record.by_staff) == (person, staff, True)
    assert record.reason == "Email request, ticket 4411"
    log = staff_client.get(reverse("admin:privacy_erasurerecord_changelist"))
    assert log.status_code == 200 and "ticket 4411" in log.content.decode()


def test_one_person_at_a_time(staff_client, mentee, mentor):
    response = act(staff_client, mentee, mentor, confirm="yes", reason="Two at once")

    assert response.status_code == 302
    assert User.objects.filter(is_active=False).count() == 0


def test_the_log_cannot_be_changed_in_the_admin(staff_client, staff, mentee):
    act(staff_client, mentee, confirm="yes", reason="Ticket 1")
    record = ErasureRecord.objects.get()
    change = reverse("admin:privacy_erasurerecord_change", args=[record.pk])
    delete = reverse("admin:privacy_erasurerecord_delete", args=[record.pk])

    staff_client.post(change, {"reason": "Rewritten"})
    staff_client.post(delete, {"post": "yes"})

    record.refresh_from_db()
    assert record.reason == "Ticket 1"
