from __future__ import annotations

import datetime
import time
from collections.abc import Callable

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.contrib.auth.hashers import make_password
from faker import Faker

from accounts.models import User
from mentorship import services
from mentorship.models import (
    Goal,
    Language,
    MenteeGoal,
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    MentorProfile,
    MentorRequest,
    Mentorship,
    Programme,
    Region,
    Specialty,
)

PASSWORD = "correct-horse-battery-staple"
# Hashing once at import keeps Argon2 (slow on purpose) out of every factory call.
_PASSWORD_HASH = make_password(PASSWORD)


def specialty(code: str) -> Specialty:
    return Specialty.objects.get(code=code)


def goal(code: str) -> Goal:
    return Goal.objects.get(code=code)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def language(code: str) -> Language:
    return Language.objects.get(code=code)


# Many doctors' names have an apostrophe or a letter outside ASCII: Dr Siobhán O'Brien.
# Every default name has both, so a test that compares a name with a page without escaping
# it (the page says O&#x27;Brien) fails on every run, not only when Faker picks an O'Brien.
_FIRST_NAMES = ("Siobhán", "Chloé", "Seán", "Zoë", "José", "Anaïs", "Bríd", "Renée")
_SURNAME_PREFIXES = ("O'", "D'")
_faker = Faker("en_GB")


def awkward_name(n: int) -> str:
    """Dr Siobhán O'Cooper, Dr Chloé D'Singh, ...: the nth default name."""
    first = _FIRST_NAMES[n % len(_FIRST_NAMES)]
    return f"Dr {first} {_SURNAME_PREFIXES[n % 2]}{_faker.last_name()}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(awkward_name)
    password = _PASSWORD_HASH

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """A verified primary address, as allauth's mandatory verification requires."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Clinical Fellows Scheme {n}")
    slug = factory.Sequence(lambda n: f"clinical-fellows-{n}")
    organisation = "Riverside University Hospitals NHS Trust"


class MenteeProfileFactory(factory.django.DjangoModelFactory):
    """A clinical fellow from Nigeria who wants to move into General Practice."""

    class Meta:
        model = MenteeProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    qualification_country = "NG"
    grade = "trust_grade"
    current_specialty = factory.LazyFunction(lambda: specialty("geriatric-medicine"))
    target_specialty = factory.LazyFunction(lambda: specialty("general-practice"))
    region = factory.LazyFunction(lambda: region("london"))
    virtual = True
    statement = "I'd like to understand primary care & prepare for GP training."

    @factory.post_generation
    def goals(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if not create:
            return
        codes = extracted if extracted is not None else ["career-move", "leadership"]
        for rank, code in enumerate(codes, start=1):
            MenteeGoal.objects.create(profile=self, goal=goal(code), rank=rank)


class MentorProfileFactory(factory.django.DjangoModelFactory):
    """A GP leader who supports career moves and leadership."""

    class Meta:
        model = MentorProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    job_title = "Divisional Director for Primary Care"
    organisation = "Riverside University Hospitals NHS Trust"
    primary_specialty = factory.LazyFunction(lambda: specialty("general-practice"))
    region = factory.LazyFunction(lambda: region("london"))
    virtual = True
    in_person = True
    capacity = 2
    bio = "GP partner for 15 years; I lead our primary care network & teach O'Neill's registrars."

    @factory.post_generation
    def goals(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if not create:
            return
        codes = extracted if extracted is not None else ["career-move", "leadership"]
        self.goals.set([goal(code) for code in codes])


class MenteeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenteeMembership

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.LazyAttribute(lambda o: MenteeProfileFactory().user)
    status = MenteeMembership.Status.ACCEPTED


class MentorMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorMembership

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.LazyAttribute(lambda o: MentorProfileFactory().user)
    status = MentorMembership.Status.APPROVED


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    programme = factory.SubFactory(ProgrammeFactory)
    mentor = factory.LazyAttribute(lambda o: MentorProfileFactory().user)
    mentee = factory.LazyAttribute(lambda o: MenteeProfileFactory().user)
    started_on = factory.LazyFunction(datetime.date.today)
    planned_end_on = factory.LazyAttribute(lambda o: o.started_on + datetime.timedelta(weeks=16))


# --- People and requests in one line -------------------------------------------------------


def new_mentee(programme: Programme, name: str | None = None, **profile: object) -> User:
    """A mentee accepted into `programme` (a default name unless `name` is given)."""
    if name is not None:
        profile["user__full_name"] = name
    user = MenteeProfileFactory(**profile).user
    MenteeMembershipFactory(programme=programme, user=user)
    return user


def new_mentor(
    programme: Programme, name: str | None = None, capacity: int = 2, **profile: object
) -> User:
    """A mentor vetted in `programme`, with `capacity` places."""
    if name is not None:
        profile["user__full_name"] = name
    user = MentorProfileFactory(capacity=capacity, **profile).user
    MentorMembershipFactory(programme=programme, user=user)
    return user


def new_request(
    mentee: User, mentor: User, programme: Programme, message: str = ""
) -> MentorRequest:
    """The mentee asks the mentor, through the service, so the event log and emails follow."""
    return services.request_mentor(mentee, mentor, programme, message=message)


def new_accepted_request(mentee: User, mentor: User, programme: Programme) -> MentorRequest:
    """Asked and accepted: waiting for a manager's approval, holding one of the mentor's places."""
    return services.accept_request(new_request(mentee, mentor, programme), by=mentor)


def new_mentorship(
    mentee: User, mentor: User, programme: Programme, *, weeks_ago: int = 0
) -> Mentorship:
    """Asked, accepted and approved by one of the programme's managers (through the
    services), then moved `weeks_ago` weeks into the past: an active mentorship."""
    manager = programme.managers.first() or UserFactory(is_staff=True)
    approved = services.approve_request(new_accepted_request(mentee, mentor, programme), by=manager)
    mentorship = Mentorship.objects.get(request=approved)
    if weeks_ago:
        shift = datetime.timedelta(weeks=weeks_ago)
        mentorship.started_on -= shift
        mentorship.planned_end_on -= shift
        mentorship.save(update_fields=["started_on", "planned_end_on"])
    return mentorship


def bulk_mentors(programme: Programme, count: int) -> None:
    """Many mentors fast (bulk inserts, so no signals), with a goal and another specialty
    like real ones: Dr Bulk 00012 and so on."""
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(
            email=f"bulk{start + i}@example.org", full_name=f"Dr Bulk {start + i:05d}", password="!"
        )
        for i in range(count)
    )
    gp = specialty("general-practice")
    profiles = MentorProfile.objects.bulk_create(
        MentorProfile(
            user=u,
            job_title="GP",
            organisation="Practice",
            primary_specialty=gp,
            region=region("london"),
            virtual=True,
        )
        for u in users
    )
    MentorMembership.objects.bulk_create(
        MentorMembership(programme=programme, user=u, status=MentorMembership.Status.APPROVED)
        for u in users
    )
    leadership = goal("leadership")
    goal_through = MentorProfile.goals.through
    goal_through.objects.bulk_create(
        goal_through(mentorprofile=p, goal=leadership) for p in profiles
    )
    other_through = MentorProfile.other_specialties.through
    other_through.objects.bulk_create(
        other_through(mentorprofile=p, specialty=gp) for p in profiles
    )


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now. Near the end of a 30-second step it waits for
    the next one, so a slow machine never sends a code that expires on the way."""
    if 30 - time.time() % 30 < 5:
        time.sleep(30 - time.time() % 30 + 0.1)
    return f"{hotp_value(secret, int(time.time()) // 30):06d}"


def enable_totp(user: User) -> Callable[[], str]:
    """Activate TOTP and recovery codes for `user` as allauth's setup does; return a function
    that gives the current TOTP code."""

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)

    def code() -> str:
        return totp_code(secret)

    return code
