"""The catalog -> Backstage descriptors: a Group per team (with a User per
member), a Component per service, a Resource per CI, and a Location that
lists them. Fields Backstage has no place for travel as catalogctl.io
annotations, so importing the export gives the same catalog back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalogctl.interop import annotations as notes
from catalogctl.interop.export_files import write_tree, yaml_documents
from catalogctl.interop.names import valid_backstage_tag, valid_name
from catalogctl.load import kinds
from catalogctl.load.errors import EXIT_FINDINGS, EXIT_OK
from catalogctl.load.output import write_output
from catalogctl.model.entities import Catalog, ConfigurationItem, Entity, Service, Team
from catalogctl.workspace.workspace import open_workspace

API_VERSION = "backstage.io/v1alpha1"
LIFECYCLES = {"live": "production", "pipeline": "experimental", "retired": "deprecated"}
COMPONENT_TYPES = {"business": "website", "technical": "service"}


def _metadata(entity: Entity, extra: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": entity.id, "title": entity.name}
    if entity.description:
        meta["description"] = entity.description
    tags = list(entity.tags)
    if tags:
        meta["tags"] = [t for t in tags if valid_backstage_tag(t)]
        if len(meta["tags"]) != len(tags):
            extra[notes.PREFIX + "tags"] = notes.encode(tags)
        if not meta["tags"]:
            del meta["tags"]
    if entity.links:
        meta["links"] = [
            {key: link[key] for key in ("url", "title", "type") if key in link}
            for link in entity.links
        ]
    meta["annotations"] = {notes.ID: entity.id, **extra}
    return meta


def _carried(entity: Entity, kind: kinds.Kind) -> dict[str, str]:
    """The catalogctl.io annotations of an entity's spec fields."""
    out = {}
    for key in (*notes.TEXT[kind.name], *notes.INTEGER[kind.name], *notes.JSON[kind.name]):
        value = entity.spec.get(key)
        if value is not None:
            out[notes.PREFIX + key] = notes.encode(
                value if not isinstance(value, int) else str(value)
            )
    return out


def _members(team: Entity) -> tuple[str, ...]:
    return team.members if isinstance(team, Team) else ()


def _group(team: Entity, users: dict[str, str]) -> dict[str, Any]:
    extra = {}
    if isinstance(team.spec.get("github"), str):
        extra[notes.GITHUB_TEAM] = team.spec["github"]
    if isinstance(team.spec.get("oncall"), str):
        extra[notes.ONCALL] = team.spec["oncall"]
    profile: dict[str, Any] = {"displayName": team.name}
    if isinstance(team.spec.get("email"), str):
        profile["email"] = team.spec["email"]
    members = [users[m] for m in _members(team) if m in users]
    spec = {"type": "team", "profile": profile, "children": [], "members": members}
    return {
        "apiVersion": API_VERSION,
        "kind": "Group",
        "metadata": _metadata(team, extra),
        "spec": spec,
    }


def _users(catalog: Catalog) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """A User per GitHub login (its name is the login, which Backstage accepts)."""
    groups: dict[str, list[str]] = {}
    for team in catalog.of_kind(kinds.TEAM.name):
        for login in _members(team):
            if valid_name(login):  # a login is a valid Backstage name; junk is left out
                groups.setdefault(login, []).append(team.id)
    documents = [
        {
            "apiVersion": API_VERSION,
            "kind": "User",
            "metadata": {"name": login, "annotations": {notes.GITHUB_LOGIN: login}},
            "spec": {"memberOf": teams},
        }
        for login, teams in groups.items()
    ]
    return {login: login for login in groups}, documents


def _component(service: Entity) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "type": COMPONENT_TYPES.get(str(service.spec.get("type")), "service"),
        "lifecycle": LIFECYCLES.get(str(service.spec.get("lifecycle")), "production"),
        "owner": f"group:default/{service.owner}",
    }
    assert isinstance(service, Service)
    depends = [f"component:default/{s}" for s in service.depends_on]
    depends += [f"resource:default/{c}" for c in service.cis]
    if depends:
        spec["dependsOn"] = depends
    return {
        "apiVersion": API_VERSION,
        "kind": "Component",
        "metadata": _metadata(service, _carried(service, kinds.SERVICE)),
        "spec": spec,
    }


def _resource(ci: Entity) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": str(ci.spec.get("type")), "owner": f"group:default/{ci.owner}"}
    assert isinstance(ci, ConfigurationItem)
    depends = [f"resource:default/{t}" for _, kind, t in ci.relations if kind == "depends-on"]
    if depends:
        spec["dependsOn"] = depends
    return {
        "apiVersion": API_VERSION,
        "kind": "Resource",
        "metadata": _metadata(ci, _carried(ci, kinds.CI)),
        "spec": spec,
    }


def unfit(entity: Entity) -> str | None:
    """Why an entity cannot be exported (a catalog that does not lint), or None.

    Ids become file names and Backstage names: one that is not an id could
    name a path outside the export folder, so it is never written."""
    if not kinds.ID_PATTERN.match(entity.id):
        return f"its id {entity.id!r} is not a valid id; run catalogctl lint"
    if entity.kind != kinds.TEAM.name and not isinstance(entity.spec.get("owner"), str):
        return "it has no owner; run catalogctl lint"
    return None


def descriptors(catalog: Catalog) -> tuple[dict[str, str], list[str]]:
    """Relative path -> file text of the whole export, and what was left out."""
    users, user_docs = _users(catalog)
    files: dict[str, str] = {}
    skipped: list[str] = []
    folders: list[tuple[str, kinds.Kind, Callable[[Entity], dict[str, Any]]]] = [
        ("teams", kinds.TEAM, lambda team: _group(team, users)),
        ("services", kinds.SERVICE, _component),
        ("cis", kinds.CI, _resource),
    ]
    targets = []
    for folder, kind, build in folders:
        for entity in catalog.of_kind(kind.name):
            reason = unfit(entity)
            if reason is not None:
                skipped.append(f"{entity.kind}/{entity.id}: {reason}")
                continue
            files[f"{folder}/{entity.id}.yaml"] = yaml_documents([build(entity)])
        targets.append(f"./{folder}/*.yaml")
    if user_docs:
        files["users.yaml"] = yaml_documents(user_docs)
        targets.append("./users.yaml")
    location = {
        "apiVersion": API_VERSION,
        "kind": "Location",
        "metadata": {"name": "catalogctl-export", "description": "Exported by catalogctl"},
        "spec": {"targets": targets},
    }
    files["catalog-info.yaml"] = yaml_documents([location])
    return files, skipped


def execute(*, start: Path, out: Path, jobs: int = 1) -> int:
    catalog = open_workspace(start).catalog(jobs)
    files, skipped = descriptors(catalog)
    write_tree(out, files)
    lines = [f"skipped {reason}" for reason in skipped]
    lines.append(f"wrote {len(files)} descriptor files to {out}")
    write_output("\n".join(lines) + "\n", None)
    return EXIT_FINDINGS if skipped else EXIT_OK
