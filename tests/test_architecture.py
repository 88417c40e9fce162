"""The package layout of docs/architecture.md, enforced: data flows one way.

Every import in src/catalogctl (module level or inside a function: a lazy
import is still a dependency) is read from the source. A module may import
from its own package and from packages before it in `ORDER`; no two modules
may depend on each other, directly or through others.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from paths import REPO

SRC = REPO / "src"
PACKAGE = SRC / "catalogctl"
# The one-way flow: each package may import only from itself and those before it.
ORDER = (
    "load",
    "model",
    "lint",
    "workspace",
    "review",
    "change",
    "ops",
    "csi",
    "scaffold",
    "interop",
    "site",
    "reporters",
    "cli",
)
# Importable from anywhere: the version; `python -m catalogctl` starts the CLI.
BASE = frozenset({"catalogctl", "catalogctl.__main__"})


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The catalogctl modules one file imports (a `from pkg import mod` names mod)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("catalogctl"):
                    yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("catalogctl"):
                continue
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                yield child if child in known else node.module


def graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: {target for target in imports(path, known) if target != name}
        for name, path in known.items()
    }


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ORDER else None


def order_violations(edges: dict[str, set[str]]) -> list[str]:
    out = []
    for source, targets in sorted(edges.items()):
        mine = package_of(source)
        for target in sorted(targets):
            if target in BASE or source in BASE:
                continue
            theirs = package_of(target)
            if mine is None or theirs is None:
                out.append(f"{source} -> {target}: outside the declared packages")
            elif ORDER.index(theirs) > ORDER.index(mine):
                out.append(f"{source} -> {target}: {mine} may not import from {theirs}")
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """An import circle, if there is one (the standard library finds it)."""
    try:
        TopologicalSorter(edges).prepare()
    except CycleError as error:
        circle: list[str] = error.args[1]
        return [sorted(set(circle))]
    return []


def test_every_module_is_in_a_declared_package() -> None:
    stray = [m for m in modules() if m not in BASE and package_of(m) is None]
    assert stray == [], f"put these in one of {ORDER}: {stray}"


def test_no_import_runs_against_the_package_order() -> None:
    assert order_violations(graph()) == []


def test_no_import_circles() -> None:
    assert cycles(graph()) == []


def test_the_checks_catch_what_they_should() -> None:
    """The checker itself: a made-up upward import and a circle are found."""
    edges = {
        "catalogctl.load.a": {"catalogctl.review.b"},
        "catalogctl.review.b": {"catalogctl.load.a"},
        "catalogctl.cli.c": {"catalogctl.load.a"},
    }
    assert order_violations(edges) == [
        "catalogctl.load.a -> catalogctl.review.b: load may not import from review"
    ]
    assert cycles(edges) == [["catalogctl.load.a", "catalogctl.review.b"]]


def test_each_package_says_what_it_owns_and_may_import() -> None:
    for package in ORDER:
        doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text()))
        assert doc and len(doc.splitlines()) >= 3, f"{package}/__init__.py needs a docstring"
        assert "Imports" in doc, f"{package}/__init__.py: say what it may import"


def test_modules_stay_under_400_lines() -> None:
    long = {
        name: n
        for name, path in modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
