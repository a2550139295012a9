import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.models import User
from accounts.permissions import Role, roles_of
from mentorship.models import (
    MenteeProfile,
    MentorProfile,
    MentorRequest,
    Programme,
)
from monitoring.demo import ALUMNI

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        EmailAddress.objects.count(),
        Programme.objects.count(),
        MenteeProfile.objects.count(),
        MentorProfile.objects.count(),
    )


def test_seed_demo_creates_a_person_for_each_role_and_is_safe_to_run_twice():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))

    assert _counts() == first
    assert roles_of(User.objects.get(email="mentee@example.org")) == {Role.MENTEE}
    assert roles_of(User.objects.get(email="mentor@example.org")) == {Role.MENTOR}
    assert roles_of(User.objects.get(email="manager@example.org")) == {Role.MANAGER}
    assert Programme.objects.count() == 2
    assert 35 <= MentorProfile.objects.count() <= 45
    # Today's mentees, and past ones whose mentorships ended months ago (outcomes, equality).
    past = MenteeProfile.objects.filter(user__email__startswith="alumnus")
    assert 75 <= MenteeProfile.objects.exclude(pk__in=past).count() <= 85
    assert past.count() == ALUMNI
    assert all(p.managers.count() == 1 for p in Programme.objects.all())
    general_practice = MenteeProfile.objects.filter(target_specialty__code="general-practice")
    assert general_practice.count() > MenteeProfile.objects.count() / 4
    assert Role.STAFF in roles_of(User.objects.get(email="admin@example.org"))
    assert all(User.objects.values_list("email", flat=True))
    assert not EmailAddress.objects.filter(verified=False).exists()
    # Every role has something to do: requests waiting, and a match to approve.
    assert MentorRequest.objects.filter(mentor__email="mentor@example.org").count() == 2
    assert MentorRequest.objects.filter(status="accepted").count() == 1


def test_seed_demo_prints_the_demo_sign_ins(capsys):
    call_command("seed_demo")

    out = capsys.readouterr().out
    assert "mentee@example.org" in out and "manager@example.org" in out
    assert "demo-password-2026" in out


def test_demo_people_have_unique_names_past_arrival_years_and_every_state(db):
    from datetime import date

    from django.core.management import call_command
    from django.db.models import Count

    from accounts.models import User
    from mentorship.models import MenteeMembership, MenteeProfile, MentorRequest, Mentorship

    call_command("seed_demo", stdout=None)

    assert not User.objects.values("full_name").annotate(n=Count("pk")).filter(n__gt=1)
    assert not MenteeProfile.objects.filter(year_arrived__gte=date.today().year).exists()
    assert set(Mentorship.objects.values_list("status", flat=True)) >= {"active", "completed"}
    assert set(MentorRequest.objects.values_list("status", flat=True)) >= {
        "pending",
        "accepted",
        "approved",
        "declined",
    }
    assert set(MenteeMembership.objects.values_list("status", flat=True)) >= {
        "applied",
        "accepted",
        "declined",
    }
