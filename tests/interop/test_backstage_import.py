"""`catalogctl import backstage`: real descriptors into a real catalog (git in tmp_path)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from catalogs import changed_files, commit, lint_errors, make_catalog, run

from gitrepo import assert_usage_error, git

EXAMPLE = Path(__file__).resolve().parent / "data" / "backstage"


def load(root: Path, rel: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    return data


def report(root: Path, *paths: str) -> tuple[int, dict[str, Any]]:
    result = run(root, "import", "backstage", *paths, "--format", "json")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.output)


@pytest.fixture
def imported(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    root = make_catalog(tmp_path / "catalog")
    shutil.copytree(EXAMPLE, tmp_path / "backstage")
    code, data = report(root, "../backstage")
    assert code == 1, data  # the library and the invalid name are skipped
    return root, data


def test_every_kind_maps_as_documented(imported: tuple[Path, dict[str, Any]]) -> None:
    root, data = imported
    assert sorted(data["created"]) == [
        "ci/backups-bucket",
        "ci/payroll-db",
        "ci/session-cache",
        "service/finance--ledger",
        "service/hr-portal",
        "service/payroll",
        "service/sso",
        "team/finance--accounting",
        "team/hr-team",
        "team/platform-team",
    ]
    hr = load(root, "catalog/teams/hr-team.yaml")
    assert hr["metadata"]["name"] == "HR Engineering"
    # bob has no github.com/user-login annotation; carol is in two groups
    assert hr["spec"] == {
        "github": "example/hr-team",
        "members": ["alice-gh", "carol-c"],
        "email": "hr-eng@example.com",
    }
    payroll = load(root, "catalog/services/payroll.yaml")
    assert payroll["metadata"]["tags"] == ["java", "finance"]
    assert payroll["metadata"]["links"] == [
        {"title": "Runbook", "url": "https://wiki.example.com/payroll"}
    ]
    assert payroll["spec"] == {
        "owner": "hr-team",
        "type": "technical",
        "lifecycle": "live",
        "tier": 4,
        "visibility": "internal",
        "category": "Human Resources",  # the system's domain's title
        "dependsOn": ["sso"],  # the library it depends on is not imported
        "cis": ["payroll-db"],
    }
    portal = load(root, "catalog/services/hr-portal.yaml")["spec"]
    assert (portal["type"], portal["lifecycle"]) == ("business", "pipeline")
    assert portal["dependsOn"] == ["payroll"]  # consumes the API payroll provides
    sso = load(root, "catalog/services/sso.yaml")["spec"]
    assert sso["owner"] == "platform-team"  # owned by a User: her first group
    assert sso["category"] == "Identity and Access"
    ledger = load(root, "catalog/services/finance--ledger.yaml")["spec"]
    assert (ledger["owner"], ledger["lifecycle"]) == ("finance--accounting", "retired")
    db = load(root, "catalog/cis/payroll-db.yaml")["spec"]
    assert db["type"] == "database"
    assert db["relations"] == [{"type": "depends-on", "target": "backups-bucket"}]
    assert load(root, "catalog/cis/session-cache.yaml")["spec"]["type"] == "cache"
    assert load(root, "catalog/cis/backups-bucket.yaml")["spec"]["type"] == "cloud-service"


def test_skips_and_notes_say_why(imported: tuple[Path, dict[str, Any]]) -> None:
    _, data = imported
    reasons = {s["what"].split(" ")[0]: s["reason"] for s in data["skipped"]}
    assert "not a valid Backstage name" in next(r for w, r in reasons.items() if ".yaml:" in w)
    assert "'library' is not a service or website" in reasons["component:default/string-utils"]
    notes = "\n".join(data["notes"])
    assert "member user:default/bob has no valid github.com/user-login annotation" in notes
    assert "https://github.com/example/other/blob/main/catalog-info.yaml is not followed" in notes
    assert "ftp://files.example.com/payroll" in notes


def test_the_import_lints_clean_and_a_rerun_changes_nothing(
    imported: tuple[Path, dict[str, Any]],
) -> None:
    root, _ = imported
    assert lint_errors(root) == []
    commit(root, "import")
    code, again = report(root, "../backstage")
    assert code == 1
    assert (again["created"], again["updated"], len(again["unchanged"])) == ([], [], 10)
    assert changed_files(root) == []


def test_an_update_edits_only_imported_fields(
    imported: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    root, _ = imported
    path = root / "catalog/services/payroll.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  tier: 4\n", "  tier: 1   # decided by the CAB\n")
    text = text.replace("  cis:\n", "  support:\n    hours: 24x7\n  cis:\n")
    path.write_text(text, encoding="utf-8")
    commit(root, "the owners' own fields")
    descriptor = tmp_path / "backstage/components/payroll.yaml"
    source = descriptor.read_text(encoding="utf-8")
    source = source.replace("Pays everyone on time.", "Pays everyone, on time.")
    descriptor.write_text(source.replace("tags: [java, Finance]", "tags: [java]"), "utf-8")
    _, data = report(root, "../backstage")
    assert data["updated"] == ["service/payroll"] and data["created"] == []
    diff = git(root, "diff", "-U0", "--", "catalog/services/payroll.yaml")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    assert changed == [
        "-  description: Pays everyone on time.",
        '+  description: "Pays everyone, on time."',
        "-    - finance",
    ]
    spec = load(root, "catalog/services/payroll.yaml")["spec"]
    assert spec["tier"] == 1 and spec["support"] == {"hours": "24x7"}
    assert "# decided by the CAB" in path.read_text(encoding="utf-8")
    assert lint_errors(root) == []


DESCRIPTOR = """\
apiVersion: backstage.io/v1alpha1
kind: {kind}
metadata:
  name: {name}
spec:
  type: {type}
  lifecycle: production
  owner: team-a
{extra}"""


def component(name: str, extra: str = "", kind: str = "Component", type_: str = "service") -> str:
    return DESCRIPTOR.format(kind=kind, name=name, type=type_, extra=extra)


GROUP = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n"
GROUP += "spec:\n  type: team\n  children: []\n"


def import_text(tmp_path: Path, files: dict[str, str | bytes]) -> tuple[Path, int, dict[str, Any]]:
    root = make_catalog(tmp_path / "catalog")
    for rel, text in {"in/group.yaml": GROUP, **files}.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    code, data = report(root, "../in")
    return root, code, data


def test_everything_mapped_exits_0(tmp_path: Path) -> None:
    _, code, data = import_text(tmp_path, {"in/a.yaml": component("a")})
    assert code == 0 and data["skipped"] == []
    assert sorted(data["created"]) == ["service/a", "team/team-a"]


def test_hostile_descriptors_are_skipped_with_their_line_and_column(tmp_path: Path) -> None:
    bomb = component("b").replace("owner: team-a", "owner: &o team-a\n  system: *o")
    tagged = component("c").replace("type: service", "type: !!python/object:os.system service")
    files: dict[str, str | bytes] = {
        "in/bomb.yaml": bomb,
        "in/tagged.yaml": "# two documents\n" + component("ok") + "---\n" + tagged,
        "in/latin1.yaml": component("d").replace("production", "pr\xf6duction").encode("latin-1"),
    }
    root, code, data = import_text(tmp_path, files)
    assert code == 1
    reasons = {s["what"]: s["reason"] for s in data["skipped"]}
    assert "anchor &o is not allowed" in reasons["../in/bomb.yaml:8:10"]
    assert "tag !!python/object:os.system is not allowed" in reasons["../in/tagged.yaml:16:9"]
    assert "not valid UTF-8" in reasons["../in/latin1.yaml:7:16"]
    assert "service/ok" in data["created"]
    assert not (root / "catalog/services/b.yaml").exists()


def test_invalid_in_backstage_itself_is_skipped(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "in/a.yaml": component("-starts-with-dash"),
        "in/b.yaml": component("no-owner").replace("  owner: team-a\n", ""),
        "in/c.yaml": component("ns").replace("  name: ns\n", "  name: ns\n  namespace: Bad_NS\n"),
        "in/d.yaml": component("v2").replace("v1alpha1", "v2"),
        "in/e.yaml": component("dup") + "---\n" + component("DUP"),
    }
    _, code, data = import_text(tmp_path, files)
    assert code == 1 and data["created"] == ["team/team-a", "service/dup"]
    reasons = " | ".join(s["reason"] for s in data["skipped"])
    assert "'-starts-with-dash' is not a valid Backstage name" in reasons
    assert "spec.owner is missing; Backstage itself rejects it" in reasons
    assert "'Bad_NS' is not a valid Backstage namespace" in reasons
    assert "apiVersion backstage.io/v2 is not one of" in reasons
    assert "defined twice" in reasons  # refs compare without case


def test_names_become_ids_by_the_documented_rule(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "in/a.yaml": component("Web_Shop.v2"),
        "in/b.yaml": component("web-shop-v2"),
        "in/c.yaml": component("web", "  system: shop\n")
        .replace("  name: web\n", "  name: web\n  namespace: retail\n")
        .replace("owner: team-a", "owner: group:default/team-a"),
    }
    _, _, data = import_text(tmp_path, files)
    assert sorted(data["created"]) == ["service/retail--web", "service/web-shop-v2", "team/team-a"]
    assert "its id web-shop-v2 is taken by component:default/web_shop.v2" in str(data["skipped"])


def test_references_lint_would_reject_are_dropped_with_a_note(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "in/x.yaml": component("x", "  dependsOn: [component:y]\n"),
        "in/y.yaml": component("y", "  dependsOn: [component:x, component:old]\n"),
        "in/old.yaml": component("old").replace("production", "deprecated"),
    }
    root, code, data = import_text(tmp_path, files)
    assert code == 0
    notes = "\n".join(data["notes"])
    assert "dropped: it is retired and y is live (lint: retired-dependency)" in notes
    assert "closes the cycle" in notes
    assert lint_errors(root) == []


def test_locations_are_followed_only_inside_the_given_paths(tmp_path: Path) -> None:
    location = (
        "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: l\n"
        "spec:\n  targets: [./more/*.yaml, ../outside.yaml]\n"
    )
    files: dict[str, str | bytes] = {
        "in/catalog-info.yaml": location,
        "outside.yaml": component("outside"),
        "elsewhere/more/a.yaml": component("a"),
    }
    root = make_catalog(tmp_path / "catalog")
    for rel, text in {"in/group.yaml": GROUP, "in/more/b.yaml": component("b"), **files}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(str(text), encoding="utf-8")
    code, data = report(root, "../in/catalog-info.yaml", "../in/group.yaml")
    assert code == 1
    assert sorted(data["created"]) == ["service/b", "team/team-a"]
    assert "../outside.yaml is outside the given paths" in str(data["skipped"])


def test_nothing_to_run_is_a_usage_error(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "catalog")
    assert_usage_error(run(root, "import", "backstage", "missing"), "missing does not exist")
    (tmp_path / "empty").mkdir()
    assert_usage_error(run(root, "import", "backstage", "../empty"), "no .yaml or .yml files")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "ci.yaml").write_text("name: build\non: [push]\n", encoding="utf-8")
    assert_usage_error(run(root, "import", "backstage", "../other"), "no Backstage descriptors")
    (tmp_path / "plain").mkdir()
    assert_usage_error(run(tmp_path / "plain", "import", "backstage", "."), "not a catalog")


GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "interop"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"UPDATE_GOLDEN=1 rewrites {path}"


def test_text_report_and_a_new_file_golden(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "catalog")
    shutil.copytree(EXAMPLE, tmp_path / "backstage")
    result = run(root, "import", "backstage", "../backstage")
    assert result.exit_code == 1
    golden("import-backstage.txt", result.output)
    golden("payroll.yaml", (root / "catalog/services/payroll.yaml").read_text(encoding="utf-8"))


def test_fields_of_the_wrong_shape_are_not_read_letter_by_letter(tmp_path: Path) -> None:
    odd = component("odd", "  dependsOn: resource:db\n").replace(
        "  name: odd\n", "  name: odd\n  tags: java\n  links: https://example.com\n"
    )
    user = "apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: u\n"
    user += "  annotations: {github.com/user-login: u-gh}\nspec:\n  memberOf: team-a\n"
    root, code, data = import_text(tmp_path, {"in/odd.yaml": odd, "in/user.yaml": user})
    assert code == 1  # Backstage's schema wants memberOf as a list
    assert data["skipped"] == [
        {
            "what": "user:default/u (../in/user.yaml:7:3)",
            "reason": "spec.memberOf is not a list; Backstage itself rejects it",
        }
    ]
    service = load(root, "catalog/services/odd.yaml")
    assert "tags" not in service["metadata"] and "links" not in service["metadata"]
    assert "dependsOn" not in service["spec"] and "cis" not in service["spec"]
    assert load(root, "catalog/teams/team-a.yaml")["spec"]["members"] == ["your-github-login"]
    assert lint_errors(root) == []
