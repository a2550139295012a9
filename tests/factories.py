from __future__ import annotations

from collections.abc import Callable

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.contrib.auth.hashers import make_password

from accounts.models import User
from mentorship.models import MenteeProfile, MentorProfile, Programme

PASSWORD = "correct-horse-battery-staple"
# Hashing once at import keeps Argon2 (slow on purpose) out of every factory call.
_PASSWORD_HASH = make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
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
    class Meta:
        model = MenteeProfile

    user = factory.SubFactory(UserFactory)


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile

    user = factory.SubFactory(UserFactory)
    job_title = "Consultant Geriatrician"
    organisation = "Riverside University Hospitals NHS Trust"


def enable_totp(user: User) -> Callable[[], str]:
    """Activate TOTP and recovery codes for `user` as allauth's setup does; return a function
    that gives the current TOTP code."""
    import time

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)

    def code() -> str:
        counter = int(time.time()) // 30
        return f"{hotp_value(secret, counter):06d}"

    return code
