"""CSV rows -> planned services or CIs, through a column map.

A column whose header is a field name maps to that field; a ServiceNow
export (it has `sys_class_name`) gets the built-in ServiceNow map; `--map
column=field` adds to or overrides either. Every mapped column is an
imported field; fields the schema requires that no column gives get a
default when the entity is created. A bad value skips its row, named by
file:line:column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from catalogctl.interop import schema_facts, servicenow
from catalogctl.interop.backstage_read import Skipped
from catalogctl.interop.csv_io import Row, Table
from catalogctl.interop.names import to_tag
from catalogctl.interop.plan import Planned
from catalogctl.load import kinds
from catalogctl.load.errors import UsageError
from catalogctl.load.suggest import did_you_mean
from catalogctl.model.entities import Catalog, id_key

COMMON = ("id", "name", "description", "owner", "type", "tags")
FIELDS = {
    kinds.SERVICE.name: (
        *COMMON,
        "lifecycle",
        "tier",
        "visibility",
        "category",
        "dependsOn",
        "cis",
    ),
    kinds.CI.name: (*COMMON, "environment", "status", "vendor", "location", "expires", "relations"),
}
# Fields without a default: a file must have a column for them.
REQUIRED = {kinds.SERVICE.name: ("owner",), kinds.CI.name: ("owner", "type")}
DEFAULTS: dict[str, dict[str, Any]] = {
    kinds.SERVICE.name: {
        "type": "business",
        "lifecycle": "live",
        "tier": 4,
        "visibility": "internal",
        "category": "Uncategorised",
    },
    kinds.CI.name: {"environment": "production", "status": "in-service"},
}


_SLUG = re.compile(r"[^a-z0-9]+")
_SPLIT = re.compile(r"[;,\n]")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class BadValue(ValueError):
    """A cell the field cannot take; the message says what would do."""


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:63].strip("-")


def column_map(table: Table, kind: kinds.Kind, extra: list[str]) -> dict[str, str]:
    """column -> field for this file."""
    fields = FIELDS[kind.name]
    lower = {f.lower(): f for f in fields}
    mapping = {col: lower[col.lower()] for col in table.header if col.lower() in lower}
    if servicenow.MARKER in table.header:
        builtin = servicenow.SERVICE_COLUMNS if kind is kinds.SERVICE else servicenow.CI_COLUMNS
        mapping.update({c: f for c, f in builtin.items() if c in table.header})
    for item in extra:
        column, sep, target = item.partition("=")
        if not sep or column not in table.header:
            hint = did_you_mean(column, table.header) if sep else ""
            raise UsageError(f"--map {item}: give COLUMN=FIELD with a column of the file{hint}")
        if target not in fields and not target.startswith("attributes."):
            raise UsageError(f"--map {item}: no field {target!r}{did_you_mean(target, fields)}")
        mapping[column] = target
    return mapping


def _one_of(words: dict[str, str], allowed: list[str] | tuple[str, ...]) -> Callable[[str], str]:
    def convert(value: str) -> str:
        text = value.strip().lower()
        found = (
            text if text in allowed else words.get(servicenow.status_word(text), words.get(text))
        )
        if found is None:
            raise BadValue(f"{value!r} is not one of {', '.join(allowed)}")
        return found

    return convert


def _tier(value: str) -> int:
    number = servicenow.tier(value)
    if number is None:
        raise BadValue(f"{value!r} is not a tier from 1 to 4")
    return number


def _list(value: str) -> list[str]:
    return [item.strip() for item in _SPLIT.split(value) if item.strip()]


def _tags(value: str) -> list[str]:
    return list(dict.fromkeys(t for item in _list(value) if (t := to_tag(item))))


def _date(value: str) -> str:
    if not _DATE.match(value.strip()):
        raise BadValue(f"{value!r} is not a date (YYYY-MM-DD)")
    return value.strip()


def _relations(value: str) -> list[dict[str, str]]:
    out = []
    for item in _list(value):
        kind, sep, target = item.rpartition(":")
        relation = kind.strip() if sep else "depends-on"
        allowed = schema_facts.relation_types()
        if relation not in allowed:
            raise BadValue(f"relation {relation!r} is not one of {', '.join(allowed)}")
        out.append({"type": relation, "target": target.strip()})
    return out


SERVICE_SCHEMA, CI_SCHEMA = "service.schema.json", "configuration-item.schema.json"
CONVERT: dict[str, Callable[[str], Any]] = {
    "lifecycle": _one_of(servicenow.LIFECYCLE, schema_facts.spec_enum(SERVICE_SCHEMA, "lifecycle")),
    "status": _one_of(servicenow.STATUS, schema_facts.spec_enum(CI_SCHEMA, "status")),
    "environment": _one_of(
        servicenow.ENVIRONMENT, schema_facts.spec_enum(CI_SCHEMA, "environment")
    ),
    "visibility": _one_of({}, schema_facts.spec_enum(SERVICE_SCHEMA, "visibility")),
    "tier": _tier,
    "tags": _tags,
    "dependsOn": _list,
    "cis": _list,
    "relations": _relations,
    "expires": _date,
}


@dataclass
class CsvMapping:
    planned: list[Planned] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _RowReader:
    def __init__(self, kind: kinds.Kind, mapping: dict[str, str], catalog: Catalog, shown: str):
        self.kind = kind
        self.mapping = mapping
        self.catalog = catalog
        self.shown = shown
        self.teams = {id_key(t.id): t.id for t in catalog.of_kind(kinds.TEAM.name)}
        self.teams.update({id_key(t.name): t.id for t in catalog.of_kind(kinds.TEAM.name)})
        self.teams.update({slug(t.name): t.id for t in catalog.of_kind(kinds.TEAM.name)})
        types = servicenow.SERVICE_TYPE if kind is kinds.SERVICE else servicenow.CLASSES
        service_types = schema_facts.spec_enum(SERVICE_SCHEMA, "type")
        allowed = service_types if kind is kinds.SERVICE else schema_facts.ci_types()
        self.convert_type = _one_of(types, allowed)

    def values(self, row: Row, header: tuple[str, ...]) -> dict[str, tuple[str, int]]:
        """field -> (cell, column number): the first non-empty mapped column wins."""
        out: dict[str, tuple[str, int]] = {}
        for column, target in self.mapping.items():
            # a line break inside a cell is a line break, however the file ends lines
            cell = row.values.get(column, "").replace("\r\n", "\n").replace("\r", "\n").strip()
            if cell and target not in out:
                out[target] = (cell, header.index(column) + 1)
        return out

    def plan(self, row: Row, header: tuple[str, ...]) -> Planned:
        cells = self.values(row, header)
        name = cells.get("name", ("", 0))[0]
        entity_id = cells["id"][0] if "id" in cells else slug(name)
        if not kinds.ID_PATTERN.match(entity_id):
            where = cells.get("id", cells.get("name", ("", 1)))[1]
            raise BadValue(f"{where}:id {entity_id!r} is not an id; give an id column")
        plan = Planned(self.kind, entity_id, f"{self.shown}:{row.line}")
        plan.fields[("metadata", "name")] = (name or entity_id)[:120]
        attributes: dict[str, str] = {}
        for target, (cell, column) in cells.items():
            try:
                if target in ("id", "name"):
                    continue
                if target.startswith("attributes."):
                    attributes[target.partition(".")[2]] = cell
                elif target == "owner":
                    owner = self.teams.get(id_key(cell)) or self.teams.get(slug(cell))
                    if owner is None:
                        raise BadValue(f"owner {cell!r} is no team of the catalog; add it first")
                    plan.fields[("spec", "owner")] = owner
                elif target == "type":
                    plan.fields[("spec", "type")] = self.convert_type(cell)
                elif target in ("description", "tags"):
                    value = CONVERT[target](cell) if target in CONVERT else cell
                    plan.fields[("metadata", target)] = value
                else:
                    plan.fields[("spec", target)] = CONVERT.get(target, str)(cell)
            except BadValue as error:
                raise BadValue(f"{column}:{target}: {error}") from None
        if attributes:
            plan.fields[("spec", "attributes")] = attributes
        for key, value in DEFAULTS[self.kind.name].items():
            plan.defaults.setdefault(("spec", key), value)
        for required in REQUIRED[self.kind.name]:
            if plan.value(("spec", required)) is None:
                column = header.index(next(c for c, f in self.mapping.items() if f == required))
                raise BadValue(f"{column + 1}:{required}: the cell is empty")
        return plan


def build(
    table: Table, kind: kinds.Kind, extra_map: list[str], catalog: Catalog, shown: str
) -> CsvMapping:
    mapping = column_map(table, kind, extra_map)
    if "name" not in mapping.values() and "id" not in mapping.values():
        raise UsageError(f"{shown}:1: no column gives the id or the name; add one or --map it")
    for required in REQUIRED[kind.name]:
        if required not in mapping.values():
            raise UsageError(
                f"{shown}:1: no column gives the {required}; add one or --map COLUMN={required}"
            )
    reader = _RowReader(kind, mapping, catalog, shown)
    out = CsvMapping()
    seen: dict[str, int] = {}
    for row in table.rows:
        try:
            plan = reader.plan(row, table.header)
        except BadValue as error:
            column, _, message = str(error).partition(":")
            out.skipped.append(Skipped(f"{shown}:{row.line}:{column}", message.strip()))
            continue
        if plan.id in seen:
            out.skipped.append(
                Skipped(f"{shown}:{row.line}", f"id {plan.id} is on line {seen[plan.id]} already")
            )
            continue
        seen[plan.id] = row.line
        out.planned.append(plan)
    _resolve(out, catalog)
    if servicenow.MARKER in table.header:
        short = "service" if kind is kinds.SERVICE else "ci"
        for column in servicenow.UNMAPPED[short]:
            if column not in mapping and any(row.values.get(column) for row in table.rows):
                out.notes.append(f"{shown}: column {column} has no catalog field; not imported")
    return out


def _resolve(out: CsvMapping, catalog: Catalog) -> None:
    """Drop references to entities neither in the file nor in the catalog."""
    planned = {(p.kind.name, p.id) for p in out.planned}

    def known(kind: str, entity_id: str) -> bool:
        return (kind, entity_id) in planned or catalog.get(kind, entity_id) is not None

    for plan in out.planned:
        for key, kind in (("dependsOn", kinds.SERVICE.name), ("cis", kinds.CI.name)):
            values = plan.fields.get(("spec", key))
            if isinstance(values, list):
                kept = [v for v in values if known(kind, v)]
                for gone in set(values) - set(kept):
                    out.notes.append(f"{plan.source}: {key} {gone} is no {kind}; dropped")
                plan.fields[("spec", key)] = kept
        relations: Any = plan.fields.get(("spec", "relations"))
        if isinstance(relations, list):
            kept_relations = [r for r in relations if known(kinds.CI.name, r["target"])]
            for gone in relations:
                if gone not in kept_relations:
                    out.notes.append(
                        f"{plan.source}: relation to {gone['target']} is no CI; dropped"
                    )
            plan.fields[("spec", "relations")] = kept_relations
