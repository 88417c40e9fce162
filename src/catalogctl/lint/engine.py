"""The lint pipeline: source -> loader + schema (in parallel) -> model -> rules.

Reading, parsing and schema validation are per file and dominate the cost, so
they run in worker processes; the model and the cross-file rules need every
file and run once, in this process. The engine, not the rules, applies the
policy's severities and the files' suppressions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from catalogctl.lint import memo
from catalogctl.lint.rules import REGISTRY, Finding, RuleContext
from catalogctl.load import cache, cached, kinds, workers, yamlsafe
from catalogctl.load.diagnostics import Diagnostic, Severity, format_path
from catalogctl.load.interning import TRIM_AFTER, release_freed_heap
from catalogctl.load.loader import LoadedFile
from catalogctl.load.schemaref import SchemaRef
from catalogctl.load.sources import Source
from catalogctl.load.suggest import did_you_mean
from catalogctl.model import refstore
from catalogctl.model.entities import Catalog, Entity, build_entity
from catalogctl.model.graph import Graph
from catalogctl.model.policy import Policy, read_policy

if TYPE_CHECKING:  # compiled schemas, only when a caller has them already
    from catalogctl.load.schemas import SchemaSet

Progress = workers.Progress


@dataclass(frozen=True)
class LintResult:
    diagnostics: tuple[Diagnostic, ...]  # final: severities resolved, off/suppressed removed
    files: tuple[str, ...]  # catalog files checked, repo-relative
    entities: int
    suppressed: tuple[Diagnostic, ...]  # findings a file's suppression comment silenced
    catalog: Catalog
    policy: Policy
    exact: bool = True  # false: a file changed while the run located its findings


class _Locator:
    """Line and column for a finding, composing a file again only when asked:
    most files have no findings, so no location map is built up front.

    A file whose result came from the cache was not kept in memory: it is
    read again, and `exact` turns false if it is no longer the bytes that
    were judged (edited during the run); such a run is not kept (memo)."""

    def __init__(
        self,
        raw: dict[str, bytes],
        read: Callable[[str], bytes | None],
        expected: dict[str, str],
    ) -> None:
        self.raw = raw
        self.read = read
        self.expected = expected  # path -> object id of the bytes judged
        self.exact = True
        self.roots: dict[str, Any] = {}

    def _bytes(self, file: str) -> bytes:
        if file in self.raw:
            return self.raw[file]
        found = self.read(file) or b""
        if file in self.expected and cached.object_id(found) != self.expected[file]:
            self.exact = False
        return found

    def __call__(self, file: str, path: tuple[str | int, ...], at_key: bool) -> tuple[int, int]:
        if file not in self.roots:
            text = self._bytes(file).decode("utf-8", "replace")
            try:
                self.roots[file] = yamlsafe.compose(text)
            except yaml.YAMLError:  # the loader already reported why it does not parse
                self.roots[file] = None
        return yamlsafe.locate(self.roots[file], path, key=at_key)


def _changeable() -> list[str]:
    """The rule ids a policy may configure and a comment may suppress: the
    only ones worth suggesting for a typo there."""
    return [rule.id for rule in REGISTRY.values() if not rule.fatal]


def _policy_diagnostics(policy_data: dict[str, Any] | None, locate: _Locator) -> list[Diagnostic]:
    """Rule ids in `rules:` must exist, and fatal rules cannot be changed."""
    found = []
    rules = policy_data.get("rules") if policy_data else None
    for rule_id, level in (rules or {}).items() if isinstance(rules, dict) else ():
        rule = REGISTRY.get(rule_id)
        message = None
        if rule is None:
            hint = did_you_mean(str(rule_id), _changeable()) or "; `catalogctl rules` lists them"
            message = f"rules.{rule_id}: unknown rule id{hint}"
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
                    why = (
                        "unknown rule id" + did_you_mean(rule_id, _changeable())
                        if named is None
                        else "this rule cannot be suppressed"
                    )
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


def summary(
    source: Source,
    schemas: SchemaRef,
    today: dt.date,
    jobs: int,
    progress: Progress | None,
    store: cache.Store,
) -> memo.LintSummary:
    """What `catalogctl lint` reports: the last run's findings when nothing
    they depend on changed (lint/memo.py), else a full run, kept for the next."""
    identified = cached.identify(source, store)
    policy_raw = source.read(kinds.POLICY_FILE)
    key = memo.run_key(identified, policy_raw, schemas.fingerprint, today)
    stored = store.get_run(key)
    found = memo.decode(stored[0]) if stored else None
    if found is not None:
        return found
    with workers.gc_paused(keep=True):  # its model lives until lint ends
        result = _lint(source, schemas, today, jobs, progress, policy_raw, store, identified)
    done = memo.LintSummary(result.diagnostics, result.files, result.entities, result.suppressed)
    if result.exact:
        store.put_run(key, memo.encode(done), "")
    return done


def lint(
    source: Source,
    schemas: SchemaRef | SchemaSet,
    today: dt.date,
    jobs: int = 1,
    progress: Progress | None = None,
    policy: bytes | None = None,
    store: cache.Store | None = None,
) -> LintResult:
    """Lint a source. `policy` replaces the source's own catalogctl.yaml (the
    gate lints the head with the base's policy). Per-file results come from
    and go to the result cache `store` when given."""
    ref = schemas if isinstance(schemas, SchemaRef) else SchemaRef.wrap(schemas)
    with workers.gc_paused():
        return _lint(source, ref, today, jobs, progress, policy, store or cache.Store(None, ""))


def _lint(
    source: Source,
    schemas: SchemaRef,
    today: dt.date,
    jobs: int,
    progress: Progress | None,
    policy_override: bytes | None,
    store: cache.Store,
    identified: cached.Identified | None = None,
) -> LintResult:
    policy_raw = policy_override if policy_override is not None else source.read(kinds.POLICY_FILE)
    policy_file = cached.check_one(
        kinds.POLICY_FILE, policy_raw or b"", schemas, store, kind="Policy"
    )
    policy = read_policy(policy_file.data)
    if identified is None:
        identified = cached.identify(source, store)
    listed = [oid for _, oid in identified]  # a file edited during the run changes its id
    loaded, raw = cached.check_source(source, schemas, jobs, store, progress, identified)
    steady = listed == [oid for _, oid in identified]
    expected = {f.path: oid for f, oid in identified if oid is not None}
    if policy_raw is not None:
        raw[kinds.POLICY_FILE] = policy_raw
    entities: list[Entity] = []
    diagnostics: list[Diagnostic] = list(policy_file.diagnostics)
    for result in loaded:
        diagnostics.extend(result.diagnostics)
        if result.data is not None:
            entity = build_entity(result.path, result.data)
            if entity is not None:
                entities.append(entity)
    # Of the documents only what the entities took stays: the envelopes
    # (apiVersion, metadata, the tag lists copied to tuples) go before the
    # model is built. The rest of the run reads only suppressions and paths.
    paths = tuple(sorted((*(r.path for r in loaded), kinds.POLICY_FILE)))
    by_path = {r.path: r for r in (*loaded, policy_file) if r.suppressions}
    del loaded
    catalog = Catalog.build(entities, policy.schedules)
    large = len(identified) >= TRIM_AFTER
    if large:
        release_freed_heap()  # the documents' envelopes, let go of for the model
    refstore.save(store, identified, catalog)  # what `diff` of this tree reads
    if large:
        release_freed_heap()  # the index's texts, before the rules build their own
    context = RuleContext(catalog, Graph.of(catalog), policy, today)
    locate = _Locator(raw, source.read, expected)
    diagnostics.extend(_policy_diagnostics(policy_file.data, locate))
    for rule in REGISTRY.values():
        if rule.check is None or policy.rules.get(rule.id) is Severity.OFF:
            continue
        for finding in rule.check(context):
            diagnostics.append(_diagnostic(rule.id, finding, locate))
    final, suppressed = _resolve(diagnostics, policy, by_path)
    return LintResult(
        diagnostics=tuple(sorted(set(final), key=_order)),
        files=paths,
        entities=len(entities),
        suppressed=suppressed,
        catalog=catalog,
        policy=policy,
        exact=locate.exact and steady,
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
