"""Small checks the page tests share."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from mentorship.models import Programme

M = TypeVar("M", bound=Model)


def refreshed(instance: M) -> M:
    """The row as the database has it now."""
    instance.refresh_from_db()
    return instance


def assert_field_error(
    response: HttpResponse, field_id: str, message: str, error_id: str | None = None
) -> None:
    """The form was refused (400) with the message next to the field and in the error
    summary, which links to the field."""
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert f'href="#{field_id}"' in html
    assert f'id="{error_id or field_id}-error"' in html
    assert html.count(message) >= 2


# --- The directory ------------------------------------------------------------------------


def directory(client: Client, programme: Programme, **params: object) -> HttpResponse:
    return client.get(reverse("mentorship:directory", args=[programme.slug]), params)


def names(response: HttpResponse) -> list[str]:
    """The mentors on the directory page, in the order shown."""
    return [p.user.full_name for p in response.context["page"].object_list]
