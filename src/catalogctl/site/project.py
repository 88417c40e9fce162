"""The MkDocs project a site build runs: the template, its checks, the generated pages.

`prepare` lints the catalog and writes the MkDocs project (the `site/`
template, or the one shipped with the tool, plus the generated pages) into a
build folder; `build` and `serve` both start from it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from catalogctl.csi import kpis
from catalogctl.load.bundled import site_template_dir
from catalogctl.load.diagnostics import Severity
from catalogctl.load.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from catalogctl.load.sources import SourceError
from catalogctl.load.textsafe import visible
from catalogctl.load.workers import Progress
from catalogctl.model.entities import Catalog
from catalogctl.site import build as sitebuild
from catalogctl.site import html as sitehtml
from catalogctl.workspace.workspace import open_workspace

TEMPLATE_DIR = "site"


def bundled_template() -> Path:
    """The site template shipped with the tool: inside the wheel, or the checkout's."""
    return site_template_dir()


MARKER = ".catalogctl-site"  # written into every output folder we build
CONFIG_NAME = "catalogctl-mkdocs.yml"
QUIET_SECONDS = 3.0  # a lint at least this long is followed by a stage line
PLUGIN = "catalogctl"  # siteplugin.CatalogPlugin, under the mkdocs.plugins entry point


# MkDocs reads mkdocs.yml with PyYAML's full loader, where `!!python/object`
# and friends run code. MkDocs' own tags and `!!python/name:` (a reference to
# an installed function, as Material's configuration uses) are all a site
# needs; anything else is refused before MkDocs sees the file.
_MKDOCS_TAGS = ("!ENV", "!relative", "tag:yaml.org,2002:python/name:")
_STANDARD_TAG = "tag:yaml.org,2002:"


def _unsafe_tag(node: yaml.Node) -> yaml.Node | None:
    """The first node whose explicit tag is neither YAML's own nor MkDocs'."""
    stack = [node]
    while stack:
        current = stack.pop()
        tag = current.tag or ""
        standard = tag.startswith(_STANDARD_TAG) and not tag.startswith(_STANDARD_TAG + "python/")
        if not (standard or tag.startswith(_MKDOCS_TAGS)):
            return current
        if isinstance(current, yaml.MappingNode):
            stack += [part for pair in reversed(current.value) for part in reversed(pair)]
        elif isinstance(current, yaml.SequenceNode):
            stack += reversed(current.value)
    return None


def plugin_names(config_file: Path) -> list[str]:
    """The plugins an mkdocs.yml enables (MkDocs' default is `search` alone).

    Refuses a configuration whose tags would run code when MkDocs loads it."""
    try:
        root = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise UsageError(f"{config_file}: cannot read the MkDocs configuration: {error}") from None
    bad = _unsafe_tag(root) if root is not None else None
    if bad is not None:
        mark = bad.start_mark
        raise UsageError(
            f"{config_file}:{mark.line + 1}:{mark.column + 1}: the tag {bad.tag} would run "
            "code when MkDocs reads the file; remove it (only !ENV, !relative and "
            "!!python/name: are allowed)"
        )
    data = _plain(root)
    plugins = data.get("plugins", ["search"]) if isinstance(data, dict) else ["search"]
    if isinstance(plugins, dict):
        return [str(name) for name in plugins]
    if not isinstance(plugins, list):
        return []
    names = []
    for item in plugins:
        if isinstance(item, dict):
            names += [str(name) for name in item]
        else:
            names.append(str(item))
    return names


def _plain(node: yaml.Node | None) -> object:
    """Scalars as their text, mappings and sequences as dicts and lists: enough
    to read plugin names without constructing any tag."""
    if isinstance(node, yaml.MappingNode):
        return {str(_plain(k)): _plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item) for item in node.value]
    return node.value if isinstance(node, yaml.ScalarNode) else None


def prepare(
    root: Path,
    build_dir: Path,
    *,
    internal: bool,
    strict: bool,
    now: dt.datetime,
    jobs: int = 1,
    progress: Progress | None = None,
    pages: Progress | None = None,
    stage: Callable[[str], None] | None = None,
) -> int:
    """Lint the catalog and write the MkDocs project into `build_dir`.

    Returns EXIT_OK, or EXIT_FINDINGS (with the findings on stderr) when the
    catalog has errors, or warnings under `strict`: a site is not built from
    a catalog that does not lint. `stage` hears the step, `progress` the
    files checked, `pages` the pages generated."""
    # The template is checked first: a mistake in it is said at once, in one
    # line, not after a long lint.
    workspace = open_workspace(root)
    workspace_root = workspace.root
    template = workspace_root / TEMPLATE_DIR
    if not (template / "mkdocs.yml").is_file():
        template = bundled_template()  # the catalog has no site/ of its own: the tool's
    if not (template / "mkdocs.yml").is_file():
        raise UsageError(
            f"{TEMPLATE_DIR}/mkdocs.yml not found in {workspace_root} nor in the installed "
            "tool: the site needs the MkDocs project template (see docs/site.md)"
        )
    if PLUGIN not in plugin_names(template / "mkdocs.yml"):
        # The generated pages are HTML that only the plugin hands to the theme as is.
        raise UsageError(
            f"{template / 'mkdocs.yml'}: `plugins` must include `- {PLUGIN}` (the generated "
            "pages need it); see docs/site.md"
        )
    if stage:
        stage("loading and checking the catalog")
    started = time.monotonic()
    result = workspace.lint(now.date(), jobs, progress)
    blocking = [
        d
        for d in result.diagnostics
        if d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING)
    ]
    if blocking:
        for d in blocking[:20]:
            print(visible(f"{d.file}:{d.line}:{d.column}: {d.message} [{d.rule}]"), file=sys.stderr)
        more = f" (+{len(blocking) - 20} more)" if len(blocking) > 20 else ""
        print(
            f"catalogctl: site not built: {len(blocking)} lint finding(s){more}; "
            "run `catalogctl lint` and fix them first",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    if stage and time.monotonic() - started >= QUIET_SECONDS:
        # The checks across files end silently; after a long lint, say the
        # next step has begun (a short one prints what it always printed).
        stage("generating the pages")
    shutil.copytree(template, build_dir, dirs_exist_ok=True, symlinks=False)
    docs = build_dir / "docs"
    docs.mkdir(exist_ok=True)
    extra_nav = [{"About": "about.md"}] if (docs / "about.md").is_file() else []
    files = sitebuild.generate(
        result.catalog,
        result.policy,
        internal=internal,
        now=now,
        diagnostics=result.diagnostics,
        extra_nav=extra_nav,
        report=_report(workspace.root, result.catalog, now) if internal else None,
        progress=pages,
    )
    said = time.monotonic()
    for number, (relative, page) in enumerate(files.pages.items(), 1):
        target = docs / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        # Thousands of files take seconds on a slow disk (4 s for 6,544).
        if stage and number % 200 == 0 and time.monotonic() - said >= QUIET_SECONDS:
            stage(f"wrote {number:,}/{len(files.pages):,} pages")
            said = time.monotonic()
    for relative, data in files.files.items():
        (docs / relative).write_bytes(data)
    site = result.policy.site
    config: dict[str, object] = {
        "INHERIT": "mkdocs.yml",
        "site_name": sitehtml.title_text(site.get("title") or "IT Service Catalog"),
        "docs_dir": "docs",
        "nav": files.nav,
        # The generated pages link to final URLs of this layout (sitehtml.url_of).
        "use_directory_urls": True,
        # Service and SLA pages are reached from category and index pages.
        "not_in_nav": "/services/*/*.md\n/slas/*.md\n",
        "extra": {"catalog_internal": internal},
    }
    if isinstance(site.get("url"), str):
        config["site_url"] = site["url"]
    # JSON is YAML: no value from the catalog can become a YAML tag or key here.
    (build_dir / CONFIG_NAME).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return EXIT_OK


def _report(root: Path, catalog: Catalog, now: dt.datetime) -> kpis.Report | None:
    """The KPIs of `catalogctl report` (default period) for the internal edition;
    None, with a warning, when git cannot be read: the site still builds."""
    try:
        return kpis.build_report(root, catalog, None, None, now.date())
    except SourceError as error:
        print(f"catalogctl: warning: no change KPIs on the site: {error}", file=sys.stderr)
        return None


def mkdocs_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]


# The catalog's own folders. Building a site replaces --out as a whole, so
# --out is never one of them, nor inside one, whatever marker it holds.
