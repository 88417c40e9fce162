"""The compiled validity check: "would jsonschema find no error here?" in plain Python.

A cold lint spends as long validating each file with jsonschema as parsing
it, and a warm run with a few changed files spends more on importing
jsonschema and compiling the validators than on the files. Almost every
file is valid, and a valid file's findings are known without jsonschema:
there are none. So each kind's schema (its `$ref`s inlined) is compiled
into closures that answer exactly that question, and jsonschema runs only
for a file the closures call invalid, to produce the findings as it always
did: every message stays jsonschema's, worded by `schemas.explain`.

The rule: a check says True only when jsonschema finds no error, and False
only when it finds one. Every keyword compiled here is decided exactly as
jsonschema 4 decides it for Draft 2020-12 (types, equality and uniqueness
from `jsonvalues`, formats from `formats`), which is what lets `if` and
`not` use a sub-check's False as "invalid". A schema holding any other
keyword, a leftover `$ref` (a recursive one stays a reference), or a
keyword value of a shape jsonschema itself would not accept, compiles to
None: that kind is validated by jsonschema alone, as before. Annotations
(`description`, `title`, `examples`, `$defs` ...) assert nothing and are
skipped, as jsonschema skips them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from catalogctl.load import formats
from catalogctl.load.jsonvalues import TYPES, equal, uniq

Check = Callable[[Any], bool]

_IGNORED = frozenset(
    {
        "description",
        "title",
        "default",
        "examples",
        "$comment",
        "$schema",
        "$id",
        "$defs",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)
_COMPILED = frozenset(
    {
        "type",
        "enum",
        "const",
        "allOf",
        "if",
        "then",
        "else",
        "not",
        "format",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "properties",
        "additionalProperties",
        "required",
        "minProperties",
        "propertyNames",
        "items",
        "minItems",
        "uniqueItems",
    }
)


class Uncompilable(Exception):
    """A keyword or value the check does not decide exactly."""


def _always(_value: Any) -> bool:
    return True


def _never(_value: Any) -> bool:
    return False


def _all(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    frozen = tuple(checks)

    def every(value: Any) -> bool:
        # a loop, not all(<generator>): this runs for every node of every file
        for check in frozen:  # noqa: SIM110
            if not check(value):
                return False
        return True

    return every


def _count(schema: dict[str, Any], keyword: str) -> float | None:
    value = schema.get(keyword)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Uncompilable(keyword)
    return value


def _type(names: Any) -> Check:
    listed = [names] if isinstance(names, str) else names
    if not isinstance(listed, list) or not all(isinstance(n, str) and n in TYPES for n in listed):
        raise Uncompilable("type")
    predicates = tuple(TYPES[n] for n in listed)
    if len(predicates) == 1:
        return predicates[0]
    return lambda value: any(p(value) for p in predicates)


def _equals(values: list[Any]) -> Check:
    """`enum` (and `const`, one value): equal() to one of them."""
    if all(isinstance(v, str) for v in values):
        # equal() of a string is ==, which no other JSON type meets
        allowed = frozenset(values)
        return lambda value: isinstance(value, str) and value in allowed
    kept = tuple(values)
    return lambda value: any(equal(v, value) for v in kept)


def _string(schema: dict[str, Any]) -> list[Check]:
    """The string keywords' checks, for a value known to be a string."""
    checks: list[Check] = []
    pattern = schema.get("pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise Uncompilable("pattern")
        try:
            search = re.compile(pattern).search
        except re.error:
            raise Uncompilable("pattern") from None
        checks.append(lambda v: search(v) is not None)
    low, high = _count(schema, "minLength"), _count(schema, "maxLength")
    if low is not None:
        checks.append(lambda v: not len(v) < low)
    if high is not None:
        checks.append(lambda v: not len(v) > high)
    return checks


def _number(schema: dict[str, Any]) -> list[Check]:
    """The number keywords' checks, for a value known to be a number."""
    checks: list[Check] = []
    low, high = _count(schema, "minimum"), _count(schema, "maximum")
    if low is not None:
        checks.append(lambda v: not v < low)
    if high is not None:
        checks.append(lambda v: not v > high)
    return checks


def _object(schema: dict[str, Any]) -> Check | None:
    keywords = ("properties", "additionalProperties", "required", "minProperties")
    if not any(k in schema for k in (*keywords, "propertyNames")):
        return None
    properties = schema.get("properties", {})
    if not isinstance(properties, dict):
        raise Uncompilable("properties")
    known = {name: compile_schema(sub) for name, sub in properties.items()}
    extra: Check | None = None  # additional properties: unchecked
    if "additionalProperties" in schema:
        extra = compile_schema(schema["additionalProperties"])
        if extra is _always:
            extra = None
    required = schema.get("required", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        raise Uncompilable("required")
    need = tuple(required)
    fewest = _count(schema, "minProperties")
    names = compile_schema(schema["propertyNames"]) if "propertyNames" in schema else None

    def check(value: dict[Any, Any]) -> bool:
        if fewest is not None and len(value) < fewest:
            return False
        for name in need:
            if name not in value:
                return False
        for key, item in value.items():
            sub = known.get(key, extra)
            if sub is not None and not sub(item):
                return False
            if names is not None and not names(key):
                return False
        return True

    return check


def _array(schema: dict[str, Any]) -> Check | None:
    if not any(k in schema for k in ("items", "minItems", "uniqueItems")):
        return None
    items = compile_schema(schema["items"]) if "items" in schema else _always
    fewest = _count(schema, "minItems")
    unique = schema.get("uniqueItems", False)
    if not isinstance(unique, bool):
        raise Uncompilable("uniqueItems")

    def check(value: list[Any]) -> bool:
        if fewest is not None and len(value) < fewest:
            return False
        if unique and not _unique(value):
            return False
        if items is not _always:
            for item in value:
                if not items(item):
                    return False
        return True

    return check


def _unique(value: list[Any]) -> bool:
    if all(type(v) is str for v in value):  # most lists: ids; uniq() decides the same
        return len(set(value)) == len(value)
    return uniq(value)


def _conditional(schema: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    if "allOf" in schema:
        parts = schema["allOf"]
        if not isinstance(parts, list) or not parts:
            raise Uncompilable("allOf")
        checks.extend(compile_schema(part) for part in parts)
    if "if" in schema:  # `then` and `else` alone assert nothing
        condition = compile_schema(schema["if"])
        then = compile_schema(schema["then"]) if "then" in schema else _always
        otherwise = compile_schema(schema["else"]) if "else" in schema else _always
        checks.append(lambda v: then(v) if condition(v) else otherwise(v))
    if "not" in schema:
        negated = compile_schema(schema["not"])
        checks.append(lambda v: not negated(v))
    return checks


def compile_schema(schema: Any) -> Check:
    """The check of one (sub)schema; Uncompilable when it cannot be exact."""
    if schema is True:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, dict):
        raise Uncompilable("not a schema")
    if not set(schema) <= _COMPILED | _IGNORED:
        raise Uncompilable(", ".join(sorted(set(schema) - _COMPILED - _IGNORED)))
    typed = _type(schema["type"]) if "type" in schema else None
    strings, numbers = _string(schema), _number(schema)
    obj, array = _object(schema), _array(schema)
    anything = _conditional(schema)
    if "enum" in schema:
        if not isinstance(schema["enum"], list):
            raise Uncompilable("enum")
        anything.append(_equals(schema["enum"]))
    if "const" in schema:
        expected = schema["const"]
        anything.append(lambda v: equal(v, expected))
    name = schema.get("format")
    if name is not None:
        if not isinstance(name, str):
            raise Uncompilable("format")
        if name in formats.FORMATS:
            anything.append(lambda v: formats.conforms(name, v))
    single = schema.get("type") if isinstance(schema.get("type"), str) else None
    if single in _CLASSES:  # one type, the usual case: one test, then its keywords
        own = {"string": strings, "object": [obj] if obj else [], "array": [array] if array else []}
        return _guarded(_CLASSES[single], own[single] + anything)
    if single is not None:  # integer and number values are numbers; booleans and null not
        numeric = numbers if single in ("integer", "number") else []
        return _typed(TYPES[single], numeric + anything)
    string, number, rest = _all(strings), _all(numbers), _all(anything)
    is_number = TYPES["number"]
    if typed is None and not (strings or numbers or obj or array):
        return rest

    def check(value: Any) -> bool:
        if typed is not None and not typed(value):
            return False
        if isinstance(value, str):
            if not string(value):
                return False
        elif isinstance(value, dict):
            if obj is not None and not obj(value):
                return False
        elif isinstance(value, list):
            if array is not None and not array(value):
                return False
        elif is_number(value) and not number(value):
            return False
        return rest(value)

    return check


_CLASSES: dict[str, type] = {"string": str, "object": dict, "array": list}


def _guarded(kind: type, checks: list[Check]) -> Check:
    """isinstance(value, kind), then every check (written out: the hot path)."""
    if not checks:
        return lambda value: isinstance(value, kind)
    if len(checks) == 1:
        only = checks[0]
        return lambda value: isinstance(value, kind) and only(value)
    frozen = tuple(checks)

    def check(value: Any) -> bool:
        if not isinstance(value, kind):
            return False
        for one in frozen:  # noqa: SIM110  (see _all)
            if not one(value):
                return False
        return True

    return check


def _typed(test: Check, checks: list[Check]) -> Check:
    rest = _all(checks)
    if rest is _always:
        return test
    return lambda value: test(value) and rest(value)


def compile_kind(schema: Any) -> Check | None:
    """A kind's check, or None when jsonschema must decide every document."""
    try:
        return compile_schema(schema)
    except (Uncompilable, RecursionError):
        return None
