"""The JSON Schemas: finding them, compiling validators, explaining failures.

`schemas/` in the repository is the one source; the wheel carries a copy of it
inside the package. A catalog repository with its own `schemas/` folder is
validated against that folder (and the change gate reads it from the base ref),
so an organisation can tighten its schemas without forking the tool.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import referencing
import referencing.exceptions
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError, ValidationError, best_match
from referencing.jsonschema import DRAFT202012

from catalogctl.load import fastpath, formats, kinds
from catalogctl.load.diagnostics import format_path
from catalogctl.load.inline import inline
from catalogctl.load.schemafiles import SCHEMA_SUFFIX as SCHEMA_SUFFIX
from catalogctl.load.schemafiles import SchemaLoadError as SchemaLoadError
from catalogctl.load.schemafiles import bundled_dir as bundled_dir
from catalogctl.load.schemafiles import shipped_texts
from catalogctl.load.suggest import did_you_mean

# Plain-language names for the shared patterns of defs.schema.json.
PATTERN_HINTS = {
    r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$": (
        "ids are 1-63 lowercase letters, digits and dashes, starting and ending with a "
        "letter or digit"
    ),
    r"^chg-[0-9]{4}-[0-9]{4}$": "change ids look like chg-2026-0042",
    r"^(0|[1-9][0-9]{0,4})(m|h|d|w)$": "durations look like 15m, 4h, 3d or 2w",
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "dates are written YYYY-MM-DD",
    r"^[a-z0-9][a-z0-9-]{0,40}$": "tags are lowercase letters, digits and dashes",
    r"^[A-Z]{3}$": "currencies are ISO 4217 codes such as EUR",
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}"
    r"(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$": (
        "date-times look like 2026-03-01T22:00:00+01:00 (a T between date and time, and an "
        "offset or Z)"
    ),
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": "expected an e-mail address such as team@example.com",
    r"^https?://\S+$": "expected an http:// or https:// URL without spaces",
    r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$": "expected a GitHub login",
    r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$": "expected a GitHub team as org/team-slug",
    r"^([01][0-9]|2[0-3]):[0-5][0-9]$": "times are HH:MM, 00:00 to 23:59",
    r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$": "times are HH:MM, 00:00 to 24:00",
}


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, check in formats.FORMATS.items():
        checker.checks(name, raises=ValueError)(check)
    return checker


FORMAT_CHECKER = _format_checker()


class _Referencing:
    """`inline`'s resolution through `referencing`, for any schema set."""

    def enter(
        self, scope: referencing._core.Resolver[Any], resource: dict[str, Any]
    ) -> referencing._core.Resolver[Any]:
        return scope.in_subresource(DRAFT202012.create_resource(resource))

    def lookup(
        self, scope: referencing._core.Resolver[Any], ref: str
    ) -> tuple[Any, referencing._core.Resolver[Any]]:
        resolved = scope.lookup(ref)
        return resolved.contents, resolved.resolver


@dataclass(frozen=True)
class SchemaSet:
    """All schemas of one catalog, with a compiled validator per kind name."""

    documents: Mapping[str, dict[str, Any]]  # file name -> schema as written
    validators: Mapping[str, Draft202012Validator]  # kind name -> validator

    @classmethod
    def from_texts(cls, texts: Mapping[str, str]) -> SchemaSet:
        documents: dict[str, dict[str, Any]] = {}
        for name, text in sorted(texts.items()):
            try:
                document = json.loads(text)
                if text != shipped_texts().get(name):  # the tool's own are checked by tests
                    Draft202012Validator.check_schema(document)
            except (ValueError, SchemaError) as error:
                raise SchemaLoadError(f"schemas/{name}: {str(error).splitlines()[0]}") from None
            if not isinstance(document, dict):
                raise SchemaLoadError(f"schemas/{name}: a schema must be a JSON object")
            documents[name] = document
        registry: referencing.Registry[Any] = referencing.Registry().with_resources(
            (doc.get("$id", name), referencing.Resource.from_contents(doc))
            for name, doc in documents.items()
        )
        validators: dict[str, Draft202012Validator] = {}
        for kind in (*kinds.ENTITY_KINDS, kinds.POLICY):
            document = documents.get(kind.schema)
            if document is None:
                raise SchemaLoadError(f"schemas/{kind.schema} is missing")
            base = document.get("$id", kind.schema)
            try:
                inlined = inline(copy.deepcopy(document), _Referencing(), registry.resolver(base))
            except referencing.exceptions.Unresolvable as error:
                raise SchemaLoadError(f"schemas/{kind.schema}: cannot resolve {error}") from None
            fast = fastpath.validator_class(inlined, FORMAT_CHECKER)
            validators[kind.name] = fast(inlined, registry=registry, format_checker=FORMAT_CHECKER)
        return cls(documents, validators)

    @classmethod
    def from_dir(cls, directory: Path) -> SchemaSet:
        texts = {
            path.name: path.read_text(encoding="utf-8")
            for path in directory.glob("*" + SCHEMA_SUFFIX)
        }
        if not texts:
            raise SchemaLoadError(f"no *{SCHEMA_SUFFIX} files in {directory}")
        return cls.from_texts(texts)

    def errors(self, kind: str, instance: Any) -> Iterator[ValidationError]:
        validator = self.validators[kind]
        yield from validator.iter_errors(instance)


@dataclass(frozen=True)
class SchemaFinding:
    """A schema failure explained: message, where it points and whether at a key."""

    message: str
    path: tuple[str | int, ...]
    at_key: bool = False
    keyword: str = ""  # the JSON Schema keyword that failed


def _describe(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _yaml11_hint(value: Any) -> str:
    """Why a value the author meant as a number/boolean/date arrived as text."""
    if not isinstance(value, str):
        return ""
    lowered = value.lower()
    if lowered in {"yes", "no", "on", "off", "y", "n"}:
        return "; write true or false (YAML 1.1 spellings stay text here)"
    if re.fullmatch(
        r"[-+]?0[0-9_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+|0x[0-9a-fA-F]+|[-+]?[0-9]+(_[0-9]+)+"
        r"(\.[0-9_]*)?",
        value,
    ):
        return "; write a plain decimal number (leading zeros, '_', ':' and 0x stay text)"
    return ""


_TYPE_NAMES = {str: "text", int: "an integer", float: "a number", bool: "a boolean"}


def explain_all(errors: Iterator[ValidationError]) -> list[SchemaFinding]:
    """All of a document's errors in our words, without saying one thing twice:
    a value that is not a real date also fails the date pattern, and the
    format message is the one that explains it."""
    findings = [replace(f, keyword=str(e.validator)) for e in errors for f in explain(e)]
    formatted = {f.path for f in findings if f.keyword == "format"}
    return [f for f in findings if not (f.keyword == "pattern" and f.path in formatted)]


def explain(error: ValidationError) -> list[SchemaFinding]:
    """One error from jsonschema -> findings in our words, each naming its field path."""
    if error.context and error.validator in ("anyOf", "oneOf"):
        error = best_match(error.context)
    path = tuple(error.absolute_path)
    where = format_path(path) or "(document)"
    instance = error.instance
    validator = error.validator
    value: Any = error.validator_value
    if validator == "additionalProperties" and isinstance(instance, dict):
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = sorted(schema.get("properties", {}))
        findings = []
        for key in sorted(k for k in instance if k not in allowed):
            hint = did_you_mean(key, allowed) or "; allowed: " + ", ".join(allowed)
            findings.append(
                SchemaFinding(
                    f"{format_path((*path, key))}: unknown field '{key}'{hint}",
                    (*path, key),
                    at_key=True,
                )
            )
        return findings
    if validator == "required":
        missing = re.match(r"'(.*)' is a required property", error.message)
        name = missing.group(1) if missing else error.message
        return [SchemaFinding(f"{where}: missing required field '{name}'", path, at_key=True)]
    if validator == "not" and isinstance(value, dict) and list(value) == ["required"]:
        names = ", ".join(f"'{n}'" for n in value["required"])
        return [SchemaFinding(f"{where}: field {names} is not allowed here", path)]
    if validator == "enum":
        options = ", ".join(str(v) for v in value)
        return [SchemaFinding(f"{where}: {_describe(instance)} is not one of: {options}", path)]
    if validator == "const":
        return [SchemaFinding(f"{where}: must be {_describe(value)}", path)]
    if validator == "type":
        got = _TYPE_NAMES.get(type(instance), type(instance).__name__)
        if instance is None:
            got = "empty"
        wanted = value if isinstance(value, str) else " or ".join(value)
        message = f"{where}: expected {wanted}, got {got} {_describe(instance)}"
        return [SchemaFinding(message + _yaml11_hint(instance), path)]
    if validator == "pattern":
        hint = PATTERN_HINTS.get(str(value), f"expected the form {value}")
        return [SchemaFinding(f"{where}: {_describe(instance)} is not valid: {hint}", path)]
    if validator == "format":
        shape = {
            "date": "a real date YYYY-MM-DD",
            "date-time": "a date and time with a UTC offset, e.g. 2026-03-01T22:00:00+01:00",
        }.get(str(value), str(value))
        return [SchemaFinding(f"{where}: {_describe(instance)} is not {shape}", path)]
    if validator in ("minimum", "exclusiveMinimum"):
        return [SchemaFinding(f"{where}: {_describe(instance)} is below the minimum {value}", path)]
    if validator in ("maximum", "exclusiveMaximum"):
        return [SchemaFinding(f"{where}: {_describe(instance)} is above the maximum {value}", path)]
    if validator == "minItems" and value == 1:
        return [SchemaFinding(f"{where}: must not be empty", path)]
    if validator == "uniqueItems":
        return [SchemaFinding(f"{where}: items must be unique", path)]
    if validator == "maxLength":
        return [SchemaFinding(f"{where}: longer than {value} characters", path)]
    if validator == "minLength" and value == 1:
        return [SchemaFinding(f"{where}: must not be empty", path)]
    return [SchemaFinding(f"{where}: {error.message}", path)]
