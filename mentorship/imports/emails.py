"""The emails an import sends to people it made an account for: an invitation with a link to
set a password. People who already had an account get the emails they would get anyway
(`emails.mentor_invited`, `emails.application_decided`)."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse

from ..emails import _membership_links
from ..models import MenteeMembership, MentorMembership
from ..outbox import queue_email


def set_password_links(user) -> dict[str, str]:
    """A link that lets the person choose their first password (allauth's password reset,
    valid for PASSWORD_RESET_TIMEOUT and until they sign in), and the page to ask for a new
    one when it has expired."""
    base = settings.SITE_URL.rstrip("/")
    kwargs = {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}
    return {
        "set_password": base + reverse("account_reset_password_from_key", kwargs=kwargs),
        "new_link": base + reverse("account_reset_password"),
    }


def invited_with_new_account(membership: MentorMembership | MenteeMembership) -> list:
    """A person the programme team imported is asked to set a password and join in."""
    kind = (
        "import_mentor_invited"
        if isinstance(membership, MentorMembership)
        else "import_mentee_invited"
    )
    return queue_email(
        kind,
        about=f"import:{membership._meta.model_name}:{membership.pk}",
        recipients=[membership.user],
        context={
            "membership": membership,
            "programme": membership.programme,
            "links": {**_membership_links(membership), **set_password_links(membership.user)},
        },
    )
