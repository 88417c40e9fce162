"""The reference index answers what a `Catalog` of the same files answers.

Built from the reference catalog (and from a catalog with duplicate and
look-alike ids), every `get` and `referrers_of` impact and the reviewer
signals use is compared with the `Catalog` the full load builds, and the
index survives its own encoding.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from catalogctl.load import cache, cached
from catalogctl.load.loader import MAX_FILE_BYTES
from catalogctl.load.sources import GitTree, WorkTree
from catalogctl.model import refstore
from catalogctl.model.entities import (
    Catalog,
    ChangeRequest,
    ConfigurationItem,
    Entity,
    Ref,
    Service,
    build_entity,
)
from catalogctl.model.impact import impact_of
from catalogctl.model.refindex import DamagedIndex, Guarded, TreeIndex
from catalogctl.model.workflow import risk
from catalogctl.workspace.workspace import load_catalog
from gitrepo import commit_at, git
from paths import REPO

NO_STORE = cache.Store(None, "")


def _facts(entity: Entity | None) -> tuple[object, ...] | None:
    """What impact, the signals and change risk read of an entity."""
    if entity is None:
        return None
    out: tuple[object, ...] = (type(entity), entity.kind, entity.id, entity.file, entity.name)
    out += (tuple(entity.references()), entity.owner, entity.spec.get("services"))
    if entity.kind in ("Team", "ChangeTemplate"):  # the gate reads more of these
        out += (dict(entity.spec),)
    if isinstance(entity, Service):
        out += (entity.tier, entity.lifecycle, entity.visibility, entity.depends_on, entity.cis)
    if isinstance(entity, ConfigurationItem):
        out += (entity.status, tuple(entity.relations))
    if isinstance(entity, ChangeRequest):
        out += (
            entity.spec.get("risk"),
            entity.state,
            entity.change_type,
            entity.target_services,
            entity.target_cis,
        )
    return out


def _index(root: Path) -> TreeIndex:
    """The index as `lint` keeps it, read back from its text."""
    source = WorkTree(root)
    identified = cached.identify(source, NO_STORE)
    loaded, _ = cached.check_source(source, None, 1, NO_STORE, identified=identified)
    entities = [e for r in loaded if r.data and (e := build_entity(r.path, r.data))]
    oids = {f.path: oid for f, oid in identified if oid is not None}
    text = refstore.encode("tree", TreeIndex.of(Catalog.build(entities), oids))
    assert refstore.decode(text, "another tree") is None
    index = refstore.decode(text, "tree")
    assert index is not None
    return index


def _assert_same(root: Path, probes: list[tuple[str, str]]) -> None:
    catalog = load_catalog(WorkTree(root), 1)
    index = _index(root)
    refs = {e.ref for e in catalog.entities} | {r.target for r in catalog.references}
    assert len(refs) > 3
    for ref in sorted(refs):
        assert index.referrers_of(ref) == catalog.referrers_of(ref), ref
        for kind in ("Service", "SLA", "ChangeRequest"):
            assert index.referrers_of(ref, kind) == catalog.referrers_of(ref, kind)
        assert _facts(index.get(*ref)) == _facts(catalog.get(*ref)), ref
    for kind, entity_id in probes:
        assert _facts(index.get(kind, entity_id)) == _facts(catalog.get(kind, entity_id))
    for entity in catalog.entities:
        assert impact_of(index, [entity.ref]) == impact_of(catalog, [entity.ref])
        if isinstance(entity, ChangeRequest):
            kept = index.get(entity.kind, entity.id)
            assert isinstance(kept, ChangeRequest)
            assert risk(kept, index) == risk(entity, catalog), entity.ref


def test_the_reference_catalog_is_answered_alike() -> None:
    _assert_same(REPO, [("Service", "PAYROLL"), ("Service", "nope"), ("Nope", "payroll")])


SERVICE = """\
apiVersion: catalogctl/v1
kind: Service
metadata:
  id: {id}
spec:
  owner: ops
  tier: {tier}
  dependsOn: [{deps}]
"""


def test_duplicate_and_look_alike_ids_resolve_as_the_catalog_does(tmp_path: Path) -> None:
    (tmp_path / "catalogctl.yaml").write_text("apiVersion: catalogctl/v1\nkind: Policy\n")
    folder = tmp_path / "catalog" / "services"
    folder.mkdir(parents=True)
    # `a-first` and `b-second` both say id `core`: the first file's wins
    for name, entity_id, tier, deps in (
        ("a-first", "core", 1, ""),
        ("b-second", "core", 4, "edge"),
        ("edge", "edge", 2, "Core"),
        ("upper", "Straße", 3, "core"),
        ("user", "user", 3, "strasse, ghost"),
    ):
        text = SERVICE.format(id=entity_id, tier=tier, deps=deps)
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    (folder / "broken.yaml").write_text("kind: [\n", encoding="utf-8")
    _assert_same(tmp_path, [("Service", "CORE"), ("Service", "strasse"), ("Service", "Straße")])
    index = _index(tmp_path)
    core = index.get("Service", "core")
    assert isinstance(core, Service) and core.tier == 1 and core.file.endswith("a-first.yaml")
    # the duplicate's reference still counts, as in the catalog
    assert [str(r.source) for r in index.referrers_of(Ref("Service", "edge"))] == ["Service/core"]


def test_an_entry_that_is_not_ours_is_never_an_answer() -> None:
    document = {"kind": "Service", "metadata": {"id": "a"}, "spec": {"owner": "ops"}}
    entity = build_entity("a.yaml", document)
    assert entity is not None
    text = refstore.encode("tree", TreeIndex.of(Catalog.build([entity]), {"a.yaml": "ab"}))
    asks: list[Callable[[TreeIndex], object]] = [
        lambda index: index.get("Service", "a"),
        lambda index: index.files(),
        lambda index: index.referrers_of(Ref("Team", "ops")),
    ]
    for damage, ask in zip(
        (('"a.yaml","a"', '7,"a"'), ('"Service","a"]', '"Nope","a"]'), ('["spec",', "[true,")),
        asks,
        strict=True,
    ):
        assert damage[0] in text
        index = refstore.decode(text.replace(*damage), "tree")
        assert index is not None  # entries are decoded when asked for
        with pytest.raises(DamagedIndex):
            ask(index)
    assert refstore.decode(text.replace(refstore.FIELD, ""), "tree") is None
    assert refstore.decode(text.replace(refstore.HEADER, "catalogctl-index 1"), "tree") is None
    broken = refstore.decode(text.replace('"a.yaml","a"', '7,"a"'), "tree")
    assert broken is not None
    rebuilt = Guarded(broken, lambda: load_catalog(WorkTree(REPO), 1))
    assert rebuilt.get("Service", "a") is None  # the damaged entry: asked of the catalog
    assert rebuilt.get("Service", "payroll") is not None  # which answers from then on


def test_a_kept_entity_is_built_from_the_facts_it_needs() -> None:
    spec = {
        "owner": "ops",
        "plan": "long prose that impact never reads",
        "support": {"hours": "24x7", "email": "x@example.com"},
        "relations": [{"type": "runs-on", "target": "h", "note": "n"}, "junk"],
    }
    entity = build_entity(
        "c.yaml", {"kind": "ConfigurationItem", "metadata": {"id": "c"}, "spec": spec}
    )
    assert entity is not None
    index = TreeIndex.of(Catalog.build([entity]), {"c.yaml": "cd"})
    kept = index.get("ConfigurationItem", "c")
    assert kept is not None
    assert "plan" not in kept.spec
    assert kept.spec["support"] == {"hours": "24x7"}
    assert isinstance(kept, ConfigurationItem) and kept.relations == entity.relations
    assert tuple(kept.references()) == tuple(entity.references())


def test_a_git_tree_is_named_alike_without_asking_git_for_sizes(tmp_path: Path) -> None:
    """The quick listing of a commit names the same tree as the full one,
    refusals included; a file refused only for its size makes the names
    differ (a miss), never match."""
    files = {
        "catalogctl.yaml": "apiVersion: catalogctl/v1\nkind: Policy\n",
        "catalog/services/a.yaml": SERVICE.format(id="a", tier=1, deps=""),
        "catalog/services/.gitkeep": "",
        "catalog/cis/.gitkeep": "not empty",
        "catalog/.hidden/b.yaml": SERVICE.format(id="b", tier=1, deps=""),
        "catalog/services/notes.txt": "not catalog data",
        "changes/2026/.draft.yaml": "kind: ChangeRequest\n",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    (tmp_path / "catalog/services/link.yaml").symlink_to("a.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    commit_at(tmp_path, "2026-03-01T12:00:00+00:00")

    def names(tree: GitTree) -> tuple[str, str]:
        full = [(f.path, oid) for f, oid in cached.identify(tree, NO_STORE)]
        return refstore.listing_key(tree.quick_pairs()), refstore.listing_key(full)

    quick, full = names(GitTree(tmp_path, "HEAD"))
    assert quick == full
    assert len(GitTree(tmp_path, "HEAD").quick_pairs()) == 5  # a, link, hidden x3
    (tmp_path / "catalog/services/big.yaml").write_text("x" * (MAX_FILE_BYTES + 1))
    commit_at(tmp_path, "2026-03-02T12:00:00+00:00")
    quick, full = names(GitTree(tmp_path, "HEAD"))
    assert quick != full


def test_an_id_that_would_break_the_index_apart_is_never_written() -> None:
    for bad in ("a\x1fb", "a\x1eb", "a\tb", "a\nb"):
        entity = build_entity("a.yaml", {"kind": "Service", "metadata": {"id": bad}, "spec": {}})
        assert entity is not None
        assert (
            refstore.encode("tree", TreeIndex.of(Catalog.build([entity]), {"a.yaml": "ab"})) is None
        )
