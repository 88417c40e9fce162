"""The floor of bench_site.py: a plain MkDocs Material site of trivial pages.

For every catalog site the benchmark builds, a site of the same number of
pages in which every page is a heading and a paragraph of Markdown, built by
``python -m mkdocs build`` with this repository's ``site/`` template (the same
``mkdocs.yml``: Material with the same features and palette, the ``search``
plugin, the ``catalogctl`` plugin, which leaves Markdown pages alone, the same
Markdown extensions, CSS and JavaScript). Its per-page cost above its own
smallest site is what a page costs MkDocs and Material at the least; the
catalog site's cost per page above its empty site is reported as a ratio of it.

The trivial pages are outside the navigation (``not_in_nav``), as the
catalog's service and SLA pages are; the navigation holds the home page and
the template's About page. Both builds use the same interpreter.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from benchcli import BenchError
from measure import Run, run_child
from site_catalogs import TEMPLATE, count_pages

CONFIG = "trivial-mkdocs.yml"
WORDS = (
    "This page is part of a plain site used as the floor of the site benchmark: "
    "one heading and one paragraph of ordinary words, nothing else."
)


def prepare_trivial(work: Path, pages: int) -> Path:
    """A MkDocs project that builds `pages` HTML files (404.html included)."""
    root = work / f"trivial-{pages}"
    shutil.copytree(TEMPLATE, root)
    docs = root / "docs"
    (docs / "index.md").write_text("# Home\n\n" + WORDS + "\n", encoding="utf-8")
    # index, about and 404 are three of the pages; the rest are trivial ones.
    extra = pages - 3
    if extra < 0:
        raise BenchError(f"a trivial site of {pages} pages is smaller than its home and 404")
    folder = docs / "p"
    folder.mkdir()
    for number in range(1, extra + 1):
        (folder / f"page-{number:05d}.md").write_text(
            f"# Page {number}\n\n{WORDS}\n", encoding="utf-8"
        )
    config = {
        "INHERIT": "mkdocs.yml",
        "site_name": "Trivial site",
        "docs_dir": "docs",
        "nav": [{"Home": "index.md"}, {"About": "about.md"}],
        "use_directory_urls": True,
        "not_in_nav": "/p/*.md\n",
    }
    (root / CONFIG).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return root


def build_trivial(python: str, root: Path, pages: int) -> Run:
    """One timed `mkdocs build --strict` of a trivial site; checks its page count."""
    out = root.parent / f"{root.name}-out"
    if out.exists():
        shutil.rmtree(out)
    argv = [python, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(root / CONFIG)]
    run = run_child([*argv, "-d", str(out)], root)
    if run.exit_code != 0:
        raise BenchError(f"trivial site of {pages} pages failed:\n{run.stderr[-4000:]}")
    built = count_pages(out)
    shutil.rmtree(out)
    if built != pages:
        raise BenchError(f"the trivial site built {built} pages, not {pages}")
    return run
