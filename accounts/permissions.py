"""The one place that answers "may this user do this?".

Views use the decorators; templates and other code use the predicates. A person may hold
several roles at once: roles come from what they have (a mentee or mentor profile) and what
they run (programmes they manage), never from a field someone has to keep in step.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

if TYPE_CHECKING:
    from mentorship.models import Programme

    from .models import User

_ROLES_ATTR = "_cached_roles"


class Role(StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"
    MANAGER = "manager"
    STAFF = "staff"


def roles_of(user: User | Any) -> frozenset[Role]:
    """The roles a user holds, worked out once per user object (so once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _ROLES_ATTR, None)
    if cached is not None:
        return cached
    from mentorship.models import MenteeProfile, MentorProfile

    roles: set[Role] = set()
    if MenteeProfile.objects.filter(user=user).exists():
        roles.add(Role.MENTEE)
    if MentorProfile.objects.filter(user=user).exists():
        roles.add(Role.MENTOR)
    if user.managed_programmes.exists():
        roles.add(Role.MANAGER)
    if user.is_staff:
        roles.add(Role.STAFF)
    result = frozenset(roles)
    setattr(user, _ROLES_ATTR, result)
    return result


def forget_roles(user: User) -> None:
    """Call after giving or taking away a role within the same request."""
    if hasattr(user, _ROLES_ATTR):
        delattr(user, _ROLES_ATTR)


def is_mentee(user: User | Any) -> bool:
    return Role.MENTEE in roles_of(user)


def is_mentor(user: User | Any) -> bool:
    return Role.MENTOR in roles_of(user)


def is_programme_manager(user: User | Any) -> bool:
    return Role.MANAGER in roles_of(user)


def may_manage_programme(user: User | Any, programme: Programme) -> bool:
    """Managers see and change only their own programmes."""
    if not is_programme_manager(user):
        return False
    return programme.managers.filter(pk=user.pk).exists()


def may_decide_for_programme(user: User | Any, programme: Programme) -> bool:
    """The programme's managers, and site staff (from the admin), decide on its people."""
    if getattr(user, "is_staff", False) and user.is_active:
        return True
    return may_manage_programme(user, programme)


def mfa_required(user: User | Any) -> bool:
    """Programme managers and staff see other people's data, so they must use MFA."""
    return bool(roles_of(user) & {Role.MANAGER, Role.STAFF})


def has_mfa(user: User | Any) -> bool:
    return is_mfa_enabled(user)


def must_set_up_mfa(user: User | Any) -> bool:
    """A manager or staff member without MFA sees no one else's data until they set it up."""
    return mfa_required(user) and not has_mfa(user)


def role_required(*roles: Role) -> Callable:
    """Let a view through when the user holds any of `roles`.

    Anonymous users go to the login page; signed-in users without the role get 403. For
    roles that require MFA, a user who has not set it up is sent to set it up first.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            granted = roles_of(user) & set(roles)
            if not granted:
                raise PermissionDenied("You do not have access to this page.")
            if granted <= {Role.MANAGER, Role.STAFF} and not has_mfa(user):
                return redirect_to_mfa_setup(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def redirect_to_mfa_setup(request: HttpRequest) -> HttpResponse:
    messages.warning(
        request,
        "Set up an authenticator app before you manage a programme. "
        "It protects the doctors whose details you can see.",
    )
    return redirect("mfa_activate_totp")


mentee_required = role_required(Role.MENTEE)
mentor_required = role_required(Role.MENTOR)
manager_required = role_required(Role.MANAGER)


def may_see_gmc_number(user: User | Any, mentee_user_id: int) -> bool:
    """A mentee's GMC number: the mentee and their programmes' managers, nobody else."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk == mentee_user_id:
        return True
    from mentorship.models import Programme

    return Programme.objects.filter(
        managers=user, mentee_memberships__user_id=mentee_user_id
    ).exists()
