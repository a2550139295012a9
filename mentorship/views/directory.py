"""The mentor directory, for a programme's accepted mentees and its managers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.permissions import must_set_up_mfa, redirect_to_mfa_setup

from ..directory import apply_filters, directory_queryset
from ..forms import DirectoryFilterForm
from ..models import Programme

PAGE_SIZE = 20


@login_required
def mentor_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.with_directory_for(request.user), slug=slug)
    if must_set_up_mfa(request.user):
        return redirect_to_mfa_setup(request)
    form = DirectoryFilterForm(request.GET or None)
    mentors = directory_queryset(programme)
    if form.is_valid():
        mentors = apply_filters(mentors, form.cleaned_data)
    page = Paginator(mentors.order_by("user__full_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": programme,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(form.is_bound and form.has_changed()),
    }
    return render(request, "mentorship/directory.html", context)


@login_required
def mentor_detail(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.with_directory_for(request.user), slug=slug)
    if must_set_up_mfa(request.user):
        return redirect_to_mfa_setup(request)
    profile = get_object_or_404(directory_queryset(programme), user_id=user_id)
    context = {"programme": programme, "profile": profile}
    return render(request, "mentorship/mentor_detail.html", context)
