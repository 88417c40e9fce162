"""Rules about where entities live and what they are called."""

from __future__ import annotations

from collections.abc import Iterable

from catalogctl.lint.rules.registry import Finding, RuleContext, rule
from catalogctl.load import kinds
from catalogctl.load.diagnostics import Severity

# what the message calls a record whose id carries its year folder
_WORD = {kinds.CHANGE.name: "change", kinds.INCIDENT.name: "incident"}


@rule("id-filename-mismatch", Severity.ERROR)
def id_filename_mismatch(ctx: RuleContext) -> Iterable[Finding]:
    """The file name or folder does not match the entity's id and kind.

    An entity `payroll` of kind Service lives in `catalog/services/**/payroll.yaml`;
    a change request `chg-2026-0042` in `changes/2026/chg-2026-0042.yaml`, an
    incident `inc-2026-0007` in `incidents/2026/inc-2026-0007.yaml`. Tools,
    reviewers and CODEOWNERS find entities by their path, so the two must agree."""
    for entity in ctx.catalog.entities:
        kind = kinds.BY_NAME[entity.kind]
        folder, _, name = entity.file.rpartition("/")
        if not (folder + "/").startswith(kind.folder + "/"):
            yield Finding(
                entity,
                ("kind",),
                f"kind: a {kind.name} must live under {kind.folder}/; move the file there",
            )
        elif name != f"{entity.id}.yaml":
            yield Finding(
                entity,
                ("metadata", "id"),
                f"metadata.id: '{entity.id}' does not match the file name '{name}'; "
                f"rename the file to {entity.id}.yaml or fix the id",
            )
        elif kind is kinds.CHANGE or kind is kinds.INCIDENT:
            match = kinds.NUMBERED[kind.name].match(entity.id)
            if match and folder != f"{kind.folder}/{match.group(1)}":
                yield Finding(
                    entity,
                    ("metadata", "id"),
                    f"metadata.id: {_WORD[kind.name]} {entity.id} belongs in "
                    f"{kind.folder}/{match.group(1)}/; move the file there",
                )


@rule("duplicate-id", Severity.ERROR)
def duplicate_id(ctx: RuleContext) -> Iterable[Finding]:
    """Two entities of the same kind have the same id.

    Ids are compared after Unicode NFC normalisation and case folding, so
    `Payroll` and `payroll` collide. Change request ids are never reused."""
    for entity in ctx.catalog.entities:
        first = ctx.catalog.get(entity.kind, entity.id)
        if first is not None and first is not entity:
            same = (
                ""
                if first.id == entity.id
                else f" as '{first.id}' (ids are compared ignoring case and Unicode normalisation)"
            )
            yield Finding(
                entity,
                ("metadata", "id"),
                f"metadata.id: {entity.kind} id '{entity.id}' is already used by "
                f"{first.file}{same}; choose another id",
            )
