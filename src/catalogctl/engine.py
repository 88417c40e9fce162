"""The lint pipeline: source -> loader + schema (in parallel) -> model -> rules.

Reading, parsing and schema validation are per file and dominate the cost, so
they run in worker processes; the model and the cross-file rules need every
file and run once, in this process. The engine, not the rules, applies the
policy's severities and the files' suppressions.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from catalogctl import kinds, loader, yamlsafe
from catalogctl.diagnostics import Diagnostic, Severity, format_path
from catalogctl.graph import Graph
from catalogctl.loader import LoadedFile
from catalogctl.model import Catalog, Entity, build_entity
from catalogctl.policy import Policy, read_policy
from catalogctl.rules import REGISTRY, Finding, RuleContext
from catalogctl.schemas import SchemaSet, explain_all
from catalogctl.sources import Source, SourceFile

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400
_ENTITY_KIND_NAMES = tuple(k.name for k in kinds.ENTITY_KINDS)


@dataclass(frozen=True)
class LintResult:
    diagnostics: tuple[Diagnostic, ...]  # final: severities resolved, off/suppressed removed
    files: tuple[str, ...]  # catalog files checked, repo-relative
    entities: int
    suppressed: tuple[Diagnostic, ...]  # findings a file's suppression comment silenced
    catalog: Catalog
    policy: Policy

    @property
    def errors(self) -> int:
        return sum(d.level is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.level is Severity.WARNING for d in self.diagnostics)


def _entity_label(data: dict[str, Any]) -> str | None:
    metadata = data.get("metadata")
    kind, entity_id = data.get("kind"), metadata.get("id") if isinstance(metadata, dict) else None
    if isinstance(kind, str) and isinstance(entity_id, str):
        return f"{kind}/{entity_id}"
    return None


def check_file(path: str, raw: bytes, schemas: SchemaSet, kind: str | None = None) -> LoadedFile:
    """Load one file and validate it against its kind's schema.

    `kind` forces the schema (the policy file); otherwise the document's own
    `kind` chooses it, which must be one of the entity kinds."""
    if not path.endswith(".yaml") and path != kinds.POLICY_FILE:
        return loader.refused(path, "catalog files use the .yaml extension; rename the file")
    loaded, root = loader.load(path, raw)
    data = loaded.data
    if data is None:
        return loaded
    entity = _entity_label(data)
    chosen = kind or data.get("kind")
    if kind is None and chosen not in _ENTITY_KIND_NAMES:
        line, column = yamlsafe.locate(root, ("kind",))
        message = (
            f"kind: {chosen!r} is not a catalog kind; use one of {', '.join(_ENTITY_KIND_NAMES)}"
            if chosen is not None
            else "(document): missing required field 'kind'"
        )
        extra = Diagnostic(path, line, column, "schema", message, entity=entity, path="kind")
        return replace(loaded, diagnostics=(*loaded.diagnostics, extra))
    found: list[Diagnostic] = []
    for finding in explain_all(schemas.errors(str(chosen), data)):
        line, column = yamlsafe.locate(root, finding.path, key=finding.at_key)
        found.append(
            Diagnostic(
                path,
                line,
                column,
                "schema",
                finding.message,
                entity=entity,
                path=format_path(finding.path) or None,
            )
        )
    if not found:
        return loaded
    return replace(loaded, diagnostics=(*loaded.diagnostics, *sorted(set(found))))


_WORKER_SCHEMAS: SchemaSet | None = None  # set before forking; workers inherit it


def _check_batch(batch: list[tuple[str, bytes]]) -> list[LoadedFile]:
    assert _WORKER_SCHEMAS is not None
    return [check_file(path, raw, _WORKER_SCHEMAS) for path, raw in batch]


Progress = Callable[[int, int], None]  # (files done, files in all)


def _load_all(
    files: Sequence[SourceFile], schemas: SchemaSet, jobs: int, progress: Progress | None
) -> list[LoadedFile]:
    global _WORKER_SCHEMAS
    readable = [(f.path, f.raw) for f in files if f.raw is not None]
    results = {
        f.path: loader.refused(f.path, f"{f.path.rsplit('/', 1)[-1]} {f.refusal}")
        for f in files
        if f.raw is None
    }
    if jobs > 1 and len(readable) >= PARALLEL_THRESHOLD and "fork" in _start_methods():
        _WORKER_SCHEMAS = schemas
        size = max(1, len(readable) // (jobs * 4))
        batches = [readable[i : i + size] for i in range(0, len(readable), size)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for batch in pool.map(_check_batch, batches):
                results.update((r.path, r) for r in batch)
                if progress:
                    progress(len(results), len(files))
        _WORKER_SCHEMAS = None
    else:
        results.update((path, check_file(path, raw, schemas)) for path, raw in readable)
    return [results[f.path] for f in files]


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


def default_jobs() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


class _Locator:
    """Line and column for a finding, composing a file again only when asked:
    most files have no findings, so no location map is built up front."""

    def __init__(self, raw: dict[str, bytes]) -> None:
        self.raw = raw
        self.roots: dict[str, Any] = {}

    def __call__(self, file: str, path: tuple[str | int, ...], at_key: bool) -> tuple[int, int]:
        if file not in self.roots:
            text = self.raw.get(file, b"").decode("utf-8", "replace")
            try:
                self.roots[file] = yamlsafe.compose(text)
            except Exception:  # the loader already reported why it does not parse
                self.roots[file] = None
        return yamlsafe.locate(self.roots[file], path, key=at_key)


def _policy_diagnostics(policy_data: dict[str, Any] | None, locate: _Locator) -> list[Diagnostic]:
    """Rule ids in `rules:` must exist, and fatal rules cannot be changed."""
    found = []
    rules = policy_data.get("rules") if policy_data else None
    for rule_id, level in (rules or {}).items() if isinstance(rules, dict) else ():
        rule = REGISTRY.get(rule_id)
        message = None
        if rule is None:
            message = f"rules.{rule_id}: unknown rule id; `catalogctl rules` lists them"
        elif rule.fatal and level != "error":
            message = f"rules.{rule_id}: this rule guards file safety and cannot be changed"
        if message:
            line, column = locate(kinds.POLICY_FILE, ("rules", rule_id), True)
            found.append(
                Diagnostic(
                    kinds.POLICY_FILE, line, column, "schema", message, path=f"rules.{rule_id}"
                )
            )
    return found


def _resolve(
    diagnostics: Iterable[Diagnostic],
    policy: Policy,
    loaded: dict[str, LoadedFile],
    locate: _Locator,
) -> tuple[list[Diagnostic], tuple[Diagnostic, ...]]:
    """Apply configured severities and per-file suppressions."""
    final: list[Diagnostic] = []
    suppressed: list[Diagnostic] = []
    for diagnostic in diagnostics:
        rule = REGISTRY[diagnostic.rule]
        configured = None if rule.fatal else policy.rules.get(rule.id)
        severity = configured or diagnostic.severity or rule.severity
        if severity is Severity.OFF:
            continue
        file = loaded.get(diagnostic.file)
        if not rule.fatal and file and any(rule.id in s.rules for s in file.suppressions):
            suppressed.append(diagnostic.with_severity(severity))
            continue
        final.append(diagnostic.with_severity(severity))
    for file in loaded.values():
        for suppression in file.suppressions:
            for rule_id in suppression.rules:
                named = REGISTRY.get(rule_id)
                if named is None or named.fatal:
                    why = "unknown rule id" if named is None else "this rule cannot be suppressed"
                    final.append(
                        Diagnostic(
                            file.path,
                            suppression.line,
                            1,
                            "invalid-suppression",
                            f"disable={rule_id}: {why}",
                            severity=Severity.ERROR,
                        )
                    )
    return final, tuple(suppressed)


def lint(
    source: Source,
    schemas: SchemaSet,
    today: dt.date,
    jobs: int = 1,
    progress: Progress | None = None,
) -> LintResult:
    files = source.files()
    raw = {f.path: f.raw for f in files if f.raw is not None}
    policy_raw = source.read(kinds.POLICY_FILE)
    policy_file = check_file(kinds.POLICY_FILE, policy_raw or b"", schemas, kind="Policy")
    if policy_raw is not None:
        raw[kinds.POLICY_FILE] = policy_raw
    policy = read_policy(policy_file.data)
    loaded = _load_all(files, schemas, jobs, progress)
    entities: list[Entity] = []
    diagnostics: list[Diagnostic] = list(policy_file.diagnostics)
    for result in loaded:
        diagnostics.extend(result.diagnostics)
        if result.data is not None:
            entity = build_entity(result.path, result.data)
            if entity is not None:
                entities.append(entity)
    catalog = Catalog.build(entities, policy.schedules)
    context = RuleContext(catalog, Graph.of(catalog), policy, today)
    locate = _Locator(raw)
    diagnostics.extend(_policy_diagnostics(policy_file.data, locate))
    for rule in REGISTRY.values():
        if rule.check is None or policy.rules.get(rule.id) is Severity.OFF:
            continue
        for finding in rule.check(context):
            diagnostics.append(_diagnostic(rule.id, finding, locate))
    by_path = {r.path: r for r in (*loaded, policy_file)}
    final, suppressed = _resolve(diagnostics, policy, by_path, locate)
    return LintResult(
        diagnostics=tuple(sorted(set(final), key=_order)),
        files=tuple(sorted((*(f.path for f in files), kinds.POLICY_FILE))),
        entities=len(entities),
        suppressed=suppressed,
        catalog=catalog,
        policy=policy,
    )


def _diagnostic(rule_id: str, finding: Finding, locate: _Locator) -> Diagnostic:
    entity = finding.entity
    file = finding.file or (entity.file if entity else kinds.POLICY_FILE)
    line, column = locate(file, finding.path, finding.at_key)
    return Diagnostic(
        file,
        line,
        column,
        rule_id,
        finding.message,
        severity=finding.severity,
        entity=str(entity.ref) if entity else None,
        path=format_path(finding.path) or None,
    )


def _order(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.file, d.line, d.column, d.rule, d.message)
