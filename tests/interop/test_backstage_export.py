"""`catalogctl export backstage`: Backstage's own schemas accept every descriptor,
and importing the export gives the same catalog back (the reference catalog)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from catalogs import changed_files, commit, lint_errors, make_catalog, run
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from catalogctl.interop.backstage_read import split_documents
from catalogctl.load import loader, yamlsafe
from gitrepo import git
from paths import DATA, REPO

SCHEMAS = DATA / "backstage"
KIND_SCHEMAS = {
    "Component": "ComponentV1alpha1",
    "Group": "GroupV1alpha1",
    "Resource": "ResourceV1alpha1",
    "User": "UserV1alpha1",
}
# Backstage's KubernetesValidatorFunctions.isValidObjectName and
# CommonValidatorFunctions.isValidTag, which its JSON Schemas leave to code.
NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
TAG = re.compile(r"^[a-z0-9+#]+(\-[a-z0-9+#]+)*$")


def validators() -> dict[str, Draft7Validator]:
    documents = [json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.rglob("*.json")]
    registry: Registry[Any] = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc)) for doc in documents
    )
    by_id = {doc["$id"]: doc for doc in documents}
    return {
        kind: Draft7Validator(by_id[schema_id], registry=registry)
        for kind, schema_id in KIND_SCHEMAS.items()
    }


def documents(folder: Path) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(folder.rglob("*.yaml")):
        for _, text in split_documents(path.read_text(encoding="utf-8")):
            data, problems, _ = yamlsafe.parse(text)
            assert not problems, (path, problems)
            out.append((path.relative_to(folder).as_posix(), data))
    return out


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "backstage"
    result = run(REPO, "export", "backstage", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_backstage_schemas_accept_every_descriptor(exported: Path) -> None:
    checks = validators()
    seen: dict[str, int] = {}
    for where, doc in documents(exported):
        kind = doc["kind"]
        seen[kind] = seen.get(kind, 0) + 1
        if kind == "Location":
            assert doc["spec"]["targets"], where
            continue
        errors = [e.message for e in checks[kind].iter_errors(doc)]
        assert errors == [], (where, errors)
        assert NAME.match(doc["metadata"]["name"]), where
        assert all(TAG.match(tag) for tag in doc["metadata"].get("tags", [])), where
        assert all(isinstance(v, str) for v in doc["metadata"]["annotations"].values())
    catalog = {
        k: len(list((REPO / "catalog" / k).rglob("*.yaml"))) for k in ("teams", "services", "cis")
    }
    assert seen["Group"] == catalog["teams"] and seen["Component"] == catalog["services"]
    assert seen["Resource"] == catalog["cis"] and seen["Location"] == 1 and seen["User"] > 0


def test_the_schemas_catch_a_broken_descriptor() -> None:
    """The vendored schemas are wired up: a component without an owner fails."""
    bad = {"apiVersion": "backstage.io/v1alpha1", "kind": "Component", "metadata": {"name": "x"}}
    bad["spec"] = {"type": "service", "lifecycle": "production"}
    assert [e.message for e in validators()["Component"].iter_errors(bad)] == [
        "'owner' is a required property"
    ]


def entity_data(root: Path) -> dict[str, Any]:
    out = {}
    for folder in ("teams", "services", "cis"):
        for path in sorted((root / "catalog" / folder).rglob("*.yaml")):
            out[f"{folder}/{path.name}"] = loader.load(path.name, path.read_bytes())[0].data
    return out


def test_export_then_import_gives_the_same_catalog(exported: Path, tmp_path: Path) -> None:
    root = tmp_path / "again"
    root.mkdir()
    shutil.copy(REPO / "catalogctl.yaml", root / "catalogctl.yaml")
    git(root, "init", "-q")
    result = run(root, "import", "backstage", str(exported), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["skipped"] == [] and report["updated"] == []
    original = entity_data(REPO)
    assert len(original) == len(report["created"]) > 50
    assert entity_data(root) == original
    assert lint_errors(root) == []
    commit(root, "imported")
    again = run(root, "import", "backstage", str(exported), "--format", "json")
    assert json.loads(again.output)["created"] == []
    assert changed_files(root) == []


def test_import_into_a_new_catalog_lints_without_errors(exported: Path, tmp_path: Path) -> None:
    """A fresh `init` lacks the reference catalog's schedules: support that
    names one is dropped with a note saying what it said, not left to fail lint."""
    root = tmp_path / "fresh"
    assert run(tmp_path, "init", str(root), "--install", "catalogctl==0.1.0").exit_code == 0
    result = run(root, "import", "backstage", str(exported), "--format", "json")
    assert result.exit_code == 0, result.output
    notes = json.loads(result.output)["notes"]
    dropped = [n for n in notes if "support dropped" in n]
    assert dropped and all("extended-hours" in n and "email:" in n for n in dropped)
    assert lint_errors(root) == []
    commit(root, "imported")
    assert run(root, "import", "backstage", str(exported)).exit_code == 0
    assert changed_files(root) == []


EVIL = """\
apiVersion: catalogctl/v1
kind: Service
metadata:
  id: ../../evil
  name: Evil
spec:
  owner: cab
"""


def test_an_id_that_is_not_an_id_is_never_a_path(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "catalog", {"catalog/services/evil.yaml": EVIL})
    result = run(root, "export", "backstage", "--out", "out/backstage")
    assert result.exit_code == 1
    assert "skipped Service/../../evil: its id '../../evil' is not a valid id" in result.output
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.yaml"))
    assert "evil.yaml" not in {Path(p).name for p in written if "/out/" in p}
    assert not (tmp_path / "catalog" / "evil.yaml").exists()
    assert not (root / "out" / "evil.yaml").exists()
