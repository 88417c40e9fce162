"""The entity kinds: their names, folders, schema files and short aliases.

One table, so that the loader, `new`, `schema` and the site agree on where a
kind lives and what it is called.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ID_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
CHANGE_ID_PATTERN = re.compile(r"^chg-([0-9]{4})-[0-9]{4}$")
INCIDENT_ID_PATTERN = re.compile(r"^inc-([0-9]{4})-[0-9]{4}$")
PROBLEM_ID_PATTERN = re.compile(r"^prb-([0-9]{4})-[0-9]{4}$")
POLICY_FILE = "catalogctl.yaml"
CATALOG_DIR = "catalog"
CHANGES_DIR = "changes"
INCIDENTS_DIR = "incidents"
PROBLEMS_DIR = "problems"
# The folders whose YAML files are catalog data (the operational record too).
DATA_DIRS = (CATALOG_DIR, CHANGES_DIR, INCIDENTS_DIR, PROBLEMS_DIR)


@dataclass(frozen=True)
class Kind:
    name: str
    folder: str  # repo-relative, '/' separated
    schema: str  # file name in schemas/
    aliases: tuple[str, ...]
    plural: str


TEAM = Kind("Team", "catalog/teams", "team.schema.json", ("team", "teams"), "teams")
SERVICE = Kind(
    "Service", "catalog/services", "service.schema.json", ("service", "svc", "services"), "services"
)
SLA = Kind("SLA", "catalog/slas", "sla.schema.json", ("sla", "slas"), "slas")
CI = Kind(
    "ConfigurationItem",
    "catalog/cis",
    "configuration-item.schema.json",
    ("configurationitem", "configuration-item", "ci", "cis"),
    "cis",
)
TEMPLATE = Kind(
    "ChangeTemplate",
    "catalog/templates",
    "change-template.schema.json",
    ("changetemplate", "change-template", "template", "templates"),
    "templates",
)
CHANGE = Kind(
    "ChangeRequest",
    "changes",
    "change-request.schema.json",
    ("changerequest", "change-request", "change", "changes", "chg", "cr"),
    "changes",
)
INCIDENT = Kind(
    "Incident", INCIDENTS_DIR, "incident.schema.json", ("incident", "incidents", "inc"), "incidents"
)
PROBLEM = Kind(
    "Problem", PROBLEMS_DIR, "problem.schema.json", ("problem", "problems", "prb"), "problems"
)
POLICY = Kind("Policy", "", "policy.schema.json", ("policy",), "policy")

ENTITY_KINDS: tuple[Kind, ...] = (TEAM, SERVICE, SLA, CI, TEMPLATE, CHANGE, INCIDENT, PROBLEM)
# Kinds whose ids carry their year (`chg-2026-0042`) and are numbered, never reused.
NUMBERED: dict[str, re.Pattern[str]] = {
    CHANGE.name: CHANGE_ID_PATTERN,
    INCIDENT.name: INCIDENT_ID_PATTERN,
    PROBLEM.name: PROBLEM_ID_PATTERN,
}
BY_NAME: dict[str, Kind] = {k.name: k for k in (*ENTITY_KINDS, POLICY)}
_BY_ALIAS: dict[str, Kind] = {
    alias: k for k in (*ENTITY_KINDS, POLICY) for alias in (k.name.lower(), *k.aliases)
}


def kind_from_user(text: str) -> Kind | None:
    """Resolve a kind as a user types it: `Service`, `service`, `ci`, `change`..."""
    return _BY_ALIAS.get(text.strip().lower())


def user_kind_names() -> list[str]:
    """Every way a user may name an entity kind (`service`, `svc`, `ci`...), for
    suggestions; the policy is no entity and is left out."""
    return [alias for alias, kind in _BY_ALIAS.items() if kind is not POLICY]


def entity_file(kind: Kind, entity_id: str) -> str:
    """Where `new` puts an entity. Only call with an id that matched ID_PATTERN."""
    if kind is CHANGE or kind is INCIDENT:
        match = NUMBERED[kind.name].match(entity_id)
        year = match.group(1) if match else "unknown"
        return f"{kind.folder}/{year}/{entity_id}.yaml"
    return f"{kind.folder}/{entity_id}.yaml"
