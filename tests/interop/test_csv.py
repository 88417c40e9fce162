"""`catalogctl import csv` / `export csv`: a ServiceNow export, a hand-made
spreadsheet with quoting and a bad row, Excel's encodings, and the way back."""

from __future__ import annotations

import codecs
import json
import shutil
from pathlib import Path
from typing import Any

import yaml
from catalogs import changed_files, commit, lint_errors, make_catalog, run

from gitrepo import assert_usage_error

SERVICENOW = Path(__file__).resolve().parent / "data" / "servicenow"


def team(team_id: str, name: str) -> str:
    return (
        f"apiVersion: catalogctl/v1\nkind: Team\nmetadata:\n  id: {team_id}\n  name: {name}\n"
        f"spec:\n  github: example/{team_id}\n  members: [someone]\n"
        f"  email: {team_id}@example.com\n"
    )


TEAMS = {
    "catalog/teams/hr-applications.yaml": team("hr-applications", "HR Applications"),
    "catalog/teams/service-desk.yaml": team("service-desk", "Service Desk"),
}


def catalog(tmp_path: Path) -> Path:
    root = make_catalog(tmp_path / "catalog", TEAMS)
    shutil.copytree(SERVICENOW, root / "exports")
    commit(root, "exports")
    return root


def import_csv(root: Path, file: str, kind: str, *extra: str) -> tuple[int, dict[str, Any]]:
    result = run(root, "import", "csv", file, "--kind", kind, "--format", "json", *extra)
    return result.exit_code, json.loads(result.output)


def spec(root: Path, rel: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    return {**data["metadata"], **data["spec"]}


def test_a_servicenow_service_export(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    code, data = import_csv(root, "exports/cmdb_ci_service.csv", "service")
    assert code == 1
    assert data["created"] == [
        "service/payroll",
        "service/identity-platform",
        "service/legacy-fax-gateway",
    ]
    assert data["skipped"] == [
        {
            "what": "exports/cmdb_ci_service.csv:5:6",
            "reason": "owner: owner 'Procurement' is no team of the catalog; add it first",
        }
    ]
    assert data["notes"] == [
        "exports/cmdb_ci_service.csv: column owned_by has no catalog field; not imported",
        "exports/cmdb_ci_service.csv: column used_for has no catalog field; not imported",
    ]
    payroll = spec(root, "catalog/services/payroll.yaml")
    assert payroll == {
        "id": "payroll",
        "name": "Payroll",
        "description": "Monthly salary runs, payslips and tax filings",
        "owner": "hr-applications",
        "type": "business",
        "lifecycle": "live",
        "tier": 1,
        "visibility": "internal",
        "category": "Human Resources",
    }
    identity = spec(root, "catalog/services/identity-platform.yaml")
    assert (identity["type"], identity["tier"], identity["owner"]) == (
        "technical",
        2,
        "service-desk",
    )
    fax = spec(root, "catalog/services/legacy-fax-gateway.yaml")
    assert (fax["lifecycle"], fax["category"], fax["tier"]) == ("retired", "Uncategorised", 4)
    assert lint_errors(root) == []


def test_a_servicenow_ci_export(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    code, data = import_csv(root, "exports/cmdb_ci.csv", "ci")
    assert code == 1
    assert data["created"] == ["ci/pay-db-01", "ci/lnx-app-07", "ci/idp-vm-02"]
    [printer] = data["skipped"]
    assert printer["what"] == "exports/cmdb_ci.csv:5:3"  # the sys_class_name cell
    assert "'cmdb_ci_printer' is not one of application, server" in printer["reason"]
    db = spec(root, "catalog/cis/pay-db-01.yaml")
    assert db == {
        "id": "pay-db-01",
        "name": "pay-db-01",
        "description": "Payroll database",
        "type": "database",
        "environment": "production",
        "owner": "hr-applications",
        "status": "in-service",
        "vendor": "PostgreSQL Global Development Group",
        "location": "Frankfurt DC",
        "attributes": {"ip_address": "10.0.4.21", "fqdn": "pay-db-01.corp.example"},
    }
    vm = spec(root, "catalog/cis/idp-vm-02.yaml")
    assert (vm["type"], vm["status"], vm["environment"]) == ("virtual-machine", "planned", "dr")
    assert vm["location"] == "Hamburg, DR site" and vm["owner"] == "service-desk"
    app = spec(root, "catalog/cis/lnx-app-07.yaml")
    assert (app["status"], app["environment"]) == ("maintenance", "staging")
    assert lint_errors(root) == []
    commit(root, "imported")
    assert import_csv(root, "exports/cmdb_ci.csv", "ci")[1]["unchanged"] == [
        "ci/pay-db-01",
        "ci/lnx-app-07",
        "ci/idp-vm-02",
    ]
    assert changed_files(root) == []


SPREADSHEET = (
    "id;name;owner;tier;tags;description\r\n"
    'payroll;"Payroll; salaries";hr-applications;1;"hr, finance";"Pays ""everyone""\r\n'
    'on time"\r\n'
    "portal;HR Portal;Service Desk;high;hr;Self service\r\n"
    "wiki;Wiki;service-desk;3;;\r\n"
)


def test_a_hand_made_spreadsheet_with_quoting_and_a_bad_row(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    (root / "services.csv").write_bytes(codecs.BOM_UTF8 + SPREADSHEET.encode("utf-8"))
    code, data = import_csv(root, "services.csv", "service")
    assert code == 1
    assert data["created"] == ["service/payroll", "service/wiki"]
    # the quoted newline makes the bad row start on line 4; tier is column 4
    assert data["skipped"] == [
        {"what": "services.csv:4:4", "reason": "tier: 'high' is not a tier from 1 to 4"}
    ]
    payroll = spec(root, "catalog/services/payroll.yaml")
    assert payroll["name"] == "Payroll; salaries"
    assert payroll["description"] == 'Pays "everyone"\non time'
    assert payroll["tags"] == ["hr", "finance"] and payroll["tier"] == 1
    assert lint_errors(root) == []


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    rows = ["id\tname\towner\ttype", "cafe-db\tCafé DB\tService Desk\tdatabase"]
    rows.append("sales\tVentes été\tService Desk\tdatabase")
    (root / "cis.txt").write_bytes("\r\n".join(rows).encode("utf-16"))
    code, data = import_csv(root, "cis.txt", "ci")
    assert code == 0, data
    assert spec(root, "catalog/cis/cafe-db.yaml")["name"] == "Café DB"
    assert spec(root, "catalog/cis/sales.yaml")["name"] == "Ventes été"


def test_export_csv_goes_back_in_unchanged(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    import_csv(root, "exports/cmdb_ci.csv", "ci")
    import_csv(root, "exports/cmdb_ci_service.csv", "service")
    commit(root, "imported")
    for kind in ("service", "ci"):
        assert run(root, "export", "csv", "--kind", kind, "-o", f"{kind}.csv").exit_code == 0
        code, data = import_csv(root, f"{kind}.csv", kind)
        assert (code, data["created"], data["updated"]) == (0, [], [])
    assert changed_files(root) == ["?? ci.csv", "?? service.csv"]


def test_files_that_cannot_be_read_are_usage_errors(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    (root / "open.csv").write_text('id,name,owner\r\nx,"never closed,service-desk\r\n')
    result = run(root, "import", "csv", "open.csv", "--kind", "service")
    assert_usage_error(result, "open.csv:2:", "fix the quoting")
    (root / "latin.csv").write_bytes("id,name\r\nx,caf\xe9\r\n".encode("latin-1"))
    assert_usage_error(
        run(root, "import", "csv", "latin.csv", "--kind", "ci"), "save the file as CSV UTF-8"
    )
    result = run(
        root, "import", "csv", "exports/cmdb_ci.csv", "--kind", "ci", "--map", "supprt_group=owner"
    )
    assert_usage_error(result, "did you mean 'support_group'")
    assert_usage_error(run(root, "import", "csv", "nothing.csv", "--kind", "ci"), "no such file")
    (root / "header-only.csv").write_text("id,name,owner\r\n")
    result = run(root, "import", "csv", "header-only.csv", "--kind", "service")
    assert_usage_error(result, "no rows below the header")
    (root / "no-type.csv").write_text("id,name,owner\r\nx,X,service-desk\r\n")
    result = run(root, "import", "csv", "no-type.csv", "--kind", "ci")
    assert_usage_error(result, "no-type.csv:1: no column gives the type", "--map COLUMN=type")


def test_an_empty_required_cell_is_a_bad_row(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    (root / "cis.csv").write_text("id,name,owner,type\nx,X,,server\ny,Y,service-desk,server\n")
    code, data = import_csv(root, "cis.csv", "ci")
    assert (code, data["created"]) == (1, ["ci/y"])
    assert data["skipped"] == [{"what": "cis.csv:2:3", "reason": "owner: the cell is empty"}]


def test_map_reads_a_column_of_your_own_into_a_field(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    sheet = "Service,Team,Criticality,Rack\nWiki,Service Desk,2,r-12\n"
    (root / "sheet.csv").write_text(sheet, encoding="utf-8")
    extra = ("--map", "Service=name", "--map", "Team=owner", "--map", "Criticality=tier")
    code, data = import_csv(root, "sheet.csv", "service", *extra)
    assert (code, data["created"]) == (0, ["service/wiki"])
    wiki = spec(root, "catalog/services/wiki.yaml")
    assert (wiki["name"], wiki["owner"], wiki["tier"]) == ("Wiki", "service-desk", 2)
    result = run(root, "import", "csv", "sheet.csv", "--kind", "service", "--map", "Rack=rack")
    assert_usage_error(result, "no field 'rack'")
