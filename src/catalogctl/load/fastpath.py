"""A faster Draft 2020-12 validator for catalog documents, with identical verdicts.

jsonschema descends into every property by creating a new validator object,
and most of a catalog document's properties are leaves such as
`{"type": "string", "pattern": ...}`. For leaf schemas made only of the simple
keywords below, we check the value with a precompiled predicate first; only
when it fails (or the schema is not simple) do we descend the ordinary way, so
every error is still produced, worded and located by jsonschema itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend

Predicate = Callable[[Any], bool]
_ANNOTATIONS = frozenset({"description", "title", "default", "examples", "$comment"})
_SIMPLE = _ANNOTATIONS | {
    "type",
    "enum",
    "const",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "format",
}
_TYPES: dict[str, Predicate] = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


def _member(allowed: frozenset[str]) -> Predicate:
    return lambda v: isinstance(v, str) and v in allowed


def _predicate(schema: dict[str, Any], formats: FormatChecker) -> Predicate | None:
    """A function that says True only when jsonschema would find no error.

    It may say False for valid values (then jsonschema decides); it must never
    say True for an invalid one. Booleans, numbers and collections are left to
    jsonschema wherever its equality or type rules are subtler than ours."""
    if not set(schema) <= _SIMPLE:
        return None
    checks: list[Predicate] = []
    kind = schema.get("type")
    if kind is not None:
        if not isinstance(kind, str) or kind not in _TYPES:
            return None
        checks.append(_TYPES[kind])
    for keyword in ("enum", "const"):
        if keyword in schema:
            values = schema[keyword] if keyword == "enum" else [schema[keyword]]
            if not all(isinstance(v, str) for v in values):
                return None
            allowed = frozenset(values)
            checks.append(_member(allowed))
    if "pattern" in schema:
        search = re.compile(schema["pattern"]).search
        checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
    if "minLength" in schema:
        low = schema["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= low)
    if "maxLength" in schema:
        high = schema["maxLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) <= high)
    if "minimum" in schema:
        minimum = schema["minimum"]
        checks.append(lambda v: not _TYPES["number"](v) or v >= minimum)
    if "maximum" in schema:
        maximum = schema["maximum"]
        checks.append(lambda v: not _TYPES["number"](v) or v <= maximum)
    if "format" in schema:
        name = schema["format"]
        checks.append(lambda v: formats.conforms(v, name))
    return lambda value: all(check(value) for check in checks)


def validator_class(schema: Any, formats: FormatChecker) -> type[Draft202012Validator]:
    """Draft202012Validator with fast `properties` and `items` for this schema."""
    predicates: dict[int, Predicate] = {}
    keep_alive: list[Any] = []

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            predicate = _predicate(node, formats)
            if predicate is not None:
                predicates[id(node)] = predicate
                keep_alive.append(node)
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(schema)

    def properties(
        validator: Draft202012Validator, props: Any, instance: Any, _schema: Any
    ) -> Iterator[ValidationError]:
        if not isinstance(instance, dict):
            return
        for name, subschema in props.items():
            if name in instance:
                fast = predicates.get(id(subschema))
                if fast is not None and fast(instance[name]):
                    continue
                yield from validator.descend(instance[name], subschema, path=name, schema_path=name)

    original_items = Draft202012Validator.VALIDATORS["items"]

    def items(
        validator: Draft202012Validator, item_schema: Any, instance: Any, schema: Any
    ) -> Iterator[ValidationError]:
        fast = predicates.get(id(item_schema))
        simple = fast is not None and isinstance(instance, list) and "prefixItems" not in schema
        if simple and all(fast(item) for item in instance):  # type: ignore[misc]
            return
        yield from original_items(validator, item_schema, instance, schema)

    cls: type[Draft202012Validator] = extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, {"properties": properties, "items": items}
    )
    cls._catalogctl_schemas = keep_alive  # type: ignore[attr-defined]  # ids stay valid
    return cls
