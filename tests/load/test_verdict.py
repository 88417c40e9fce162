"""The compiled validity check must say exactly what jsonschema says: valid
when jsonschema finds no error, invalid when it finds one, on every document
of the reference catalog, the lint cases, a generated catalog and seeded
mutations of them; and its schemas, inlined without `referencing`, must be
the very schemas jsonschema validates with."""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mutations import EVERY_KIND, SUBTLE, documents, mutate, mutate_structure

from catalogctl.load import inline, jsonvalues, kinds, loader, verdict
from catalogctl.load.schemafiles import bundled_texts
from catalogctl.load.schemaref import SchemaRef
from catalogctl.load.schemas import SchemaSet, bundled_dir
from paths import CASES, REPO

KIND_SCHEMAS = {k.name: k.schema for k in (*kinds.ENTITY_KINDS, kinds.POLICY)}


@pytest.fixture(scope="module")
def schema_set() -> SchemaSet:
    return SchemaSet.from_dir(bundled_dir())


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    root = tmp_path_factory.mktemp("generated") / "catalog"
    generate(root, entities=400, seed=11, incidents=40)
    return root


def policies(*roots: Path) -> list[dict[str, Any]]:
    """The policy of the reference catalog, each lint case and each root."""
    paths = [REPO / kinds.POLICY_FILE, *CASES.glob(f"**/{kinds.POLICY_FILE}")]
    paths += [root / kinds.POLICY_FILE for root in roots]
    found = []
    for path in sorted(set(paths)):
        data = loader.load(path.name, path.read_bytes())[0].data
        if isinstance(data, dict):
            found.append(data)
    return found


def jsonschema_valid(schema_set: SchemaSet, kind: str, document: Any) -> bool:
    return not list(schema_set.errors(kind, document))


def compare(
    schema_set: SchemaSet, checks: dict[str, Any], cases: Iterator[tuple[str, Any]]
) -> tuple[int, int, list[tuple[str, Any]]]:
    """(valid, invalid, disagreements) over (kind, document) pairs."""
    valid = invalid = 0
    wrong = []
    for kind, document in cases:
        expected = jsonschema_valid(schema_set, kind, document)
        valid += expected
        invalid += not expected
        if checks[kind](document) is not expected:
            wrong.append((kind, document))
    return valid, invalid, wrong


def bundled_checks() -> dict[str, Any]:
    ref = SchemaRef.of(bundled_texts())
    checks = dict(ref.checks())
    assert all(checks[name] is not None for name in KIND_SCHEMAS)  # nothing left to jsonschema
    return checks


def test_every_document_gets_jsonschemas_verdict(schema_set: SchemaSet, generated: Path) -> None:
    docs = documents((REPO, generated), EVERY_KIND)
    pairs = [(d["kind"], d) for d in docs]
    pairs += [("Policy", p) for p in policies(generated)]
    assert {kind for kind, _ in pairs} == set(KIND_SCHEMAS)
    valid, invalid, wrong = compare(schema_set, bundled_checks(), iter(pairs))
    assert wrong == []
    assert valid > 400 and invalid > 20  # the cases hold invalid files too


def test_seeded_mutations_get_jsonschemas_verdict(schema_set: SchemaSet, generated: Path) -> None:
    docs = documents((REPO,), EVERY_KIND) + documents((generated,), EVERY_KIND)[::4]
    pairs = [(d["kind"], d) for d in docs] + [("Policy", p) for p in policies()]
    rng = random.Random(20261205)

    def cases() -> Iterator[tuple[str, Any]]:
        for kind, document in pairs:
            for _ in range(4):
                yield kind, mutate(document, rng)
            for _ in range(8):
                yield kind, mutate_structure(document, rng)

    valid, invalid, wrong = compare(schema_set, bundled_checks(), cases())
    assert wrong[:3] == []
    assert valid > 1000 and invalid > 3000  # both directions, many times


def test_values_where_json_schema_is_not_python(schema_set: SchemaSet) -> None:
    """Each subtle value in each place of a valid service and change."""
    checks = bundled_checks()
    service = loader.load("s.yaml", (CASES / "_base/catalog/services/payroll.yaml").read_bytes())
    base: dict[str, Any] = service[0].data
    pairs = []
    for field in ("tier", "type", "visibility", "category", "dependsOn", "cis"):
        for value in SUBTLE:
            pairs.append(("Service", {**base, "spec": {**base["spec"], field: value}}))
    valid, invalid, wrong = compare(schema_set, checks, iter(pairs))
    assert wrong == []
    assert valid >= 4 and invalid > 100  # tier 1.0, 4.0 and 2.0 are integers


def test_tricky_values_are_equal_and_unique_as_in_jsonschema() -> None:
    from jsonschema import _utils

    values = [*SUBTLE, True, 0, None, "", [], {}]
    for one in values:
        for two in values:
            assert jsonvalues.equal(one, two) == _utils.equal(one, two), (one, two)
        for two in values:
            pair = [one, two]
            assert jsonvalues.uniq(pair) == _utils.uniq(pair), pair
    assert jsonvalues.TYPES["integer"](1.0) and not jsonvalues.TYPES["integer"](True)
    assert not jsonvalues.TYPES["number"](False)


def test_own_inlining_is_referencings(schema_set: SchemaSet) -> None:
    texts = bundled_texts()
    own = inline.inline_all(texts, KIND_SCHEMAS)
    assert set(own) == set(schema_set.validators)
    for kind, validator in schema_set.validators.items():
        assert own[kind] == validator.schema, kind


def edited(change: dict[str, Any]) -> dict[str, str]:
    """The bundled schema texts with the service schema's spec edited."""
    texts = bundled_texts()
    service = json.loads(texts["service.schema.json"])
    service["properties"]["spec"].update(change)
    texts["service.schema.json"] = json.dumps(service)
    return texts


@pytest.mark.parametrize(
    "change",
    [
        {"maxProperties": 40},  # a keyword the check does not compile
        {"anyOf": [{"required": ["owner"]}, {"required": ["cis"]}]},
        {"properties": {"owner": {"$ref": "#/properties/spec"}}},  # recursive: stays a $ref
    ],
    ids=["keyword", "anyOf", "recursive-ref"],
)
def test_a_kind_the_check_cannot_decide_is_left_to_jsonschema(change: dict[str, Any]) -> None:
    ref = SchemaRef.of(edited(change))
    checks = ref.checks()
    assert checks["Service"] is None
    assert checks["Team"] is not None
    assert ref._compiled  # a custom set: compiled (and check_schema'd) as before
    service = loader.load("s.yaml", (CASES / "_base/catalog/services/payroll.yaml").read_bytes())
    assert not ref.valid("Service", service[0].data)  # "cannot tell": jsonschema decides


def test_references_it_does_not_follow_are_unsupported() -> None:
    texts = dict(bundled_texts())
    service = json.loads(texts["service.schema.json"])
    for ref in ("#owner", "https://elsewhere.example/x.json#/a", "defs.schema.json#/$defs/none"):
        service["properties"]["spec"]["properties"]["owner"] = {"$ref": ref}
        texts["service.schema.json"] = json.dumps(service)
        with pytest.raises(inline.Unsupported):
            inline.inline_all(texts, KIND_SCHEMAS)
    del texts["defs.schema.json"]
    with pytest.raises(inline.Unsupported):
        inline.inline_all(texts, {"Service": "service.schema.json"})


def test_unknown_keywords_and_shapes_do_not_compile() -> None:
    for schema in (
        {"anyOf": [True]},
        {"type": "strin"},
        {"pattern": 3},
        {"required": "id"},
        {"minLength": True},
        {"uniqueItems": 1},
        {"$ref": "#/x"},
        {"properties": {"a": 3}},
    ):
        assert verdict.compile_kind(schema) is None, schema
    assert verdict.compile_kind({"description": "only words", "$comment": "x"}) is not None
