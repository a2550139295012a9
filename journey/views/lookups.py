"""Scoped lookups for the journey's pages: another person's mentorship is a 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.permissions import must_set_up_mfa
from mentorship.models import Mentorship

from ..access import is_party, is_programme_team


def visible_mentorship(request: HttpRequest, pk: int) -> Mentorship:
    """The two people and the programme team; a 404 for anyone else."""
    queryset = Mentorship.objects.visible_to(request.user).select_related(
        "programme", "mentee", "mentor"
    )
    return get_object_or_404(queryset, pk=pk)


def party_mentorship(request: HttpRequest, pk: int) -> Mentorship:
    """Only the mentee or the mentor; a manager gets a 404 for pages that show private
    wording (they see the mentorship page instead)."""
    mentorship = visible_mentorship(request, pk)
    if not is_party(request.user, mentorship):
        raise Http404("No such mentorship.")
    return mentorship


def team_mentorship(request: HttpRequest, pk: int) -> Mentorship:
    """The programme team, with MFA set up; a 404 for anyone else (including the two
    people, for whom these pages do not exist)."""
    mentorship = visible_mentorship(request, pk)
    if not is_programme_team(request.user, mentorship) or must_set_up_mfa(request.user):
        raise Http404("No such mentorship.")
    return mentorship
