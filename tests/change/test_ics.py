"""iCalendar UIDs: unique per organisation and per feed, stable across runs."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from catalogctl.change import calendar
from catalogctl.change import ics as icswriter
from catalogctl.change.files import load_changes
from catalogctl.cli import main
from catalogctl.model.policy import Policy
from catalogctl.site import build as sitebuild
from paths import REPO

BASE = REPO / "tests" / "cases" / "_base"
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)

CHANGE = """\
apiVersion: catalogctl/v1
kind: ChangeRequest
metadata:
  id: chg-2027-0001
  name: Patch the payroll VM
spec:
  type: normal
  state: scheduled
  requester: carol
  owner: ops
  targets:
    cis: [vm-payroll]
  risk: {impact: low, likelihood: low}
  window:
    start: 2027-01-16T06:00:00+01:00
    end: 2027-01-16T10:00:00+01:00
  outage: true
  plan:
    implementation: Patch and reboot.
    backout: Restore the snapshot.
    validation: Payroll answers.
"""

FREEZE = """
freezes:
  - id: year-end
    name: Year-end freeze
    start: 2026-12-19T00:00:00+01:00
    end: 2027-01-04T00:00:00+01:00
    allow: [emergency]
"""


def organisation(tmp_path: Path, name: str, site: str) -> Path:
    """The tiny test catalog (a closed change) with one scheduled outage on
    payroll's VM (payroll is public), a freeze and the given `site:` block."""
    root = tmp_path / name
    shutil.copytree(BASE, root)
    (root / "changes" / "2027").mkdir(parents=True)
    (root / "changes" / "2027" / "chg-2027-0001.yaml").write_text(CHANGE, encoding="utf-8")
    policy = root / "catalogctl.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + FREEZE + site, encoding="utf-8")
    return root


ACME = "site:\n  title: Acme IT\n  url: https://IT.acme.example/catalog/\n"
GLOBEX = "site:\n  title: Globex IT\n  url: https://it.globex.example\n"


def feed(root: Path, *args: str) -> bytes:
    result = CliRunner().invoke(
        main, ["-C", str(root), "change", "calendar", "--format", "ics", *args]
    )
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def uids(data: bytes) -> list[str]:
    """The UIDs of the feed's events, read back by the icalendar library."""
    parsed = icalendar.Calendar.from_ical(data)
    return [str(event["UID"]) for event in parsed.walk("VEVENT")]


def test_two_organisations_get_different_uids_for_the_same_change(tmp_path: Path) -> None:
    acme, globex = organisation(tmp_path, "acme", ACME), organisation(tmp_path, "globex", GLOBEX)
    assert uids(feed(acme)) == [
        "chg-2026-0001@it.acme.example/catalog",
        "freeze-year-end@it.acme.example/catalog",
        "chg-2027-0001@it.acme.example/catalog",
    ]
    assert uids(feed(globex)) == [
        "chg-2026-0001@it.globex.example",
        "freeze-year-end@it.globex.example",
        "chg-2027-0001@it.globex.example",
    ]
    assert uids(feed(acme, "--public")) == ["chg-2027-0001.public@it.acme.example/catalog"]
    assert uids(feed(globex, "--public")) == ["chg-2027-0001.public@it.globex.example"]


def test_without_a_site_url_the_organisation_name_decides(tmp_path: Path) -> None:
    acme = organisation(tmp_path, "acme", "site:\n  organisation: Acme Corp\n  title: IT\n")
    globex = organisation(tmp_path, "globex", "site:\n  organisation: Globex\n  title: IT\n")
    acme_uids, globex_uids = uids(feed(acme)), uids(feed(globex))
    assert not set(acme_uids) & set(globex_uids)
    # a stable id: sha256("acme corp"), whatever the file's case and spacing
    assert acme_uids[-1] == "chg-2027-0001@ea6f9c07a2f95c78.catalogctl"
    policy = acme / "catalogctl.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("Acme Corp", "  ACME   corp"), encoding="utf-8"
    )
    assert uids(feed(acme)) == acme_uids


def test_public_and_internal_feeds_share_no_uid(tmp_path: Path) -> None:
    root = organisation(tmp_path, "acme", ACME)
    internal, public = uids(feed(root)), uids(feed(root, "--public"))
    assert public and internal
    assert not set(public) & set(internal)
    assert all(uid.endswith(".public@it.acme.example/catalog") for uid in public)
    assert not any(".public@" in uid for uid in internal)


def test_uids_are_stable_across_runs_and_reschedules(tmp_path: Path) -> None:
    root = organisation(tmp_path, "acme", ACME)
    before = {args: uids(feed(root, *args)) for args in ((), ("--public",))}
    assert {args: uids(feed(root, *args)) for args in before} == before
    change = root / "changes" / "2027" / "chg-2027-0001.yaml"
    change.write_text(
        change.read_text(encoding="utf-8")
        .replace("Patch the payroll VM", "Patch the payroll VM again")
        .replace("2027-01-16T10:00", "2027-01-16T11:00"),
        encoding="utf-8",
    )
    # a client updates the event it has instead of adding a second one
    assert {args: uids(feed(root, *args)) for args in before} == before


def test_the_site_feed_uses_the_public_uids() -> None:
    _, catalog, policy = load_changes(REPO)
    files = sitebuild.generate(catalog, policy, internal=False, now=NOW)
    published = uids(files.files["maintenance.ics"])
    assert published, "the reference catalog publishes no maintenance window"
    assert all(uid.endswith(".public@it.northwind.example/catalog") for uid in published)
    assert uids(feed(REPO, "--public")) == published


@pytest.mark.parametrize(
    ("site", "domain"),
    [
        ({"url": "https://it.example.com"}, "it.example.com"),
        ({"url": "https://IT.Example.com/"}, "it.example.com"),
        ({"url": "https://it.example.com/catalog/?utm=x#top"}, "it.example.com/catalog"),
        ({"url": "http://user@it.example.com:8080/c"}, "it.example.com:8080/c"),
        ({"url": "https://it.example.com/Catalog", "organisation": "X"}, "it.example.com/Catalog"),
        # no usable URL: the organisation, else the title
        ({"url": "it.example.com", "organisation": "Acme Corp"}, "ea6f9c07a2f95c78.catalogctl"),
        ({"url": 42, "organisation": "Acme Corp", "title": "T"}, "ea6f9c07a2f95c78.catalogctl"),
        ({"title": "Acme IT"}, "3b0e3ab36eec5c6b.catalogctl"),
        ({"organisation": " ", "title": "Acme IT"}, "3b0e3ab36eec5c6b.catalogctl"),
        ({}, "catalogctl"),
    ],
)
def test_uid_domain(site: dict[str, object], domain: str) -> None:
    assert calendar.uid_domain(Policy(site=site)) == domain


def test_freeze_and_change_uids_in_both_feeds() -> None:
    start = dt.datetime(2027, 1, 16, 5, tzinfo=dt.UTC)
    events = (
        calendar.Event(kind="change", id="chg-2027-0001", title="t", start=start, end=start),
        calendar.Event(kind="freeze", id="f", title="t", start=start, end=start),
    )
    found = {}
    for public in (False, True):
        cal = calendar.Calendar("n", events, (), public, uid_domain="it.example.com")
        found[public] = [icswriter.uid(event, cal) for event in events]
    assert found == {
        False: ["chg-2027-0001@it.example.com", "freeze-f@it.example.com"],
        True: ["chg-2027-0001.public@it.example.com", "freeze-f.public@it.example.com"],
    }
