"""Which `metadata.links` the site publishes (docs/site.md, "Links").

The public site shows only links customers may follow (`docs`, `status`,
`support`, `website`, `request`); runbooks, dashboards, repositories, alerts
and links of any other, unknown or missing type stay internal, unless
`site.links` in catalogctl.yaml moves a type. The internal site shows every
link. Real MkDocs builds of the reference catalog (a public and an internal
one shared by the module, a third with an override) check every output file;
the unknown-type case uses `generate()`, since the bundled schema refuses
unknown types (a catalog's own schemas may allow more).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_site import article, copy_catalog, load, page, site

from catalogctl.cli import main
from catalogctl.model.entities import Catalog, Entity, build_entity
from catalogctl.model.policy import Policy, read_policy
from catalogctl.site import build as sitebuild

# The rule, written out independently of the code under test.
PUBLIC_TYPES = {"docs", "status", "support", "website", "request"}
UNTYPED = {"title": "Payroll admin console", "url": "https://payroll-admin.northwind.example/"}
OVERRIDE = "  links: {runbook: public, docs: internal, other: public}\n"


def add_untyped_link(root: Path) -> None:
    """A link without `type` on a public, live service (the schema allows it)."""
    service = root / "catalog/services/hr/payroll.yaml"
    text = service.read_text(encoding="utf-8")
    entry = f'    - title: {UNTYPED["title"]}\n      url: "{UNTYPED["url"]}"\n'
    service.write_text(text.replace("  links:\n", "  links:\n" + entry, 1), encoding="utf-8")


def set_site_links(root: Path, line: str) -> None:
    policy = root / "catalogctl.yaml"
    text = policy.read_text(encoding="utf-8")
    anchor = "  organisation: Northwind Logistics\n"
    assert anchor in text
    policy.write_text(text.replace(anchor, anchor + line, 1), encoding="utf-8")


def catalog_links(root: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, id, link) for every link of every catalog entity."""
    found = []
    for file in sorted((root / "catalog").rglob("*.yaml")):
        data = load(file)
        meta = data["metadata"]
        assert isinstance(meta, dict)
        for link in meta.get("links") or []:
            found.append((str(data["kind"]), str(meta["id"]), link))
    return found


def is_public(link: dict[str, Any], overrides: dict[str, str] | None = None) -> bool:
    kind = link.get("type") or "other"
    if overrides and kind in overrides:
        return overrides[kind] == "public"
    return kind in PUBLIC_TYPES


def output_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file() and not p.name.endswith(".gz")]


def urls_found(out: Path, urls: set[str]) -> dict[str, list[str]]:
    """url -> the output files it appears in (as it is or HTML-escaped)."""
    if not urls:
        return {}
    alternatives = "|".join(re.escape(u) for u in sorted(urls, key=len, reverse=True))
    pattern = re.compile(f"({alternatives})" + r"(?![\w/.%~-])")  # not a longer URL's start
    found: dict[str, list[str]] = {}
    for file in output_files(out):
        text = file.read_text(encoding="utf-8", errors="replace")
        for match in {m.group(1) for m in pattern.finditer(text + "\n" + html.unescape(text))}:
            found.setdefault(match, []).append(file.relative_to(out).as_posix())
    return found


def service_links(out: Path) -> dict[str, list[dict[str, Any]]]:
    data = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    return {s["id"]: s["links"] for s in data["services"]}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(catalog root, public site, internal site) of the reference catalog
    with one untyped link added."""
    base = tmp_path_factory.mktemp("links")
    root = copy_catalog(base / "repo")
    add_untyped_link(root)
    public, internal = base / "public", base / "internal"
    code, output = site(root, "--out", str(public), "--strict")
    assert code == 0, output
    code, output = site(root, "--out", str(internal), "--internal", "--strict")
    assert code == 0, output
    return root, public, internal


def test_public_build_publishes_no_internal_link_anywhere(
    built: tuple[Path, Path, Path],
) -> None:
    root, public, _ = built
    links = catalog_links(root)
    hidden = {lk["url"] for _, _, lk in links if not is_public(lk)}
    shown = {lk["url"] for _, _, lk in links if is_public(lk)}
    assert not hidden & shown  # else the scan below could not tell them apart
    assert len(hidden) > 20 and UNTYPED["url"] in hidden
    names = {p.relative_to(public).as_posix() for p in output_files(public)}
    assert {"search/search_index.json", "sitemap.xml", "catalog.json"} <= names
    leaks = urls_found(public, hidden)
    assert leaks == {}, f"internal links on the public site: {leaks}"
    # the customer links of published services are still there
    for url in (
        "https://status.northwind.example",  # status
        "https://help.northwind.example",  # request
        "https://intranet.northwind.example",  # website
        "https://wiki.northwind.example/people/payroll-calendar",  # docs
    ):
        assert url in urls_found(public, {url}), url
    payroll = article(page(public, "services/human-resources/payroll"))
    assert "Payroll calendar" in payroll
    assert "Payroll runbook" not in payroll and UNTYPED["title"] not in payroll


def test_internal_build_shows_every_link_the_public_build_hides(
    built: tuple[Path, Path, Path],
) -> None:
    root, public, internal = built
    services = [(i, lk) for kind, i, lk in catalog_links(root) if kind == "Service"]
    hidden = {lk["url"] for _, lk in services if not is_public(lk)}
    assert {"https://wiki.northwind.example/it/runbooks/payroll", UNTYPED["url"]} <= hidden
    assert set(urls_found(internal, hidden)) == hidden
    assert set(urls_found(public, hidden)) == set()
    payroll = article(page(internal, "services/human-resources/payroll"))
    for title in ("Payroll runbook", "Payroll calendar", UNTYPED["title"]):
        assert title in payroll


def test_catalog_json_follows_the_same_rule(built: tuple[Path, Path, Path]) -> None:
    root, public, internal = built
    expected: dict[str, list[dict[str, Any]]] = {}
    for kind, service_id, link in catalog_links(root):
        if kind == "Service":
            expected.setdefault(service_id, []).append(
                {"title": link["title"], "url": link["url"], "type": link.get("type")}
            )
    exported = service_links(public)
    assert exported  # the public services
    for service_id, links in exported.items():
        assert links == [lk for lk in expected.get(service_id, []) if is_public(lk)], service_id
    assert exported["payroll"] == [
        {
            "title": "Payroll calendar",
            "url": "https://wiki.northwind.example/people/payroll-calendar",
            "type": "docs",
        }
    ]
    everything = service_links(internal)
    assert everything["payroll"][0] == {**UNTYPED, "type": None}
    for service_id, links in everything.items():
        assert links == expected.get(service_id, []), service_id


def test_the_policy_flips_a_link_type_both_ways(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    add_untyped_link(root)
    set_site_links(root, OVERRIDE)
    out = tmp_path / "public"
    code, output = site(root, "--out", str(out), "--strict")
    assert code == 0, output
    overrides = {"runbook": "public", "docs": "internal", "other": "public"}
    links = [lk for kind, _, lk in catalog_links(root) if kind == "Service"]
    hidden = {lk["url"] for lk in links if not is_public(lk, overrides)}
    assert urls_found(out, hidden) == {}
    payroll = article(page(out, "services/human-resources/payroll"))
    assert "Payroll runbook" in payroll  # runbook: public
    assert UNTYPED["title"] in payroll  # other (no type): public
    assert "Payroll calendar" not in payroll  # docs: internal
    assert "https://wiki.northwind.example/people/payroll-calendar" not in payroll
    exported = service_links(out)
    assert [lk["title"] for lk in exported["payroll"]] == [UNTYPED["title"], "Payroll runbook"]
    assert [lk["type"] for lk in exported["email-calendar"]] == ["status", "runbook"]
    # types the policy does not name keep the default: dashboards stay internal
    tms = exported["transport-management"]
    assert [lk["type"] for lk in tms] == ["runbook"]


def lint(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(root), "lint"])
    return result.exit_code, result.output


def test_the_schema_validates_site_links(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    set_site_links(root, OVERRIDE)
    code, output = lint(root)
    assert code == 0 and "site.links" not in output, output
    for bad, word in (
        ("  links: {runbook: secret}\n", "secret"),
        ("  links: {wiki: public}\n", "wiki"),
    ):
        other = copy_catalog(tmp_path / word)
        set_site_links(other, bad)
        code, output = lint(other)
        assert code == 1, output
        assert "catalogctl.yaml" in output and "site.links" in output and word in output


def test_read_policy_keeps_well_formed_overrides() -> None:
    policy = read_policy(
        {"site": {"links": {"runbook": "public", "docs": "internal", "status": "secret", "x": 1}}}
    )
    assert policy.site_links == {"runbook": "public", "docs": "internal"}
    assert Policy().site_links == {} and read_policy({"site": {}}).site_links == {}


# ---------------------------------------------------------------- generate()

NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.UTC)
LINKS: list[dict[str, str]] = [
    {"title": "Wiki page", "url": "https://wiki.example.com/unknown", "type": "wiki"},
    {"title": "Other thing", "url": "https://tools.example.com/other", "type": "other"},
    {"title": "No type", "url": "https://tools.example.com/untyped"},
    {"title": "Alerts", "url": "https://alerts.example.com/portal", "type": "alerts"},
    {"title": "Runbook", "url": "https://wiki.example.com/runbook", "type": "runbook"},
    {"title": "Dashboard", "url": "https://grafana.example.com/d/x", "type": "dashboard"},
    {"title": "Repository", "url": "https://git.example.com/portal", "type": "repository"},
    {"title": "Docs", "url": "https://docs.example.com/portal", "type": "docs"},
    {"title": "Status", "url": "https://status.example.com/", "type": "status"},
    {"title": "Support", "url": "https://support.example.com/", "type": "support"},
    {"title": "Website", "url": "https://portal.example.com/", "type": "website"},
    {"title": "Request", "url": "https://help.example.com/portal", "type": "request"},
]


def small_catalog() -> Catalog:
    """One public, live service with a link of every type, an unknown one and
    one without a type."""
    document = {
        "apiVersion": "catalogctl/v1",
        "kind": "Service",
        "metadata": {"id": "portal", "name": "Portal", "links": LINKS},
        "spec": {
            "owner": "ops",
            "type": "business",
            "lifecycle": "live",
            "tier": 2,
            "visibility": "public",
            "category": "General",
        },
    }
    entity: Entity | None = build_entity("catalog/services/portal.yaml", document)
    assert entity is not None
    return Catalog.build([entity], {})


def generated(policy: Policy, internal: bool) -> tuple[str, list[str]]:
    """(every generated page and file as one text, the urls in catalog.json)."""
    files = sitebuild.generate(small_catalog(), policy, internal=internal, now=NOW)
    text = "\n".join([*files.pages.values(), *(b.decode("utf-8") for b in files.files.values())])
    exported = json.loads(files.files["catalog.json"])
    [service] = exported["services"]
    return text, [lk["url"] for lk in service["links"]]


@pytest.mark.parametrize(
    ("overrides", "public_titles"),
    [
        ({}, {"Docs", "Status", "Support", "Website", "Request"}),
        # a missing type is `other`; an unknown type is not, and stays internal
        (
            {"other": "public"},
            {"Other thing", "No type", "Docs", "Status", "Support", "Website", "Request"},
        ),
        (
            {"alerts": "public", "request": "internal"},
            {"Alerts", "Docs", "Status", "Support", "Website"},
        ),
    ],
    ids=["defaults", "other-public", "alerts-public-request-internal"],
)
def test_unknown_and_missing_types_stay_internal_in_generated_output(
    overrides: dict[str, str], public_titles: set[str]
) -> None:
    policy = read_policy({"site": {"links": overrides}})
    text, exported = generated(policy, internal=False)
    shown = [lk for lk in LINKS if lk["title"] in public_titles]
    assert exported == [lk["url"] for lk in shown]
    for lk in LINKS:
        assert (lk["url"] in text) == (lk["title"] in public_titles), lk
    assert "https://wiki.example.com/unknown" not in text  # never named by a policy here
    text, exported = generated(policy, internal=True)
    assert exported == [lk["url"] for lk in LINKS]
    assert all(lk["url"] in text for lk in LINKS)
