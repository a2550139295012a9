"""The load benchmark's data: a whole programme, and the people who sign in during a run.

The programme comes from bench/dashboard_bench.py's loader (N mentors and M mentees in every
state, with requests, mentorships, events, meetings, check-ins and feedback); this module adds
what the directory needs to look real (mentors' goals, other specialties, languages and bios,
mentees' goals, search documents). A database already holding a programme of the same shape is
reused, so a second run starts in seconds.

Each run then picks its cast from the data as they are now (earlier runs changed them): mentees
free to ask, mentors with pending requests and a place, the manager. They get one known
password; the manager gets a fresh TOTP secret under this run's MFA_ENCRYPTION_KEYS (keys are
generated per run, so last run's encrypted secret can no longer be read).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

PASSWORD = "load-bench-password-2026"
MARKER = "load-bench-extras-v1"  # in the programme's description: the extras are loaded


@dataclass
class Cast:
    """Who signs in during a run (emails), and the manager's TOTP secret."""

    programme_slug: str
    mentees: list[str]
    mentors: list[str]
    managers: list[str]
    totp_secrets: dict[str, str] = field(default_factory=dict)
    password: str = PASSWORD


def database_exists(database_url: str) -> bool:
    from bench.dashboard_bench import database_exists as exists

    return bool(exists(database_url))


def add_directory_extras(programme, seed: int = 2027) -> None:
    """What the dashboard loader leaves out and the directory shows, ranks and searches."""
    import numpy as np

    from mentorship.models import (
        Goal,
        Language,
        MenteeGoal,
        MenteeProfile,
        MentorProfile,
        Specialty,
    )

    rng = np.random.default_rng(seed)
    goals = list(Goal.objects.all())
    languages = list(Language.objects.all())
    specialties = list(Specialty.objects.all())
    profiles = list(
        MentorProfile.objects.filter(user__mentor_memberships__programme=programme).only("pk")
    )
    bios = [
        "Experienced clinician who enjoys supporting colleagues new to the NHS.",
        "Passed MRCP after joining the NHS from abroad; happy to help with exams and portfolios.",
        "Educational supervisor with an interest in leadership and quality improvement.",
        "GP trainer; I help doctors with the move into specialty training and interviews.",
    ]
    for p in profiles:
        p.bio = bios[int(rng.integers(len(bios)))]
        p.in_person = bool(rng.random() < 0.6)
        p.is_img = bool(rng.random() < 0.45)
    MentorProfile.objects.bulk_update(profiles, ["bio", "in_person", "is_img"], batch_size=5000)
    through = MentorProfile.goals.through
    through.objects.bulk_create(
        (
            through(mentorprofile_id=p.pk, goal=g)
            for p in profiles
            for g in rng.choice(goals, size=int(rng.integers(2, 8)), replace=False)
        ),
        batch_size=10000,
    )
    through = MentorProfile.other_specialties.through
    through.objects.bulk_create(
        (
            through(
                mentorprofile_id=p.pk, specialty=specialties[int(rng.integers(len(specialties)))]
            )
            for p in profiles
            if rng.random() < 0.4
        ),
        batch_size=10000,
    )
    through = MentorProfile.languages.through
    through.objects.bulk_create(
        (
            through(mentorprofile_id=p.pk, language=languages[int(rng.integers(len(languages)))])
            for p in profiles
            if p.is_img
        ),
        batch_size=10000,
    )
    mentees = MenteeProfile.objects.filter(
        user__mentee_memberships__programme=programme
    ).values_list("pk", flat=True)
    MenteeGoal.objects.bulk_create(
        (
            MenteeGoal(profile_id=pk, goal=g, rank=rank)
            for pk in mentees.iterator()
            for rank, g in enumerate(
                rng.choice(goals, size=int(rng.integers(1, 4)), replace=False), start=1
            )
        ),
        batch_size=10000,
    )
    # Bulk inserts send no signals: build the search documents as saving would.
    MentorProfile.objects.filter(pk__in=[p.pk for p in profiles]).refresh_search_documents()
    programme.description = (programme.description + "\n" + MARKER).strip()
    programme.save(update_fields=["description"])


def already_loaded(n_mentors: int, n_mentees: int):
    """(programme, counts) when the database holds a programme loaded by this module with
    these sizes, else None. (Runs add managers, so the dashboard loader's own check, which
    expects one manager, does not fit.)"""
    from journey.models import CheckIn, Feedback, Meeting
    from mentorship.models import (
        Event,
        MenteeMembership,
        MentorMembership,
        MentorRequest,
        Mentorship,
        Programme,
    )

    programme = Programme.objects.filter(slug="bench", description__contains=MARKER).first()
    if programme is None:
        return None
    if (
        MentorMembership.objects.filter(programme=programme).count() != n_mentors
        or MenteeMembership.objects.filter(programme=programme).count() != n_mentees
    ):
        return None
    counts = {
        "requests": MentorRequest.objects.filter(programme=programme).count(),
        "events": Event.objects.filter(programme=programme).count(),
        "mentorships": Mentorship.objects.filter(programme=programme).count(),
        "meetings": Meeting.objects.filter(mentorship__programme=programme).count(),
        "check-ins": CheckIn.objects.filter(mentorship__programme=programme).count(),
        "feedback": Feedback.objects.filter(mentorship__programme=programme).count(),
    }
    return programme, counts


def make_places_consistent() -> int:
    """Give each mentor the loader left over capacity (it assigns active mentorships and
    accepted requests without always checking places) the capacity their mentorships and
    held places use, so that the run starts with no mentor over capacity and the check after
    it is absolute. Returns how many mentors changed. Idempotent."""
    from django.db.models import Case, F, IntegerField, Value, When

    from mentorship.models import MentorProfile

    over = dict(
        MentorProfile.objects.with_free_places()
        .filter(places_left__lt=0)
        .values_list("pk", "places_left")
    )
    if over:
        MentorProfile.objects.filter(pk__in=over).update(
            capacity=F("capacity")
            - Case(
                *[When(pk=pk, then=Value(left)) for pk, left in over.items()],
                output_field=IntegerField(),
            )
        )
    return len(over)


def ensure_programme(database_url: str, n_mentors: int, n_mentees: int, log=print):
    """The loaded programme and its sizes, loading it only if the database lacks this shape.
    Returns (programme, counts, reused, seconds). Django must be set up."""
    from django.core.management import call_command
    from django.db import connection

    from bench.dashboard_bench import load, recreate_and_migrate

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    loaded = already_loaded(n_mentors, n_mentees)
    if loaded is not None:
        programme, counts = loaded
        reused = True
    else:
        log(f"Loading {n_mentors:,} mentors and {n_mentees:,} mentees (several minutes)...")
        recreate_and_migrate(database_url)
        programme, _, counts = load(n_mentors, n_mentees)
        add_directory_extras(programme)
        reused = False
    repaired = make_places_consistent()
    if repaired:
        log(f"Raised the capacity of {repaired:,} mentors the loader had left over capacity")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return programme, counts, reused, time.perf_counter() - start


def pick_cast(programme, n_mentees: int = 200, n_mentors: int = 100, n_managers: int = 4) -> Cast:
    """This run's people, as the data are now: mentees who may ask (accepted, no mentorship,
    no open request), mentors with a pending request and a place left, and managers (the
    loaded one and more, each with their own authenticator: a TOTP code is accepted once, so
    two sessions must not share one). Everyone gets the password and a verified address."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.hashers import make_password
    from django.db.models import Exists, OuterRef

    from accounts.models import User
    from mentorship.models import MenteeMembership, MentorProfile, MentorRequest, Mentorship

    open_requests = MentorRequest.objects.filter(
        mentee=OuterRef("user_id"), status__in=MentorRequest.OPEN_STATUSES
    )
    mentorships = Mentorship.objects.filter(mentee=OuterRef("user_id"))
    mentee_ids = list(
        MenteeMembership.objects.filter(programme=programme, status="accepted")
        .filter(~Exists(open_requests), ~Exists(mentorships))
        .order_by("user_id")
        .values_list("user_id", flat=True)[:n_mentees]
    )
    pending = MentorRequest.objects.filter(
        programme=programme, status="pending", mentor=OuterRef("user_id")
    )
    mentor_ids = list(
        MentorProfile.objects.filter(user__mentor_memberships__programme=programme)
        .with_free_places()
        .filter(Exists(pending), places_left__gt=0)
        .order_by("user_id")
        .values_list("user_id", flat=True)[:n_mentors]
    )
    managers = list(programme.managers.order_by("pk"))
    for i in range(len(managers), n_managers):
        user, _ = User.objects.get_or_create(
            email=f"load-manager{i}@example.org", defaults={"full_name": f"Load Manager {i}"}
        )
        programme.managers.add(user)
        managers.append(user)
    manager_ids = [m.pk for m in managers[:n_managers]]
    everyone = mentee_ids + mentor_ids + manager_ids
    password = make_password(PASSWORD)  # one Argon2 hash for everyone: hashing is slow
    User.objects.filter(pk__in=everyone).update(password=password, is_active=True)
    emails = dict(User.objects.filter(pk__in=everyone).values_list("pk", "email"))
    verified = set(
        EmailAddress.objects.filter(user_id__in=everyone, verified=True).values_list(
            "user_id", flat=True
        )
    )
    EmailAddress.objects.filter(user_id__in=set(everyone) - verified).delete()
    EmailAddress.objects.bulk_create(
        EmailAddress(user_id=pk, email=emails[pk], verified=True, primary=True)
        for pk in everyone
        if pk not in verified
    )
    secrets = {}
    for user in User.objects.filter(pk__in=manager_ids):
        Authenticator.objects.filter(user=user).delete()
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        RecoveryCodes.activate(user)
        secrets[user.email] = secret
    return Cast(
        programme_slug=programme.slug,
        mentees=[emails[pk] for pk in mentee_ids],
        mentors=[emails[pk] for pk in mentor_ids],
        managers=[emails[pk] for pk in manager_ids],
        totp_secrets=secrets,
    )
