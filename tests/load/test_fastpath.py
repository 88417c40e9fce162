"""The fast validator must give exactly the errors jsonschema gives, on real
documents and on seeded mutations of them (wrong types, bad strings, numbers)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from mutations import documents, mutate

from catalogctl.load.schemas import FORMAT_CHECKER, SchemaSet, bundled_dir


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
