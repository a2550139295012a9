"""Confirming a checked file imports exactly what the check showed: accounts, profiles and
memberships, one event and one invitation in the outbox per person added. Importing the same
file again changes nothing and sends nothing."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from mentorship.models import (
    Action,
    Event,
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    OutboxEmail,
)
from tests.factories import MenteeProfileFactory, MentorProfileFactory, UserFactory
from tests.mentorship.import_files import (
    MENTEE_COLUMNS,
    MENTOR_COLUMNS,
    confirm,
    csv_bytes,
    mentee_row,
    mentor_row,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def test_confirming_creates_mentors_and_invites_each_once(manager_client, manager, programme):
    rows = [mentor_row(1), mentor_row(2, Title="", **{"GMC number": ""}), mentor_row(3, Email="x")]
    checked = upload(manager_client, programme, "mentors", csv_bytes(rows, MENTOR_COLUMNS))

    response = confirm(manager_client, programme, "mentors", checked)

    assert response.status_code == 302
    assert response["Location"] == reverse("manage:mentors", args=[programme.slug])
    user = User.objects.get(email="mentor1@example.nhs.uk")
    assert user.full_name == "Dr Mentor Number1"
    assert not user.has_usable_password()
    address = EmailAddress.objects.get(user=user)
    assert address.primary and not address.verified
    profile = user.mentor_profile
    assert profile.gmc_number == "6000001"
    assert profile.primary_specialty.code == "general-practice"  # written "GP"
    assert profile.region.name == "Midlands"  # written "midlands"
    assert profile.capacity == 2 and profile.is_img and profile.qualification_country == "IN"
    membership = MentorMembership.objects.get(programme=programme, user=user)
    assert membership.status == MentorMembership.Status.INVITED
    assert membership.decided_by == manager
    event = membership.events.get()
    assert (event.action, event.actor) == (Action.INVITED, manager)
    assert "row 2" in event.note
    second = User.objects.get(email="mentor2@example.nhs.uk")
    assert second.full_name == "Mentor Number2"
    assert second.mentor_profile.gmc_number is None
    assert not User.objects.filter(email="x").exists()
    emails = OutboxEmail.objects.filter(kind="import_mentor_invited")
    assert sorted(e.to_email for e in emails) == [
        "mentor1@example.nhs.uk",
        "mentor2@example.nhs.uk",
    ]
    assert OutboxEmail.objects.count() == 2
    body = emails.get(to_email="mentor1@example.nhs.uk").body_text
    assert "/accounts/password/reset/key/" in body
    assert reverse("mentorship:mentor_home") in body
    follow = manager_client.get(response["Location"])
    assert "You imported 2 mentors." in follow.content.decode()
    assert "1 rows with errors were left out" in follow.content.decode()


def test_confirming_accepts_mentees_into_the_programme(manager_client, manager, programme):
    rows = [mentee_row(1), mentee_row(2, Grade="", Region="")]
    checked = upload(manager_client, programme, "mentees", csv_bytes(rows, MENTEE_COLUMNS))

    confirm(manager_client, programme, "mentees", checked)

    memberships = MenteeMembership.objects.filter(programme=programme).order_by("user__email")
    assert [(m.user.email, m.status) for m in memberships] == [
        ("mentee1@example.nhs.uk", MenteeMembership.Status.ACCEPTED),
        ("mentee2@example.nhs.uk", MenteeMembership.Status.ACCEPTED),
    ]
    profile = MenteeProfile.objects.get(user__email="mentee1@example.nhs.uk")
    assert profile.grade == "clinical_fellow"
    assert profile.target_specialty.name == "General Practice"
    assert profile.current_specialty.name == "Geriatric Medicine"
    assert profile.qualification_country == "NG" and profile.year_arrived == 2023
    assert profile.gmc_number == "7100001"
    assert all(m.decided_by == manager and m.decided_at for m in memberships)
    assert [e.action for e in Event.objects.filter(mentee_membership__in=memberships)] == [
        Action.APPLICATION_ACCEPTED
    ] * 2
    assert OutboxEmail.objects.filter(kind="import_mentee_invited").count() == 2
    assert OutboxEmail.objects.count() == 2


@pytest.mark.parametrize("kind", ["mentors", "mentees"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_importing_the_same_file_twice_changes_nothing(
    manager_client, programme, kind, file_format
):
    make_row, columns = (
        (mentor_row, MENTOR_COLUMNS)
        if kind == "mentors"
        else (
            mentee_row,
            MENTEE_COLUMNS,
        )
    )
    rows = [make_row(n) for n in range(1, 6)]
    content = (csv_bytes if file_format == "csv" else xlsx_bytes)(rows, columns)
    name = f"people.{file_format}"
    confirm(manager_client, programme, kind, upload(manager_client, programme, kind, content, name))
    people, events, outbox = (
        User.objects.count(),
        Event.objects.count(),
        OutboxEmail.objects.count(),
    )

    again = upload(manager_client, programme, kind, content, name)

    assert [row.outcome for row in again.context["check"].rows] == ["unchanged"] * 5
    assert "There is nothing to import" in again.content.decode()
    response = confirm(manager_client, programme, kind, again)
    assert response.status_code == 302
    assert (User.objects.count(), Event.objects.count(), OutboxEmail.objects.count()) == (
        people,
        events,
        outbox,
    )


def test_a_mentor_who_has_an_account_is_invited_as_usual_and_keeps_their_profile(
    manager_client, manager, programme
):
    existing = MentorProfileFactory(
        user__email="helen@example.org", job_title="Divisional director", gmc_number="6111111"
    ).user
    rows = [mentor_row(1, Email="Helen@Example.org", **{"GMC number": ""})]
    checked = upload(manager_client, programme, "mentors", csv_bytes(rows, MENTOR_COLUMNS))
    assert checked.context["check"].rows[0].outcome == "invite"

    confirm(manager_client, programme, "mentors", checked)

    membership = MentorMembership.objects.get(programme=programme, user=existing)
    assert membership.status == MentorMembership.Status.INVITED
    existing.mentor_profile.refresh_from_db()
    assert existing.mentor_profile.job_title == "Divisional director"
    assert [e.kind for e in OutboxEmail.objects.all()] == ["mentor_invited"]
    assert User.objects.filter(email__iexact="helen@example.org").count() == 1


def test_someone_with_an_account_but_no_mentor_profile_gets_one_from_the_row(
    manager_client, programme, outsider
):
    rows = [mentor_row(1, Email=outsider.email)]
    checked = upload(manager_client, programme, "mentors", csv_bytes(rows, MENTOR_COLUMNS))

    confirm(manager_client, programme, "mentors", checked)

    outsider.refresh_from_db()
    assert outsider.mentor_profile.job_title == "Consultant"
    assert outsider.has_usable_password()
    assert [e.kind for e in OutboxEmail.objects.all()] == ["mentor_invited"]


def test_a_mentee_who_has_an_account_is_accepted_and_told(manager_client, programme):
    existing = MenteeProfileFactory(user__email="amara@example.org").user
    rows = [mentee_row(1, Email="amara@example.org", **{"GMC number": ""})]
    checked = upload(manager_client, programme, "mentees", csv_bytes(rows, MENTEE_COLUMNS))

    confirm(manager_client, programme, "mentees", checked)

    membership = MenteeMembership.objects.get(programme=programme, user=existing)
    assert membership.status == MenteeMembership.Status.ACCEPTED
    assert [e.kind for e in OutboxEmail.objects.all()] == ["application_accepted"]


def test_a_gmc_number_not_the_one_on_their_profile_is_an_error(manager_client, programme):
    MentorProfileFactory(user__email="helen@example.org", gmc_number="6111111")
    rows = [mentor_row(1, Email="helen@example.org", **{"GMC number": "6222222"})]

    checked = upload(manager_client, programme, "mentors", csv_bytes(rows, MENTOR_COLUMNS))

    assert checked.context["check"].rows[0].errors == [
        (
            "GMC number",
            "This GMC number is not the one on their profile. Check it, or leave the cell empty "
            "to keep theirs.",
        )
    ]


def test_someone_already_in_the_programme_is_unchanged_whatever_their_state(
    manager_client, programme, mentee
):
    MenteeMembership.objects.filter(user=mentee).update(status=MenteeMembership.Status.APPLIED)
    rows = [mentee_row(1, Email=mentee.email)]

    checked = upload(manager_client, programme, "mentees", csv_bytes(rows, MENTEE_COLUMNS))

    row = checked.context["check"].rows[0]
    assert (row.outcome, row.note) == (
        "unchanged",
        "Already in the programme (waiting for a decision).",
    )


def test_a_closed_account_is_an_error(manager_client, programme):
    UserFactory(email="gone@example.org", is_active=False)
    rows = [mentor_row(1, Email="gone@example.org")]

    checked = upload(manager_client, programme, "mentors", csv_bytes(rows, MENTOR_COLUMNS))

    assert checked.context["check"].rows[0].outcome == "error"


def test_if_the_programme_changed_since_the_check_nothing_is_imported(manager_client, programme):
    rows = [mentor_row(1), mentor_row(2)]
    checked = upload(manager_client, programme, "mentors", csv_bytes(rows, MENTOR_COLUMNS))
    MentorProfileFactory(user__email="mentor2@example.nhs.uk")  # signed up meanwhile
    people = User.objects.count()

    response = confirm(manager_client, programme, "mentors", checked)

    assert response.status_code == 409
    assert "Something changed in the programme since you checked this file" in (
        response.content.decode()
    )
    assert User.objects.count() == people
    assert not MentorMembership.objects.filter(programme=programme).exists()
    assert not OutboxEmail.objects.exists()


def test_a_file_no_longer_kept_must_be_uploaded_again(manager_client, programme):
    checked = upload(manager_client, programme, "mentors", csv_bytes([mentor_row(1)]))
    cache.clear()

    response = confirm(manager_client, programme, "mentors", checked)

    assert response.status_code == 409
    assert "Upload it again." in response.content.decode()
    assert not User.objects.filter(email="mentor1@example.nhs.uk").exists()


def test_confirming_twice_imports_once(manager_client, programme):
    checked = upload(manager_client, programme, "mentors", csv_bytes([mentor_row(1)]))
    confirm(manager_client, programme, "mentors", checked)

    response = confirm(manager_client, programme, "mentors", checked)

    assert response.status_code == 409
    assert User.objects.filter(email="mentor1@example.nhs.uk").count() == 1
    assert OutboxEmail.objects.count() == 1


def test_a_confirmation_without_a_checked_file_goes_back_to_the_upload(manager_client, programme):
    url = reverse("manage:confirm_import", args=[programme.slug, "mentors"])

    response = manager_client.post(url, {"digest": "not-a-digest"})

    assert response.status_code == 302
    assert response["Location"] == reverse("manage:import", args=[programme.slug, "mentors"])


def test_an_account_whose_address_was_stored_with_capitals_is_found(manager_client, programme):
    existing = MentorProfileFactory(user__email="helen@example.org").user
    User.objects.filter(pk=existing.pk).update(email="Helen.Achebe@Example.org")
    rows = [mentor_row(1, Email="helen.achebe@example.org", **{"GMC number": ""})]

    checked = upload(manager_client, programme, "mentors", csv_bytes(rows, MENTOR_COLUMNS))

    assert checked.context["check"].rows[0].outcome == "invite"
