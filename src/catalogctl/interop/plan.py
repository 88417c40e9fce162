"""What an import wants in the catalog: one planned entity per foreign record.

`fields` are the fields the import owns (set on every run; None or an empty
value removes the field); `defaults` fill the fields a schema requires but
the source lacks, and are written only when the entity is created, so a
person's later edit to them (tier, visibility, support...) is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalogctl.load import kinds

FieldPath = tuple[str, str]

# Key order of a new file: the schema's order, so an imported file reads
# like one `catalogctl new` wrote.
SPEC_ORDER = {
    kinds.TEAM.name: ("github", "members", "email", "oncall"),
    kinds.SERVICE.name: (
        "owner",
        "type",
        "lifecycle",
        "tier",
        "visibility",
        "category",
        "dependsOn",
        "cis",
        "support",
        "offerings",
        "cost",
        "continuity",
        "security",
    ),
    kinds.CI.name: (
        "type",
        "environment",
        "owner",
        "status",
        "relations",
        "vendor",
        "location",
        "expires",
        "attributes",
    ),
}
METADATA_ORDER = ("id", "name", "description", "tags", "links")


@dataclass
class Planned:
    kind: kinds.Kind
    id: str
    source: str  # where the record was read, e.g. catalog-info.yaml:12
    fields: dict[FieldPath, Any] = field(default_factory=dict)
    defaults: dict[FieldPath, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        # the short spelling `catalogctl show` accepts: team/x, service/x, ci/x
        short = "ci" if self.kind is kinds.CI else self.kind.aliases[0]
        return f"{short}/{self.id}"

    def value(self, path: FieldPath) -> Any:
        """The value the entity will have (imported, else its default)."""
        return self.fields.get(path, self.defaults.get(path))

    def document(self) -> dict[str, Any]:
        """The whole document of a new entity."""
        values = {**self.defaults, **self.fields}
        metadata: dict[str, Any] = {"id": self.id}
        for key in METADATA_ORDER[1:]:
            if not empty(values.get(("metadata", key))):
                metadata[key] = values[("metadata", key)]
        spec = {
            key: values[("spec", key)]
            for key in SPEC_ORDER[self.kind.name]
            if not empty(values.get(("spec", key)))
        }
        return {
            "apiVersion": "catalogctl/v1",
            "kind": self.kind.name,
            "metadata": metadata,
            "spec": spec,
        }


def empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""
