"""The one way in: find the catalog, read its policy, load it from a source.

Every command opens a `Workspace` (the working tree, or a git ref) and asks
it for what it needs: the policy, the catalog (loaded safely, without
schema validation: what `diff`, `impact` and `report` need), the schemas,
or a full lint. Nothing here prints; errors a user can fix are UsageError.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from catalogctl.load import cache, kinds, loader
from catalogctl.load.errors import UsageError
from catalogctl.load.schemafiles import SCHEMA_SUFFIX, SchemaLoadError, bundled_dir, bundled_texts
from catalogctl.load.schemaref import SchemaRef
from catalogctl.load.sources import GitTree, Source, SourceError, WorkTree
from catalogctl.load.suggest import close_matches, did_you_mean, suggestion
from catalogctl.model.entities import Catalog, Entity, build_entity
from catalogctl.model.policy import Policy, read_policy

if TYPE_CHECKING:  # jsonschema is imported only by commands that validate
    from catalogctl.lint.engine import LintResult, Progress
    from catalogctl.lint.memo import LintSummary
    from catalogctl.load.loader import LoadedFile
    from catalogctl.load.schemas import SchemaSet
    from catalogctl.model.impact import Lookup


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding catalogctl.yaml."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / kinds.POLICY_FILE).is_file():
            return folder
    raise UsageError(
        f"not a catalog: no {kinds.POLICY_FILE} in {here} or any parent folder; "
        "run `catalogctl init DIR` to create one"
    )


def parse_ref(text: str) -> tuple[kinds.Kind, str]:
    """'service/payroll' -> (the Service kind, 'payroll'); UsageError otherwise."""
    kind_text, sep, entity_id = text.partition("/")
    kind = kinds.kind_from_user(kind_text) if sep else None
    if kind is None or not entity_id:
        hint = ""
        if sep and entity_id and kind is None:
            close = close_matches(kind_text.strip().lower(), kinds.user_kind_names())
            one_per_kind = {kinds.kind_from_user(name): name for name in reversed(close)}
            hint = suggestion(f"{name}/{entity_id}" for name in reversed(one_per_kind.values()))
        raise UsageError(f"'{text}' is not KIND/ID (e.g. service/payroll, ci/db-01){hint}")
    return kind, entity_id


def find_entity(catalog: Catalog, ref_text: str) -> Entity:
    """The entity KIND/ID names; UsageError when there is none."""
    kind, entity_id = parse_ref(ref_text)
    if kind is kinds.POLICY:
        raise UsageError("the policy is not an entity; read catalogctl.yaml")
    entity = catalog.get(kind.name, entity_id)
    if entity is None:
        ids = [e.id for e in catalog.of_kind(kind.name)]
        raise UsageError(f"no {kind.name} with id '{entity_id}'{did_you_mean(entity_id, ids)}")
    return entity


def load_catalog(source: Source, jobs: int, store: cache.Store | None = None) -> Catalog:
    """Every entity of a source, loaded safely; no schema validation needed.
    Through the result cache `store` when given."""
    from catalogctl.load import cached, workers
    from catalogctl.model import refstore

    store = store or cache.Store(None, "")
    with workers.gc_paused(keep=True):  # the catalog lives until the command ends
        identified = cached.identify(source, store)
        loaded, _ = cached.check_source(source, None, jobs, store, identified=identified)
        entities = [e for r in loaded if r.data and (e := build_entity(r.path, r.data))]
        catalog = Catalog.build(entities, policy_at(source).schedules)
        refstore.save(store, identified, catalog)  # the next diff of this tree reads it
        return catalog


def policy_at(source: Source) -> Policy:
    """The policy a source holds (the defaults when it has none)."""
    raw = source.read(kinds.POLICY_FILE)
    return read_policy(loader.load(kinds.POLICY_FILE, raw)[0].data if raw else None)


class Workspace:
    """A catalog at one source: its root folder and what can be read from it."""

    def __init__(self, root: Path, source: Source, use_cache: bool = True) -> None:
        self.root = root
        self.source = source
        self.use_cache = use_cache

    @cached_property
    def store(self) -> cache.Store:
        """The result cache (docs/cache.md); one that keeps nothing when off."""
        from catalogctl.load import cached

        return cached.open_store(self.root, self.use_cache and cache.enabled())

    @cached_property
    def schema_ref(self) -> SchemaRef:
        """The source's own schemas, else the ones shipped with the tool; not
        compiled until a file needs validating."""
        try:
            texts = self.source.schema_texts()
        except SourceError as error:
            raise UsageError(str(error)) from None
        if texts:
            return SchemaRef.of(texts)
        bundled = bundled_texts()
        if not bundled:
            raise UsageError(f"no *{SCHEMA_SUFFIX} files in {bundled_dir()}")
        return SchemaRef.of(bundled)

    @cached_property
    def schemas(self) -> SchemaSet:
        """The compiled schemas of `schema_ref`."""
        try:
            return self.schema_ref.compiled()
        except SchemaLoadError as error:
            raise UsageError(str(error)) from None

    def policy(self) -> Policy:
        try:
            return policy_at(self.source)
        except SourceError as error:
            raise UsageError(str(error)) from None

    def catalog(self, jobs: int = 1) -> Catalog:
        try:
            return load_catalog(self.source, jobs, self.store)
        except SourceError as error:
            raise UsageError(str(error)) from None

    def references(self, jobs: int = 1, bases: Iterable[Source] = ()) -> Lookup:
        """What impact and the reviewer signals read of the catalog: the
        tree's reference index from the result cache, made from the first
        kept index of `bases` (the diff's base) and the files that differ
        from it (docs/cache.md); the whole catalog when the cache is off."""
        if not self.store.enabled:
            return self.catalog(jobs)
        from catalogctl.model import refstore

        try:
            return refstore.lookup(
                self.source, self.store, jobs, bases, lambda: self.catalog(jobs)
            )
        except SourceError as error:
            raise UsageError(str(error)) from None

    def check_policy(self, raw: bytes) -> LoadedFile:
        """A policy file's text checked against this workspace's schemas,
        through the result cache (no schema is compiled when it is known)."""
        from catalogctl.load import cached

        try:
            return cached.check_one(kinds.POLICY_FILE, raw, self.schema_ref, self.store, "Policy")
        except SchemaLoadError as error:
            raise UsageError(str(error)) from None

    def policy_text(self) -> bytes | None:
        try:
            return self.source.read(kinds.POLICY_FILE)
        except SourceError as error:
            raise UsageError(str(error)) from None

    def lint_summary(
        self, today: dt.date, jobs: int = 1, progress: Progress | None = None
    ) -> LintSummary:
        """What `catalogctl lint` reports; the last run's answer when nothing
        it depends on changed since."""
        from catalogctl.lint import engine

        try:
            return engine.summary(self.source, self.schema_ref, today, jobs, progress, self.store)
        except (SourceError, SchemaLoadError) as error:
            raise UsageError(str(error)) from None

    def lint(
        self,
        today: dt.date,
        jobs: int = 1,
        progress: Progress | None = None,
        *,
        judged_by: Workspace | None = None,
    ) -> LintResult:
        """Every check on every file, as `catalogctl lint` runs them; with
        `judged_by`, by that workspace's schemas and policy (the gate judges
        the head by the base's)."""
        from catalogctl.lint import engine

        judge = judged_by or self
        policy = judge.policy_text() if judged_by is not None else None
        try:
            return engine.lint(
                self.source,
                judge.schema_ref,
                today,
                jobs,
                progress,
                policy=policy,
                store=self.store,
            )
        except (SourceError, SchemaLoadError) as error:
            raise UsageError(str(error)) from None


def open_workspace(start: Path, ref: str | None = None, *, use_cache: bool = True) -> Workspace:
    """The catalog around `start`, at `ref` (a git ref) or in the working tree;
    `use_cache=False` neither reads nor writes the result cache."""
    root = find_root(start)
    try:
        source: Source = GitTree(root, ref) if ref is not None else WorkTree(root)
        if ref is not None and source.read(kinds.POLICY_FILE) is None:
            raise UsageError(f"{kinds.POLICY_FILE} does not exist at {ref}")
    except SourceError as error:
        raise UsageError(str(error)) from None
    return Workspace(root, source, use_cache)
