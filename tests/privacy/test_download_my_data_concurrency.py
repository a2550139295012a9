"""Asking for a copy from several tabs (or web servers) at the same moment, on PostgreSQL
with real parallel connections: one build, and nobody sees an error."""

from __future__ import annotations

import pytest

from privacy.export import service
from privacy.models import DataExport
from tests.integration.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_six_asks_at_once_make_one_build(mentee, monkeypatch):
    monkeypatch.setattr(service, "enqueue_build", lambda pk: None)  # the worker is not the point

    outcomes = run_together([lambda: service.request_export(mentee)] * 6)

    assert outcomes == ["ok"] * 6
    assert list(DataExport.objects.values_list("user_id", "status")) == [(mentee.pk, "building")]
