"""Configuration items: one CI document, with the attributes its type has."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from .draft import CatalogDraft, envelope
from .model import CIInfo, ServiceInfo
from .text import make_tags, markdown
from .vocabulary import CI_FOLDER, DOMAIN, GITHUB_ORG, HARDWARE, SITE_NAMES, SITES
from .yaml_writer import Flow


def add_ci(
    draft: CatalogDraft,
    base: str,
    ci_type: str,
    name: str,
    owner: str,
    status: str,
    environment: str,
    relations: list[Flow],
    service: ServiceInfo | None,
    extra_tags: Sequence[str] = (),
    site: str | None = None,
    vendor: str | None = None,
) -> CIInfo:
    """Write a CI and note it in `draft` (shared when `service` is None)."""
    rng = draft.rng
    ci = CIInfo(
        len(draft.cis),
        draft.new_id("ci", base),
        ci_type,
        status,
        owner,
        service.id if service else None,
        name,
    )
    draft.cis.append(ci)
    draft.ci_by_id[ci.id] = ci
    if status != "retired":
        draft.usable_by_type.setdefault(ci_type, []).append(ci)
        if service is None:
            draft.shared_by_type.setdefault(ci_type, []).append(ci)
    description = None
    if rng.random() < 0.4:
        purpose = f"the {service.name} service" if service else "shared infrastructure"
        description = markdown(
            f"{name}, part of {purpose}. Managed by {owner}; changes go through the "
            f"{rng.choice(['standard change templates', 'CAB', 'platform pipeline'])}."
        )
    document = envelope(
        "ConfigurationItem",
        ci.id,
        name,
        description,
        make_tags(CI_FOLDER[ci_type], ci_type, *extra_tags),
        draft.links(ci.id, ("runbook", "dashboard"), 1),
    )
    spec: dict[str, Any] = {
        "type": ci_type,
        "environment": environment,
        "owner": owner,
        "status": status,
    }
    if relations:
        spec["relations"] = relations
    model = None
    if ci_type in HARDWARE:
        vendor, model = HARDWARE[ci_type]
    if vendor:
        spec["vendor"] = vendor
    site = site or (service.site if service else rng.choice(SITES))
    if ci_type in ("server", "storage", "network-device", "firewall", "load-balancer"):
        rack = f"{rng.choice('ABCDEFG')}{rng.randint(1, 20)}"
        spec["location"] = f"{SITE_NAMES[site]}, rack {rack}"
    if ci_type in ("certificate", "saas", "server", "network-device", "firewall", "storage"):
        spec["expires"] = draft.date_between(dt.date(2029, 1, 1), dt.date(2033, 12, 31))
    spec["attributes"] = _attributes(draft, ci, model, site)
    document["spec"] = spec
    comment = None
    if status == "retired":
        comment = "Retired; kept for the record until the next audit."
    draft.emit(f"catalog/cis/{CI_FOLDER[ci_type]}/{ci.id}.yaml", document, comment)
    return ci


def _attributes(draft: CatalogDraft, ci: CIInfo, model: str | None, site: str) -> dict[str, Any]:
    rng = draft.rng
    t = ci.type
    host = f"{ci.id}.{site}.corp.{DOMAIN}"
    if t == "virtual-machine":
        attrs: dict[str, Any] = {
            "os": rng.choice(
                ["Windows Server 2022", "Ubuntu 24.04 LTS", "RHEL 9.4", "Windows Server 2019"]
            ),
            "vcpu": rng.choice([2, 4, 8, 16]),
            "memoryGb": rng.choice([8, 16, 32, 64]),
            "hostname": host,
            "patchGroup": rng.choice(["tuesday-early", "tuesday-late", "thursday", "manual"]),
        }
    elif t == "server":
        attrs = {
            "os": "VMware ESXi 8.0 U3" if ci.id.startswith("esx") else "Windows Server 2022",
            "cpuCores": rng.choice([32, 48, 64]),
            "memoryGb": rng.choice([256, 512, 768, 1024]),
            "hostname": host,
        }
    elif t == "database":
        engine, version = rng.choice(
            [
                ("SQL Server", "2019"),
                ("SQL Server", "2022"),
                ("PostgreSQL", "16.4"),
                ("Oracle", "19c"),
                ("MySQL", "8.0"),
            ]
        )
        attrs = {
            "engine": engine,
            "version": version,
            "sizeGb": rng.randint(20, 4000),
            "encrypted": True,
        }
    elif t == "certificate":
        attrs = {
            "subject": f"{ci.id.removeprefix('cert-')}.{DOMAIN}",
            "issuer": rng.choice(["DigiCert", "Sectigo", "Fabrikam Issuing CA 2"]),
            "validation": rng.choice(["DV", "OV", "EV"]),
        }
    elif t == "dns-record":
        attrs = {
            "fqdn": f"{ci.id.removeprefix('dns-')}.{DOMAIN}",
            "recordType": rng.choice(["CNAME", "A", "AAAA"]),
            "ttl": 300,
        }
    elif t == "application":
        attrs = {
            "version": f"{rng.randint(1, 12)}.{rng.randint(0, 40)}.{rng.randint(0, 9)}",
            "language": rng.choice(["Java", "C#", "Python", "Go", "TypeScript"]),
            "repository": f"{GITHUB_ORG}/{ci.id.removeprefix('app-')}",
        }
    elif t == "container-cluster":
        attrs = {
            "kubernetesVersion": rng.choice(["1.30", "1.31", "1.32"]),
            "nodeCount": rng.randint(3, 40),
            "region": rng.choice(["westeurope", "northeurope"]),
        }
    elif t == "container":
        attrs = {
            "image": f"registry.{DOMAIN}/{ci.id}:{rng.randint(1, 9)}.{rng.randint(0, 30)}",
            "replicas": rng.randint(2, 6),
        }
    elif t == "cache":
        attrs = {
            "engine": "Redis",
            "memoryGb": rng.choice([1, 2, 4, 8]),
            "highAvailability": True,
        }
    elif t == "message-queue":
        attrs = {
            "engine": rng.choice(["RabbitMQ", "IBM MQ", "Azure Service Bus"]),
            "queues": rng.randint(2, 80),
        }
    elif t in ("storage", "backup"):
        attrs = {
            "capacityTb": rng.choice([20, 50, 120, 400]),
            "retentionDays": rng.choice([14, 30, 90, 365]),
        }
    elif t == "saas":
        attrs = {
            "plan": rng.choice(["Enterprise", "Business", "Premium"]),
            "seats": rng.randint(50, 5000),
            "sso": True,
        }
    elif t == "cloud-service":
        attrs = {
            "provider": "Azure",
            "service": rng.choice(["Front Door", "Event Hubs", "Key Vault", "Blob Storage"]),
            "region": "westeurope",
        }
    elif t == "monitoring":
        attrs = {"tool": rng.choice(["Prometheus", "Grafana", "Zabbix"]), "retentionDays": 30}
    else:
        ip = f"10.{rng.randint(0, 40)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        attrs = {
            "managementIp": ip,
            "firmware": f"{rng.randint(4, 11)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
        }
    if model:
        attrs["model"] = model
    return attrs
