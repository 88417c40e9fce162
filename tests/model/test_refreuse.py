"""An index made from the last one written is the index a fresh encoding writes.

Each case edits a copy of the reference catalog (or a catalog of duplicate
ids) the way a pull request would, then compares, byte for byte, the index
text made by taking the old index's entries over with the text of a fresh
encoding, and checks that entries were indeed taken over.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from catalogctl.load import cache, cached
from catalogctl.load.sources import WorkTree
from catalogctl.model import refreuse, refstore
from catalogctl.model.entities import Catalog, build_entity
from catalogctl.model.refindex import DamagedIndex, TreeIndex
from paths import REPO

NO_STORE = cache.Store(None, "")


def _tree(root: Path) -> tuple[Catalog, dict[str, str]]:
    source = WorkTree(root)
    identified = cached.identify(source, NO_STORE)
    loaded, _ = cached.check_source(source, None, 1, NO_STORE, identified=identified)
    entities = [e for r in loaded if r.data and (e := build_entity(r.path, r.data))]
    return Catalog.build(entities), {f.path: oid for f, oid in identified if oid is not None}


def _written(root: Path) -> TreeIndex:
    """The index of `root` as the cache holds it: text entries."""
    catalog, oids = _tree(root)
    index = refstore.decode(refstore.encode("old", TreeIndex.of(catalog, oids)) or "", "old")
    assert index is not None
    return index


def _compare(root: Path, prior: TreeIndex) -> tuple[int, int]:
    """Assert reuse writes what a fresh encoding writes; (entries taken over
    as text, entries in all)."""
    catalog, oids = _tree(root)
    reused = refreuse.made_from(catalog, oids, prior, refstore._dump)
    assert refstore.encode("new", reused) == refstore.encode("new", TreeIndex.of(catalog, oids))
    values = [*reused.entities.values(), *reused.referrers.values()]
    return sum(isinstance(v, str) for v in values), len(values)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _payroll(root: Path) -> Path:
    return root / "catalog/services/hr/payroll.yaml"


def _dependency_moved(root: Path) -> None:  # a service drops one dependency, gains another
    _replace(_payroll(root), "    - hr-core\n", "    - identity-sso\n")


def _service_removed(root: Path) -> None:  # what others depend on
    (root / "catalog/services/security/identity-sso.yaml").unlink()


def _owner_changed(root: Path) -> None:
    _replace(_payroll(root), "owner: ", "owner: x")


def _file_renamed(root: Path) -> None:  # same bytes, another path: another entry
    _payroll(root).rename(_payroll(root).with_name("zz-payroll.yaml"))


def _duplicate_added(root: Path) -> None:  # an earlier file now wins the id
    text = _payroll(root).read_text(encoding="utf-8")
    _payroll(root).with_name("a-payroll-copy.yaml").write_text(
        text.replace("tier: ", "tier: 4\n  # was: "), encoding="utf-8"
    )


EDITS: dict[str, Callable[[Path], None]] = {
    "dependency": _dependency_moved,
    "removed": _service_removed,
    "owner": _owner_changed,
    "duplicate": _duplicate_added,
    "renamed": _file_renamed,  # last: the others edit the file by its name
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_index_made_from_the_last_is_what_a_fresh_one_writes(edit: str, tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(REPO / "catalog", root / "catalog")
    shutil.copy(REPO / "catalogctl.yaml", root / "catalogctl.yaml")
    prior = _written(root)
    EDITS[edit](root)
    taken, total = _compare(root, prior)
    assert 0 < taken < total  # most kept, and the edit re-encoded


def test_every_edit_at_once_and_back_again(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(REPO / "catalog", root / "catalog")
    shutil.copy(REPO / "catalogctl.yaml", root / "catalogctl.yaml")
    original = _written(root)
    for edit in EDITS.values():
        edit(root)
    edited = _written(root)
    _compare(root, original)
    shutil.rmtree(root / "catalog")
    shutil.copytree(REPO / "catalog", root / "catalog")
    taken, total = _compare(root, edited)  # the way back: every edit undone
    assert taken > 0
    assert _compare(root, original) == (total, total)  # nothing differs: all taken over


def test_a_damaged_file_list_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(REPO / "catalog", root / "catalog")
    prior = _written(root)
    damaged = TreeIndex("{not json", prior.entities, prior.referrers)
    catalog, oids = _tree(root)
    with pytest.raises(DamagedIndex):
        refreuse.made_from(catalog, oids, damaged, refstore._dump)


def test_lint_after_an_edit_keeps_the_index_a_fresh_run_keeps(tmp_path: Path) -> None:
    """Through the cache as `lint` uses it: the index written after an edit,
    with the last tree's index at hand, is the one written without it."""
    root = tmp_path / "catalog"
    shutil.copytree(REPO / "catalog", root / "catalog")
    shutil.copy(REPO / "catalogctl.yaml", root / "catalogctl.yaml")
    warm = cache.Store(tmp_path / "warm", "build")
    _saved(root, warm)
    _dependency_moved(root)
    _duplicate_added(root)
    assert _saved(root, warm)[1] == _saved(root, cache.Store(tmp_path / "cold", "build"))[1]


def _saved(root: Path, store: cache.Store) -> tuple[str, str]:
    """(key, text) of the index `lint` keeps of `root` through `store`."""
    identified = cached.identify(WorkTree(root), store)
    catalog, _ = _tree(root)
    refstore.save(store, identified, catalog)
    key = refstore.listing_key([(f.path, oid) for f, oid in identified])
    kept = store.get_run(key, cache.GRAPHS)
    assert kept is not None
    return key, kept[0]


@pytest.mark.parametrize(
    "path", ["catalog/a.yaml", "catalog/Straße.yaml", 'catalog/"q".yaml', "catalog/b\\c.yaml"]
)
def test_an_entry_opens_with_its_path_as_json_writes_it(path: str) -> None:
    expected = refstore._dump([path])[:-1] + ","
    assert refreuse._opening(path, refstore._dump) == expected


def test_an_index_streamed_from_the_catalog_is_its_encoding(tmp_path: Path) -> None:
    """A first lint writes the index entry by entry from the catalog: the file
    holds exactly the text `encode` makes of the whole index."""
    key, text = _saved(REPO, cache.Store(tmp_path, "build"))
    catalog, oids = _tree(REPO)
    assert text == refstore.encode(key, TreeIndex.of(catalog, oids))


@pytest.mark.parametrize("count", [0, 1, 2000, 2001, 4500])
def test_the_file_list_written_in_slices_is_one_json_object(count: int) -> None:
    rows = [(f"catalog/f{n}.yaml", [f"{n:040x}"]) for n in range(count)]
    text = "".join(refstore._pieces("tree", rows, [], []))
    head = refstore.HEADER + refstore.RECORD + "tree" + refstore.RECORD
    assert text == head + refstore._dump(dict(rows))
