"""How the fields of one Backstage descriptor read as catalog fields.

The tables of docs/interop.md: lifecycles, component and resource types,
and the metadata every kind shares (title, description, tags, links).
"""

from __future__ import annotations

from typing import Any

from catalogctl.interop import annotations as notes
from catalogctl.interop import schema_facts
from catalogctl.interop.backstage_read import Descriptor, listed
from catalogctl.interop.names import to_tag
from catalogctl.interop.plan import FieldPath

LIFECYCLES = {"production": "live", "experimental": "pipeline", "deprecated": "retired"}
SERVICE_TYPES = {"service": "technical", "website": "business"}
# Backstage's spec.type of a Resource is free text; these are the spellings
# seen in Backstage's examples and common cloud names. Anything else is a
# cloud-service (the broadest CI type), named in a note.
_RESOURCE_SPELLINGS = {
    "database": "database db postgres postgresql mysql mariadb mongodb rds bigtable dynamodb "
    "cloudsql",
    "storage": "storage s3-bucket bucket gcs-bucket blob-storage filesystem volume",
    "container-cluster": "container-cluster cluster kubernetes-cluster k8s-cluster eks gke aks",
    "message-queue": "queue topic kafka kafka-topic pubsub-topic sqs-queue message-queue",
    "cache": "cache redis memcached",
    "virtual-machine": "vm virtual-machine ec2-instance",
    "server": "server host",
    "load-balancer": "load-balancer lb alb elb",
    "dns-record": "dns dns-record dns-zone",
    "certificate": "certificate tls-certificate",
    "network-device": "network network-device",
    "cloud-service": "cloud-service cdn",
    **{same: same for same in ("application", "container", "firewall", "backup", "saas")},
    "monitoring": "monitoring",
}
RESOURCE_TYPES = {
    spelling: ci_type
    for ci_type, spellings in _RESOURCE_SPELLINGS.items()
    for spelling in spellings.split()
}
FALLBACK_CI_TYPE = "cloud-service"
# Backstage knows no criticality: least critical until a person says otherwise.
DEFAULT_TIER = 4


def title(descriptor: Descriptor) -> str:
    meta = descriptor.metadata
    profile = descriptor.spec.get("profile")
    display = profile.get("displayName") if isinstance(profile, dict) else None
    for value in (display, meta.get("title"), meta.get("name")):
        if isinstance(value, str) and value.strip():
            return value.strip()[:120]
    return descriptor.ref.name  # pragma: no cover - the reader checked the name


def _tags(descriptor: Descriptor, where: list[str]) -> list[str]:
    raw = notes.json_value(descriptor, "tags", list)
    if raw is not None:
        return [t for t in raw if isinstance(t, str)]
    out: list[str] = []
    for tag in listed(descriptor.metadata.get("tags")):
        slug = to_tag(tag) if isinstance(tag, str) else None
        if slug is None:
            where.append(f"{descriptor.ref}: tag {tag!r} has no catalog spelling; dropped")
        elif slug not in out:
            out.append(slug)
    return out


def _links(descriptor: Descriptor, where: list[str]) -> list[dict[str, str]]:
    out = []
    for link in listed(descriptor.metadata.get("links")):
        url = link.get("url") if isinstance(link, dict) else None
        if not isinstance(url, str) or not schema_facts.pattern("url").match(url):
            where.append(f"{descriptor.ref}: link {url!r} is not an http(s) address; dropped")
            continue
        title = link.get("title") if isinstance(link.get("title"), str) else None
        item = {"title": (title or url)[:120], "url": url}
        if link.get("type") in schema_facts.link_types():
            item["type"] = link["type"]
        out.append(item)
    return out


def _description(descriptor: Descriptor) -> str | None:
    text = descriptor.metadata.get("description")
    return text if isinstance(text, str) and text.strip() else None


def common_fields(descriptor: Descriptor, where: list[str]) -> dict[FieldPath, Any]:
    """The metadata every imported kind takes from its descriptor."""
    return {
        ("metadata", "name"): title(descriptor),
        ("metadata", "description"): _description(descriptor),
        ("metadata", "tags"): _tags(descriptor, where),
        ("metadata", "links"): _links(descriptor, where),
    }
