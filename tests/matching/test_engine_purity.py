"""The engine core never imports Django, so it runs anywhere NumPy does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_engine_does_not_import_django():
    code = (
        "import sys; import matching.engine as e; "
        "e.score_matrix([e.MenteeFeatures(id=1, target_specialty='x')], [e.MentorFeatures(id=2)]); "
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)"
    )
    # `matching/__init__.py` must stay Django-free too; import the package from a clean process.
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_no_engine_module_mentions_django_imports():
    for path in (ROOT / "matching" / "engine").glob("*.py"):
        text = path.read_text()
        assert "import django" not in text and "from django" not in text, path
