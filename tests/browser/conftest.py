from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connections

from tests.conftest import chromium_launch_args
from tests.integration.fixtures import smtp_server, workers  # noqa: F401 (pytest fixtures)


@pytest.fixture
def page(live_server, monkeypatch) -> Iterator:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still plain synchronous code, so Django's async-safety guard does not apply to them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**chromium_launch_args())
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: errors.append(msg.text) if msg.type == "error" else None,
        )
        page.js_errors = errors
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # Playwright runs the test in a greenlet, which has its own database connection;
            # close it here or the test database cannot be dropped at the end of the run.
            connections.close_all()
