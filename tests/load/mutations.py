"""Seeded mutations of real documents, for the tests that hold a faster
validator to jsonschema's verdicts (test_fastpath, test_verdict).

`mutate` replaces up to three values; `mutate_structure` also removes,
adds, renames and duplicates, and puts in the values on which JSON Schema's
rules differ from Python's (1.0 is an integer, a boolean is no number,
True is not 1 in enum and uniqueItems, dates that do not exist).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from catalogctl.load import loader
from paths import REPO

KINDS = ("Team", "Service", "SLA", "ConfigurationItem", "ChangeTemplate", "ChangeRequest")
EVERY_KIND = (*KINDS, "Incident", "Problem")
REPLACEMENTS: list[Any] = [
    None,
    True,
    0,
    -1,
    5,
    1.5,
    101,
    "",
    "x",
    "NOT-AN-ID",
    "2024-02-30",
    "2026-01-01",
    "2026-01-01T10:00:00+01:00",
    "15m",
    "not a duration",
    "yes",
    [],
    ["a"],
    {},
    {"k": "v"},
    "low",
    "closed",
    "runbook",
    "https://example.com",
]
# Where JSON Schema's equality and types are not Python's.
SUBTLE: list[Any] = [
    False,
    1,
    1.0,
    2.0,
    4.0,
    -0.0,
    99.5,
    100.0,
    float("nan"),
    float("inf"),
    2**70,
    "standard",
    "normal",
    "emergency",
    "scheduled",
    "public",
    "2026-02-29",
    "2028-02-29",
    "2026-03-01T10:00:00",
    "2026-03-01T10:00:00Z",
    "2026-03-01 10:00:00+01:00",
    "a" * 70,
    "Ünïcode",
    ["a", "a"],
    ["a", "b"],
    [1, True],
    [1, 1.0],
    [0, False],
    [[1], [True]],
    [{"a": 1}, {"a": 1}],
    [{"a": 1}, {"a": True}],
    ["x", 1],
    {"id": "x"},
]


def documents(
    roots: Iterable[Path] = (REPO,), kinds: tuple[str, ...] = KINDS
) -> list[dict[str, Any]]:
    """Every document of `kinds` in the reference catalog and the lint cases
    (or in the catalogs at `roots`), as the safe loader reads them."""
    paths: list[Path] = []
    for root in roots:
        paths += [*root.glob("catalog/**/*.yaml"), *root.glob("changes/**/*.yaml")]
        paths += [*root.glob("incidents/**/*.yaml"), *root.glob("problems/**/*.yaml")]
        if root == REPO:
            paths += root.glob("tests/cases/**/*.yaml")
    found = []
    for path in sorted(set(paths)):
        loaded, _ = loader.load(path.name, path.read_bytes())
        if isinstance(loaded.data, dict) and loaded.data.get("kind") in kinds:
            found.append(loaded.data)
    return found


def leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, (*path, index))


def mutate(document: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    mutated = copy.deepcopy(document)
    paths = [p for p in leaves(mutated) if p]
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(paths)
        parent = mutated
        try:
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = copy.deepcopy(rng.choice(REPLACEMENTS))
        except (KeyError, IndexError, TypeError):
            continue
    return mutated


def _edit(parent: Any, key: Any, rng: random.Random) -> None:
    operation = rng.randrange(6)
    if operation == 0:
        parent[key] = copy.deepcopy(rng.choice(SUBTLE + REPLACEMENTS))
    elif operation == 1 and isinstance(parent, dict):
        del parent[key]  # a required field gone, or an optional one
    elif operation == 2 and isinstance(parent, dict):
        parent[rng.choice(["extra", "tpye", "id", "name", "template"])] = parent[key]
    elif operation == 3 and isinstance(parent, dict):
        parent[key + "s" if isinstance(key, str) else key] = parent.pop(key)
    elif operation == 4 and isinstance(parent[key], list) and parent[key]:
        parent[key].append(copy.deepcopy(rng.choice(parent[key])))  # a duplicate
    elif operation == 5 and isinstance(parent[key], dict):
        parent[key] = {k: v for k, v in parent[key].items() if rng.random() < 0.5}


def mutate_structure(document: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    mutated = copy.deepcopy(document)
    for _ in range(rng.randint(1, 2)):
        paths = [p for p in leaves(mutated) if p]
        path = rng.choice(paths)
        parent: Any = mutated
        try:
            for part in path[:-1]:
                parent = parent[part]
            _edit(parent, path[-1], rng)
        except (KeyError, IndexError, TypeError):
            continue
    return mutated
