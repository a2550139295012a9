"""Print the application's modules with their sizes and any import cycles between them.

Counts every import, at module level or deferred inside a function (a deferred import hides
a cycle from Python, not from the reader). Pairs that are Celery's own queue-after-commit
pattern (a module queues a task whose module calls back into it) are listed separately.
Used for docs/architecture.md: `python scripts/import_graph.py [--sizes]`.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("accounts", "mentorship", "matching", "config")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = module.split(".")
        base = base if is_package else base[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    return [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]


def main() -> int:
    files = [
        p
        for pkg in PACKAGES
        for p in (ROOT / pkg).rglob("*.py")
        if "migrations" not in p.parts and "management" not in p.parts
    ]
    modules = {module_name(p): p for p in files}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        edges: set[str] = set()
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = resolve(name, path.name == "__init__.py", node)
            edges.update(t for t in targets if t in modules and t != name)
        graph[name] = edges
    cycles = set()

    def visit(node: str, stack: list[str]) -> None:
        for nxt in graph[node]:
            if nxt in stack:
                cycle = stack[stack.index(nxt) :]
                if not any(c in (cycle[0], cycle[0] + ".__init__") for c in ()):
                    # Ignore a package importing its own submodules (__init__ re-exports).
                    if not all(c.startswith(cycle[0]) or cycle[0].startswith(c) for c in cycle):
                        i = cycle.index(min(cycle))
                        cycles.add(tuple(cycle[i:] + cycle[:i]))
            elif len(stack) < 12:
                visit(nxt, stack + [nxt])

    for name in graph:
        visit(name, [name])
    if "--sizes" in sys.argv:
        for name, path in sorted(modules.items()):
            print(f"{len(path.read_text().splitlines()):5d}  {name}")
    celery = {c for c in cycles if len(c) == 2 and any(m.endswith(".tasks") for m in c)}
    others = cycles - celery
    print(f"{len(others)} import cycle(s)")
    for cycle in sorted(others):
        print("  " + " -> ".join(cycle + (cycle[0],)))
    print(f"{len(celery)} Celery task pair(s) (a module queues a task that calls it back)")
    for cycle in sorted(celery):
        print("  " + " <-> ".join(cycle))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
