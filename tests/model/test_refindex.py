"""The reference index answers what a `Catalog` of the same files answers.

Built from the reference catalog (and from a catalog with duplicate and
look-alike ids), every `get` and `referrers_of` impact and the reviewer
signals use is compared with the `Catalog` the full load builds, and the
index survives its own encoding.
"""

from __future__ import annotations

from pathlib import Path

from catalogctl.load import cache, cached
from catalogctl.load.sources import WorkTree
from catalogctl.model import refstore
from catalogctl.model.entities import (
    ChangeRequest,
    ConfigurationItem,
    Entity,
    Ref,
    Service,
    build_entity,
)
from catalogctl.model.impact import impact_of
from catalogctl.model.refindex import IndexedCatalog, record_of
from catalogctl.model.workflow import risk
from catalogctl.workspace.workspace import load_catalog
from paths import REPO

NO_STORE = cache.Store(None, "")


def _facts(entity: Entity | None) -> tuple[object, ...] | None:
    """What impact, the signals and change risk read of an entity."""
    if entity is None:
        return None
    out: tuple[object, ...] = (type(entity), entity.kind, entity.id, entity.file, entity.name)
    out += (tuple(entity.references()), entity.owner, entity.spec.get("services"))
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


def _index(root: Path) -> IndexedCatalog:
    source = WorkTree(root)
    identified = cached.identify(source, NO_STORE)
    loaded, _ = cached.check_source(source, None, 1, NO_STORE, identified=identified)
    files = refstore.decode(refstore.encode(refstore.files_of(identified, loaded)))
    assert files is not None
    return IndexedCatalog({p: r for p, (_, r) in files.items() if r is not None})


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


def test_a_record_that_is_not_ours_is_no_index() -> None:
    good = refstore.encode({"a.yaml": ("ab", ("Service", "a", "A", {}, []))})
    assert refstore.decode(good) is not None
    for text in (
        good.replace('"Service"', '"Nope"'),
        good.replace('"format":1', '"format":2'),
        good.replace("[]]]", '[["x"]]]]'),
        good[:-3],
        "[]",
    ):
        assert refstore.decode(text) is None, text


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
    kept = IndexedCatalog({"c.yaml": record_of(entity)}).get("ConfigurationItem", "c")
    assert kept is not None
    assert "plan" not in kept.spec
    assert kept.spec["support"] == {"hours": "24x7"}
    assert isinstance(kept, ConfigurationItem) and kept.relations == entity.relations
    assert tuple(kept.references()) == tuple(entity.references())
