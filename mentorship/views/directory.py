"""The mentor directory, for a programme's accepted mentees and its managers.

Mentees see mentors ranked by match score (name order is a click away); managers, who have
no mentee profile to score against, see name order. Either way the page works out the
ordered list of mentor ids first (from the cached ranking or one light query), then loads
only the 20 mentors it shows.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.permissions import must_set_up_mfa, redirect_to_mfa_setup
from matching.services import Ranking, explain_match, mentor_pool, rank_mentors

from ..directory import directory_queryset, filter_mentors
from ..forms import DirectoryFilterForm
from ..models import MenteeProfile, MentorProfile, Programme

PAGE_SIZE = 20
ORDERS = {"match": "Best match first", "name": "Name, A to Z"}


def _viewer_profile(request: HttpRequest) -> MenteeProfile | None:
    return (
        MenteeProfile.objects.filter(user=request.user)
        .select_related("target_specialty", "current_specialty", "region")
        .prefetch_related("mentee_goals__goal", "languages")
        .first()
    )


def _ordered_ids(
    programme: Programme, form: DirectoryFilterForm, ranking: Ranking | None, me: int
) -> list[int]:
    """Mentor user ids in display order, filtered, without the viewer."""
    data = form.cleaned_data if form.is_valid() else {}
    narrowing = any(data.get(k) for k in ("q", "specialty", "region", "goal", "format"))
    base = MentorProfile.objects.in_programme(programme)
    if ranking is None:
        rows = filter_mentors(base, data).order_by("user__full_name", "pk")
        ids = list(rows.values_list("user_id", flat=True))
    else:
        ids = ranking.ids.tolist()
        if narrowing:
            wanted = set(filter_mentors(base, data).values_list("user_id", flat=True))
            ids = [i for i in ids if i in wanted]
    if data.get("free_place"):
        pool = mentor_pool(programme)
        available = set(pool.ids[pool.capacities > 0].tolist())
        ids = [i for i in ids if i in available]
    return [i for i in ids if i != me]


def _page(
    request: HttpRequest, programme: Programme, ids: list[int], ranking: Ranking | None
) -> Page:
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    profiles = directory_queryset(programme).in_bulk(list(page.object_list), field_name="user_id")
    mentors = []
    for mentor_id in page.object_list:
        profile = profiles.get(mentor_id)
        if profile is None:  # left the programme since the ranking was cached
            continue
        profile.match = ranking.score_of(mentor_id) if ranking else None
        profile.explanation = ranking.explain(profile) if profile.match is not None else None
        mentors.append(profile)
    page.object_list = mentors
    return page


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
    ranking = rank_mentors(viewer, programme) if order == "match" else None
    ids = _ordered_ids(programme, form, ranking, request.user.pk)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": programme,
        "form": form,
        "page": _page(request, programme, ids, ranking),
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
    viewer = _viewer_profile(request)
    explanation = None
    if viewer is not None and viewer.user_id != profile.user_id:
        explanation = explain_match(viewer, profile, programme)
    context = {"programme": programme, "profile": profile, "explanation": explanation}
    return render(request, "mentorship/mentor_detail.html", context)
