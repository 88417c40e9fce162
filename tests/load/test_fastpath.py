"""The fast validator must give exactly the errors jsonschema gives, on real
documents and on seeded mutations of them (wrong types, bad strings, numbers)."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from catalogctl.load import loader
from catalogctl.load.schemas import FORMAT_CHECKER, SchemaSet, bundled_dir
from paths import REPO

ROOT = REPO
KINDS = ("Team", "Service", "SLA", "ConfigurationItem", "ChangeTemplate", "ChangeRequest")
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


def documents() -> list[dict[str, Any]]:
    found = []
    for path in sorted(
        [
            *ROOT.glob("catalog/**/*.yaml"),
            *ROOT.glob("changes/**/*.yaml"),
            *ROOT.glob("tests/cases/**/*.yaml"),
        ]
    ):
        loaded, _ = loader.load(path.name, path.read_bytes())
        if isinstance(loaded.data, dict) and loaded.data.get("kind") in KINDS:
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


def errors(validator: Draft202012Validator, instance: Any) -> list[tuple[str, str, str]]:
    return sorted(
        (str(list(e.absolute_path)), str(e.validator), e.message)
        for e in validator.iter_errors(instance)
    )


@pytest.fixture(scope="module")
def schema_set() -> SchemaSet:
    return SchemaSet.from_dir(bundled_dir())


def test_fast_validator_agrees_with_jsonschema(schema_set: SchemaSet) -> None:
    docs = documents()
    assert len(docs) > 100
    rng = random.Random(20261128)
    compared = disagreements = 0
    for document in docs:
        kind = document["kind"]
        fast = schema_set.validators[kind]
        plain = Draft202012Validator(fast.schema, format_checker=FORMAT_CHECKER)
        assert type(fast) is not Draft202012Validator  # the fast path is really in use
        for instance in [document, *(mutate(document, rng) for _ in range(8))]:
            compared += 1
            if errors(fast, instance) != errors(plain, instance):
                disagreements += 1
    assert compared > 900
    assert disagreements == 0


def test_mutations_do_produce_errors(schema_set: SchemaSet) -> None:
    """Guard against a vacuous comparison: most mutants must be invalid."""
    rng = random.Random(7)
    docs = documents()[:60]
    invalid = sum(bool(errors(schema_set.validators[d["kind"]], mutate(d, rng))) for d in docs)
    assert invalid > len(docs) // 2
