"""Believable demo data for `make run`. Safe to run again: nothing is duplicated."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from mentorship.models import MenteeProfile, MentorProfile, Programme

DEMO_PASSWORD = "demo-password-2026"

PROGRAMME = {
    "slug": "northfield-clinical-fellows",
    "name": "Clinical Fellows Mentoring Scheme",
    "organisation": "Northfield Teaching Hospitals NHS Foundation Trust",
    "description": "Mentoring for clinical fellows and trust-grade doctors new to the NHS.",
}

# (email, full name, role, extra)
PEOPLE: list[tuple[str, str, str, dict[str, str]]] = [
    ("mentee@example.org", "Dr Priya Raghunathan", "mentee", {}),
    (
        "mentor@example.org",
        "Dr Helen Achterberg",
        "mentor",
        {
            "job_title": "Divisional Director for Primary Care",
            "organisation": "Northfield Teaching Hospitals NHS Foundation Trust",
        },
    ),
    ("manager@example.org", "Samuel Okonkwo", "manager", {}),
    ("admin@example.org", "Site Administrator", "admin", {}),
]


class Command(BaseCommand):
    help = "Create demo users for each role and a demo programme (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        programme, _ = Programme.objects.update_or_create(
            slug=PROGRAMME["slug"], defaults={k: v for k, v in PROGRAMME.items() if k != "slug"}
        )
        for email, name, role, extra in PEOPLE:
            user = self._user(email, name, is_admin=role == "admin")
            if role == "mentee":
                MenteeProfile.objects.get_or_create(user=user)
            elif role == "mentor":
                MentorProfile.objects.update_or_create(user=user, defaults=extra)
            elif role == "manager":
                programme.managers.add(user)

        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000"))
        self.stdout.write(f"  Password for every demo account: {DEMO_PASSWORD}")
        for email, name, role, _ in PEOPLE:
            self.stdout.write(f"  {role:<8} {email:<24} {name}")
        self.stdout.write(
            "  The manager and admin are asked to set up an authenticator app on first use."
        )

    def _user(self, email: str, name: str, *, is_admin: bool) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
        user.full_name = name
        user.is_staff = user.is_superuser = is_admin
        user.save(update_fields=["full_name", "is_staff", "is_superuser"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user
