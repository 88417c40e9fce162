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


# Each family of keywords compiles to one closure. With `guard` (the schema
# names that one type) a value of another type is invalid; without it, the
# family's keywords do not apply to such a value, as in jsonschema.


def _string(
    schema: dict[str, Any], guard: bool, members: frozenset[str] | None = None
) -> Check | None:
    pattern = schema.get("pattern")
    search = None
    if pattern is not None:
        if not isinstance(pattern, str):
            raise Uncompilable("pattern")
        try:
            search = re.compile(pattern).search
        except re.error:
            raise Uncompilable("pattern") from None
    low, high = _count(schema, "minLength"), _count(schema, "maxLength")
    if not guard and search is None and low is None and high is None:
        return None

    def check(value: Any) -> bool:
        if not isinstance(value, str):
            return not guard
        if members is not None and value not in members:
            return False
        if search is not None and search(value) is None:
            return False
        if low is not None and len(value) < low:
            return False
        return high is None or not len(value) > high

    return check


def _number(schema: dict[str, Any], test: Check | None) -> Check | None:
    """minimum and maximum; `test`: the schema's one numeric type."""
    low, high = _count(schema, "minimum"), _count(schema, "maximum")
    if test is None and low is None and high is None:
        return None
    is_number = TYPES["number"]

    def check(value: Any) -> bool:
        if test is not None:
            if not test(value):
                return False
        elif not is_number(value):
            return True
        if low is not None and value < low:
            return False
        return high is None or not value > high

    return check


def _object(schema: dict[str, Any], guard: bool) -> Check | None:
    keywords = ("properties", "additionalProperties", "required", "minProperties")
    if not guard and not any(k in schema for k in (*keywords, "propertyNames")):
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

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return not guard
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


def _array(schema: dict[str, Any], guard: bool) -> Check | None:
    if not guard and not any(k in schema for k in ("items", "minItems", "uniqueItems")):
        return None
    items = compile_schema(schema["items"]) if "items" in schema else _always
    fewest = _count(schema, "minItems")
    unique = schema.get("uniqueItems", False)
    if not isinstance(unique, bool):
        raise Uncompilable("uniqueItems")

    def check(value: Any) -> bool:
        if not isinstance(value, list):
            return not guard
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
    single = schema["type"] if isinstance(schema.get("type"), str) else None
    anything = _conditional(schema)
    enum = schema.get("enum")
    if "enum" in schema and not isinstance(enum, list):
        raise Uncompilable("enum")
    members = None
    if single == "string" and enum is not None and all(isinstance(v, str) for v in enum):
        members = frozenset(enum)  # tested by the string check
    elif enum is not None:
        anything.append(_equals(enum))
    if "const" in schema:
        expected = schema["const"]
        anything.append(lambda v: equal(v, expected))
    name = schema.get("format")
    if name is not None:
        if not isinstance(name, str):
            raise Uncompilable("format")
        if name in formats.FORMATS:
            anything.append(lambda v: formats.conforms(name, v))
    if single is not None:  # one type, the usual case: the other families cannot apply
        base = {
            "string": lambda: _string(schema, True, members),
            "object": lambda: _object(schema, True),
            "array": lambda: _array(schema, True),
            "integer": lambda: _number(schema, TYPES["integer"]),
            "number": lambda: _number(schema, TYPES["number"]),
        }.get(single, lambda: TYPES[single])()
        if base is None:  # a guarded family always compiles; never here
            raise Uncompilable("type")
        return _all([base, *anything])
    families = [_string(schema, False), _number(schema, None)]
    families += [_object(schema, False), _array(schema, False)]
    return _all([c for c in (typed, *families, *anything) if c is not None])


def compile_kind(schema: Any) -> Check | None:
    """A kind's check, or None when jsonschema must decide every document."""
    try:
        return compile_schema(schema)
    except (Uncompilable, RecursionError):
        return None
