"""Hypothesis settings for the engine's property tests.

In CI (CI or REQUIRE_SERVICES set) Hypothesis is derandomised and keeps no example database,
so a run is the same every time and a rare failure cannot haunt one checkout only. Locally it
explores randomly, and remembers failures in .hypothesis/ to replay them.

(This lives here rather than in tests/conftest.py because only the matching tests use
Hypothesis; the profile is loaded before their modules build their `settings(...)`.)
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI") or os.environ.get("REQUIRE_SERVICES") == "1":
    settings.load_profile("ci")
