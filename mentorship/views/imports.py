"""Importing mentors or mentees from a spreadsheet: the page with the templates and the
upload, the check (a dry run: each row's outcome, nothing saved), and the import of exactly
the file that was checked. The rules are in mentorship/imports/."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import manager_required

from ..forms.imports import ImportConfirmForm, ImportUploadForm
from ..imports import service
from ..imports.reading import MAX_ROWS
from ..imports.resources import OUTCOME_LABELS, RESOURCES
from ..imports.templates import download_template
from ..models import Grade, Programme, Region, Specialty
from .errors import shows_service_errors
from .lookups import managed_programme_or_404

LIST_PAGES = {"mentors": "manage:mentors", "mentees": "manage:mentees"}


def _kind_or_404(kind: str) -> str:
    if kind not in RESOURCES:
        raise Http404("No such import.")
    return kind


def _render_page(
    request: HttpRequest,
    programme: Programme,
    kind: str,
    form: ImportUploadForm,
    check: service.Check | None = None,
    status: int = 200,
) -> HttpResponse:
    resource = RESOURCES[kind]
    context = {
        "programme": programme,
        "kind": kind,
        "noun": kind[:-1],
        "form": form,
        "check": check,
        "confirm_form": ImportConfirmForm(initial={"digest": check.digest}) if check else None,
        "columns": resource.column_names(),
        "required_columns": resource.required_columns(),
        "specialties": Specialty.objects.active().values_list("name", flat=True),
        "regions": Region.objects.active().values_list("name", flat=True),
        "grades": [label for _, label in Grade.choices] if kind == "mentees" else [],
        "outcome_labels": OUTCOME_LABELS,
        "max_rows": MAX_ROWS,
        "list_url": LIST_PAGES[kind],
    }
    return render(request, "mentorship/manage/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
@manager_required
def import_people(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """GET: the templates and the upload form. POST: check the file and show each row."""
    programme = managed_programme_or_404(request, slug)
    kind = _kind_or_404(kind)
    if request.method == "GET":
        return _render_page(request, programme, kind, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_page(request, programme, kind, form, status=400)
    upload = form.cleaned_data["file"]
    check = service.check_file(
        programme, kind, by=request.user, name=upload.name[-100:], content=upload.read()
    )
    if check.file_error:
        form.add_error("file", check.file_error)
        return _render_page(request, programme, kind, form, status=400)
    return _render_page(request, programme, kind, ImportUploadForm(), check)


@manager_required
def import_template(request: HttpRequest, slug: str, kind: str, file_format: str) -> HttpResponse:
    managed_programme_or_404(request, slug)
    if file_format not in ("csv", "xlsx"):
        raise Http404("No such template.")
    return download_template(_kind_or_404(kind), file_format)


@shows_service_errors("manage:import", "slug", "kind")
@require_POST
@manager_required
def confirm_import(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Import the file the manager checked, exactly as it was shown."""
    programme = managed_programme_or_404(request, slug)
    kind = _kind_or_404(kind)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Upload the file again and check it before you import it.")
        return redirect("manage:import", slug=slug, kind=kind)
    check = service.import_checked_file(
        programme, kind, by=request.user, digest=form.cleaned_data["digest"]
    )
    messages.success(request, _summary(check))
    return redirect(LIST_PAGES[kind], slug=slug)


def _summary(check: service.Check) -> str:
    counts = check.counts
    noun = check.kind[:-1]
    done = check.to_import
    parts = [f"You imported {done} {noun if done == 1 else check.kind}."]
    if counts["create"]:
        parts.append(f"{counts['create']} new accounts were made and invited by email.")
    if counts["invite"]:
        parts.append(f"{counts['invite']} people who already had an account were added and told.")
    if counts["unchanged"]:
        parts.append(f"{counts['unchanged']} were already in the programme and did not change.")
    if counts["error"]:
        parts.append(
            f"{counts['error']} rows with errors were left out: fix them in your file and "
            "import it again."
        )
    return " ".join(parts)
