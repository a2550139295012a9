"""The mentor directory, for a programme's accepted mentees and its managers.

Mentees see mentors ranked by match score (name order is a click away); managers, who have
no mentee profile to score against, see name order. Either way the page works out the
ordered list of mentor ids first (from the cached ranking or one light query), then loads
only the 20 mentors it shows.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.permissions import must_set_up_mfa, redirect_to_mfa_setup
from matching.services import explain_match, rank_mentors

from ..directory import (
    directory_page,
    directory_queryset,
    filter_form_key,
    ordered_mentor_ids,
    ranking_exclusions,
)
from ..forms import DirectoryFilterForm
from ..models import AskCheck, Exclusion, MenteeGoal, MenteeProfile, Mentorship, Programme

ORDERS = {"match": "Best match first", "name": "Name, A to Z"}


def _viewer_profile(request: HttpRequest) -> MenteeProfile | None:
    return (
        MenteeProfile.objects.filter(user=request.user)
        .select_related("target_specialty", "current_specialty", "region")
        .prefetch_related(
            # The goal with its row: one query, not one for the rows and one for the goals.
            Prefetch("mentee_goals", MenteeGoal.objects.select_related("goal")),
            "languages",
        )
        .first()
    )


@login_required
def mentor_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.with_directory_for(request.user), slug=slug)
    if must_set_up_mfa(request.user):
        return redirect_to_mfa_setup(request)
    form = DirectoryFilterForm(request.GET or None)
    viewer = _viewer_profile(request)
    order = request.GET.get("order")
    if order not in ORDERS or viewer is None:
        order = "match" if viewer is not None else "name"
    check = AskCheck.load(request.user, programme) if viewer is not None else None
    ranking = (
        rank_mentors(viewer, programme, ranking_exclusions(check)) if order == "match" else None
    )
    data = form.cleaned_data if form.is_valid() else {}
    hidden = {request.user.pk} | (check.hidden if check else set())
    ids = ordered_mentor_ids(programme, data, ranking, leave_out=hidden)
    query = request.GET.copy()
    query.pop("page", None)
    page = directory_page(programme, ids, ranking, request.GET.get("page"))
    for profile in page:
        profile.ask_refusal = check.refusal(profile) if check else ("no_profile", "")
    context = {
        "programme": programme,
        "form": form,
        "form_key": filter_form_key(form),
        "page": page,
        "page_refusal": check.page_refusal() if check else None,
        "query": query.urlencode(),
        "filtered": bool(form.is_bound and form.has_changed()),
        "order": order,
        "orders": ORDERS if viewer is not None else {},
    }
    return render(request, "mentorship/directory.html", context)


@login_required
def mentor_detail(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.with_directory_for(request.user), slug=slug)
    if must_set_up_mfa(request.user):
        return redirect_to_mfa_setup(request)
    profile = get_object_or_404(directory_queryset(programme), user_id=user_id)
    if Exclusion.objects.excludes(request.user, profile.user):
        raise Http404("Not shown: the mentee asked not to be matched with this person.")
    ended = Mentorship.objects.not_a_good_fit_in(programme)
    if ended.filter(mentee=request.user, mentor=profile.user).exists():
        raise Http404("Not shown: their mentorship here ended as not a good fit.")
    viewer = _viewer_profile(request)
    explanation, refusal = None, None
    if viewer is not None and viewer.user_id != profile.user_id:
        explanation = explain_match(viewer, profile, programme)
        refusal = AskCheck.load(request.user, programme).refusal(profile)
    context = {
        "programme": programme,
        "profile": profile,
        "explanation": explanation,
        "refusal": refusal[1] if refusal else None,
        "can_ask": explanation is not None and refusal is None,
    }
    return render(request, "mentorship/mentor_detail.html", context)
