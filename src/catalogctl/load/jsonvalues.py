"""JSON Schema's notions of type and equality, as jsonschema 4 decides them.

The compiled validity check (`verdict`) must agree with jsonschema on every
document, so these mirror `jsonschema._types` (Draft 2020-12's type checker)
and `jsonschema._utils.equal` / `uniq` rather than Python's own rules: a
boolean is no number, 1.0 is an integer, `True` equals neither 1 nor 1.0 in
`enum`, `const` and `uniqueItems`. Written out here because importing
jsonschema to reach them is what the check exists to avoid; the
differential test in tests/load/ holds them to jsonschema's verdicts.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

_TRUE = object()  # stand-ins that make True/1 and False/0 distinct in `uniq`
_FALSE = object()


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


TYPES: dict[str, Callable[[Any], bool]] = {
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "integer": _is_integer,
    "null": lambda v: v is None,
    # int and float first: an isinstance test against the numbers ABC is slow
    "number": lambda v: (
        type(v) in (int, float) or (isinstance(v, numbers.Number) and not isinstance(v, bool))
    ),
    "object": lambda v: isinstance(v, dict),
    "string": lambda v: isinstance(v, str),
}


def unbool(element: Any) -> Any:
    if element is True:
        return _TRUE
    if element is False:
        return _FALSE
    return element


def equal(one: Any, two: Any) -> bool:
    """`jsonschema._utils.equal`: ==, except that booleans are not numbers."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(equal(i, j) for i, j in zip(one, two, strict=False))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(
            key in two and equal(value, two[key]) for key, value in one.items()
        )
    return bool(unbool(one) == unbool(two))


def uniq(container: Sequence[Any]) -> bool:
    """`jsonschema._utils.uniq`, quirks included: sorted neighbours when the
    items sort, every pair otherwise."""
    try:
        ordered = sorted(unbool(i) for i in container)
        for i, j in zip(ordered, itertools.islice(ordered, 1, None), strict=False):
            if equal(i, j):
                return False
    except (NotImplementedError, TypeError):
        seen: list[Any] = []
        for element in container:
            element = unbool(element)
            if any(equal(i, element) for i in seen):
                return False
            seen.append(element)
    return True
