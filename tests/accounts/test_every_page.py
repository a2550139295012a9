"""Every page without URL parameters, walked from the URL configuration itself, so a new
page is covered the day it is added: each answers, and each sends the strict CSP."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.accounts.test_security_headers import assert_strict_csp

# Routes that are actions (POST-only or one-off tokens), not pages to look at.
NOT_PAGES = {"admin/logout/", "admin/autocomplete/"}


def _routes(patterns, prefix: str = "") -> list[str]:
    found: list[str] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if "<" not in route and "(?P" not in route and "^" not in route:
                found.append(route)
    return sorted(set(found) - NOT_PAGES)


ROUTES = _routes(get_resolver().url_patterns)
# Single sign-on (accounts/sso.py): no provider is configured in the tests, so Microsoft's
# pages are 404; allauth keeps 301s from its old addresses, and its "could not sign you in
# with that provider" page is a 401.
SSO_STATUSES = {
    **{route: (404,) for route in ROUTES if route.startswith("accounts/microsoft/")},
    **{route: (301,) for route in ROUTES if route.startswith("accounts/social/")},
    "accounts/3rdparty/login/error/": (401,),
}


def test_the_walk_finds_the_pages_people_use():
    for route in ["", "dashboard/", "accounts/login/", "accounts/signup/", "admin/", "manage/"]:
        assert route in ROUTES


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_every_page_answers_with_the_strict_csp(client, route, mentee, with_mfa):
    from tests.factories import MentorProfileFactory, ProgrammeFactory

    MentorProfileFactory(user=mentee)
    ProgrammeFactory().managers.add(mentee)
    mentee.is_staff = mentee.is_superuser = True
    mentee.save()
    with_mfa(mentee)
    client.force_login(mentee)

    response = client.get("/" + route)

    # 405: a POST-only action (such as the pause switch); 403: an admin page that is
    # deliberately read-only (the outbox cannot be added to by hand). Both carry the policy.
    assert response.status_code in SSO_STATUSES.get(route, (200, 302, 403, 405)), route
    assert_strict_csp(response)
