"""The operational record on the site: availability achieved, incident history,
the status history page, and the internal edition's incidents and problems.

Real MkDocs builds of the reference catalog at 2027-01-01, so the last three
complete months are its quarter of incidents (October to December 2026).
Figures: inc-2026-0042 took transport management down 75 minutes in October
(31 days, 44,640 minutes): 1 - 75/44,640 = 99.832 %, under 99.9; the WMS
outage of inc-2026-0043 lies inside the planned window of chg-2026-0011.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from test_site import article, copy_catalog, page, site

from gitrepo import commit_at, git


def plain(html_text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", html_text)))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = copy_catalog(tmp_path_factory.mktemp("operation") / "repo")
    # one quarterly agreement: its rows are quarters, not months
    sla = root / "catalog/slas/people-services.yaml"
    text = sla.read_text(encoding="utf-8")
    assert text.count("period: monthly") == 1
    sla.write_text(text.replace("period: monthly", "period: quarterly"), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")  # the internal edition's KPIs read git history
    commit_at(root, "2026-12-31T12:00:00+00:00", "the reference catalog")
    public, internal = root.parent / "public", root.parent / "internal"
    code, output = site(root, "--out", str(public), "--strict")
    assert code == 0, output
    code, output = site(root, "--out", str(internal), "--internal", "--strict")
    assert code == 0, output
    return public, internal


def test_status_history_shows_attainment_and_public_incidents(built: tuple[Path, Path]) -> None:
    public, _ = built
    full = page(public, "status")
    assert "Status history" in page(public, ".").replace(article(page(public, ".")), "")  # nav
    body = plain(article(full))
    assert "Transport Management (TMS) 2026-10 Logistics Operations SLA 99.9 % 99.832 % missed" in (
        body
    )
    # planned maintenance is no downtime: October stays at 100 %
    assert "Warehouse Management (WMS) 2026-10 Logistics Operations SLA 99.9 % 100 % met" in body
    assert "Shipment Tracking Portal 2026-12 Logistics Operations SLA 99.9 % 99.9597 % met" in body
    # the incident: when, impact, how long, its summary
    assert "2026-10-14 00:18 UTC Transport Management (TMS) outage 1 h 15 min closed" in body
    assert "Dispatchers in the night shift could not plan or release tours" in body
    assert "2026-12-29 15:20 UTC IT Service Desk degraded ongoing open" in body
    # never the record's id, priority, cause or review, nor internal services' incidents
    for hidden in ("inc-2026-0042", "P1", "db-tms-prod", "availability-group", "listener",
                   "Sign-in to every application"):  # fmt: skip
        assert hidden not in body, hidden


def test_service_page_shows_three_months_and_its_incidents(built: tuple[Path, Path]) -> None:
    public, _ = built
    body = plain(article(page(public, "services/logistics/shipment-tracking")))
    section = body.split("Availability and incidents", 1)[1]
    months = re.findall(r"(2026-1[0-2]) Logistics Operations SLA", section)
    assert months == ["2026-10", "2026-11", "2026-12"]
    # newest first: the December outage, then the October slowness
    assert section.index("unavailable from 19:40 to 19:58") < section.index("load slowly")
    assert "Tracking position cache" not in section  # the problem's name is internal
    payroll = plain(article(page(public, "services/human-resources/payroll")))
    quarters = re.findall(r"(2026-Q[1-4]) People Services SLA 99.5 %", payroll)
    assert quarters == ["2026-Q2", "2026-Q3", "2026-Q4"]
    assert "2026-11 People Services SLA" not in payroll
    # no downtime in the quarter: the payroll incident degraded the service only
    assert "2026-Q4 People Services SLA 99.5 % 100 % met" in payroll


def test_internal_edition_has_the_full_records_and_the_problems(built: tuple[Path, Path]) -> None:
    _, internal = built
    incidents = plain(article(page(internal, "internal/incidents")))
    assert "inc-2026-0047" in incidents and "problem prb-2026-0008, ci entra-id" in incidents
    assert "Switch service providers to metadata URLs where they support it" in incidents
    problems = plain(article(page(internal, "internal/problems")))
    assert "prb-2026-0007" in problems and "known-error" in problems
    assert "inc-2026-0041, inc-2026-0044, inc-2026-0049" in problems
    health = plain(article(page(internal, "internal/health")))
    # the year to the build's day: ten incidents, inc-2026-0044's repeat of the
    # tracking problem and inc-2026-0049's (inc-2026-0041 was its first)
    assert "Service operation ¶ KPI value incidents reported 10 " in health
    assert "repeat incidents 2 problems opened / resolved 2 / 0" in health
    status = plain(article(page(internal, "status")))
    assert "Sign-in to every application" in status  # identity-sso is shown internally
