"""The plugin's shortcuts: generated pages outside the nav share the
navigation and tabs Material rendered for the first page of their folder
(site/navcache.py), and generated pages are indexed for search without
HTMLParser (site/searchindex.py). The site, search index included, must be
byte for byte the one MkDocs and Material write without them."""

from __future__ import annotations

import filecmp
from collections import Counter
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page
from test_site import NOW, copy_catalog

from catalogctl.model.entities import parse_instant
from catalogctl.site import navcache, searchindex
from catalogctl.site import project as siteproject
from catalogctl.site.plugin import CatalogPlugin


def _mkdocs(build_dir: Path, out: Path) -> CatalogPlugin:
    """The MkDocs build `site build` runs in its child, in this process."""
    config = load_config(str(build_dir / siteproject.CONFIG_NAME), site_dir=str(out))
    build(config)
    plugin = config.plugins["catalogctl"]
    assert isinstance(plugin, CatalogPlugin)
    return plugin


def _differences(left: Path, right: Path) -> list[str]:
    found: list[str] = []
    stack = [filecmp.dircmp(left, right)]
    while stack:
        compared = stack.pop()
        found += compared.left_only + compared.right_only + compared.diff_files
        # dircmp compares sizes and times only when told to read: read them all.
        _, mismatch, errors = filecmp.cmpfiles(
            compared.left, compared.right, compared.common_files, shallow=False
        )
        found += mismatch + errors
        stack += compared.subdirs.values()
    return found


@pytest.mark.parametrize(
    ("internal", "prune"),
    [(False, True), (True, True), (False, False)],
    ids=["public", "internal", "public-unpruned"],
)
def test_shortcuts_build_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, internal: bool, prune: bool
) -> None:
    root = copy_catalog(tmp_path / "repo")
    if not prune:
        # A site owner may drop the pruning: then every page's nav lists the
        # category pages, with links that differ from folder to folder.
        config = root / "site" / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        assert "    - navigation.prune\n" in text
        config.write_text(text.replace("    - navigation.prune\n", ""), encoding="utf-8")
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    now = parse_instant(NOW)
    assert now is not None
    assert siteproject.prepare(root, build_dir, internal=internal, strict=True, now=now) == 0
    # Several service pages in one folder and several folders: what sharing
    # must get right (links to the nav are relative to each page's folder).
    folders = Counter(p.parent for p in (build_dir / "docs" / "services").glob("*/*.md"))
    folders.pop(build_dir / "docs" / "services", None)
    assert len(folders) > 2 and max(folders.values()) > 2, folders

    indexed: list[bool] = []
    fast_index = searchindex.index

    def counted(search_index: object, lean: str, page: object) -> bool:
        indexed.append(fast_index(search_index, lean, page))  # type: ignore[arg-type]
        return indexed[-1]

    monkeypatch.setattr(searchindex, "index", counted)
    shared = _mkdocs(build_dir, tmp_path / "shared").shared_parts
    assert shared.reused > shared.rendered > 0
    assert indexed and all(indexed)  # every generated page took the short way

    monkeypatch.setattr(navcache.SharedParts, "wrap", lambda self, env: None)
    monkeypatch.setattr(searchindex, "material_index", lambda config: None)
    indexed.clear()
    alone = _mkdocs(build_dir, tmp_path / "alone").shared_parts
    assert alone.reused == alone.rendered == 0
    assert indexed == []

    assert _differences(tmp_path / "shared", tmp_path / "alone") == []
    assert sum(1 for _ in (tmp_path / "shared").rglob("*.html")) > sum(folders.values())


def test_a_lean_copy_with_other_markup_is_left_to_the_search_plugin(tmp_path: Path) -> None:
    """Anything but text, headings and paragraphs: nothing indexed, False."""
    from material.plugins.search.plugin import SearchIndex

    root = copy_catalog(tmp_path / "repo")
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    now = parse_instant(NOW)
    assert now is not None
    assert siteproject.prepare(root, build_dir, internal=False, strict=True, now=now) == 0
    config = load_config(str(build_dir / siteproject.CONFIG_NAME))
    files = get_files(config)
    page = Page("Payroll", files.get_file_from_path("index.md"), config)
    page.read_source(config)
    index = SearchIndex(lang=["en"], separator="", pipeline=[], fields={})
    for lean in ('<h2 id="a">A</h2><div>b</div>', "<p>a < b</p>", '<h2 id=a>A</h2>'):
        assert searchindex.index(index, lean, page) is False
    assert index.entries == []
    assert searchindex.index(index, '<h2 id="a">A &amp; B</h2>\n<p>c</p>', page) is True
    assert [e["title"] for e in index.entries][-1] == "A &amp; B"
