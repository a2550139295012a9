"""Equality answers are never used for matching: no module the matching engine or the
directory runs imports monitoring (directly or through another module), and a mentee's
ranked mentors are the same whatever anyone answers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from matching.services import forget_pools, rank_mentors
from mentorship.models import MenteeProfile
from monitoring.models import EqualityAnswers
from tests.factories import new_mentor

ROOT = Path(__file__).resolve().parents[2]
PROJECT = {"accounts", "mentorship", "matching", "journey", "monitoring", "config"}
STARTS = [
    "matching.services",
    "matching.engine",
    "matching.runs",
    "matching.views",
    "matching.tasks",
    "mentorship.directory",
    "mentorship.views.directory",
    "mentorship.models",
]


def _file_of(module: str) -> Path | None:
    path = ROOT.joinpath(*module.split("."))
    if (path / "__init__.py").exists():
        return path / "__init__.py"
    if path.with_suffix(".py").exists():
        return path.with_suffix(".py")
    return None


def _imports(module: str, file: Path) -> set[str]:
    package = module if file.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            name = node.module or ""
            full = f"{base}.{name}".strip(".") if node.level else name
            found.add(full)
            found.update(f"{full}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in PROJECT}


def _reachable(starts: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        file = _file_of(module)
        if file is None:
            continue
        seen.add(module)
        if file.name == "__init__.py":
            todo += [f"{module}.{p.stem}" for p in file.parent.glob("*.py") if p.stem != "__init__"]
        todo += list(_imports(module, file))
    return seen


def test_nothing_the_matching_engine_or_directory_runs_imports_monitoring():
    reached = _reachable(STARTS)
    assert "matching.services" in reached and "mentorship.directory" in reached
    assert len(reached) > 20  # the walk really followed the imports
    assert not [m for m in reached if m.split(".")[0] == "monitoring"]


def test_the_profile_has_no_link_to_equality_answers():
    names = {f.name for f in MenteeProfile._meta.get_fields()}
    assert not {n for n in names if "equality" in n}


@pytest.mark.django_db
def test_a_mentees_ranking_is_the_same_whatever_they_or_the_mentors_answer(programme, mentee):
    mentors = [new_mentor(programme) for _ in range(4)]
    profile = MenteeProfile.objects.get(user=mentee)

    def ranking():
        forget_pools()  # built afresh each time, not read from the cache
        ranked = rank_mentors(profile, programme)
        return list(ranked.ids), list(ranked.scores)

    before = ranking()
    EqualityAnswers.objects.create(
        user=mentee, sex="female", ethnicity="black_african", disability="yes"
    )
    for i, mentor in enumerate(mentors):
        EqualityAnswers.objects.create(
            user=mentor, sex="male", ethnicity=["white_british", "asian_indian"][i % 2]
        )
    assert ranking() == before
    EqualityAnswers.objects.all().delete()
    assert ranking() == before
