"""Seeded generator of synthetic catalogctl catalogs, for benchmarks and tests.

    python benchmarks/generate.py OUT_DIR --entities 10000 [--seed 1]

writes a complete catalog repository (``catalogctl.yaml``, ``catalog/``,
``changes/``) for the fictional Fabrikam Freight into OUT_DIR. The same seed
always gives the same files, byte for byte. The result lints with zero errors
and zero warnings::

    cd OUT_DIR && catalogctl lint --today 2026-11-28

Entities are split like a real catalog: about 2% teams, 20% services, 5% SLAs,
55% configuration items, 1% change templates and the rest change requests.
References only point "down" (a service depends on services generated before
it, a CI relates to CIs generated before it), so the graph has no cycles, and
nothing in use depends on anything retired. Every live tier-1/2 service is in
an SLA; change windows never overlap and avoid the policy's freezes; dates
that lint checks against today (``expires``, ``review``) lie years ahead.

Import it to build catalogs in tests::

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate
    generate(tmp_path / "catalog", entities=200, seed=3)

Only the standard library is used; YAML is written by a small emitter that
quotes every string another YAML reader could take for something else
(``"08:00"``, ``"2022"``, ``"on"``), but writes dates and date-times plainly,
as people do (``review: 2028-09-30``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_SEED", "TODAY", "Counts", "generate", "split_counts"]

DEFAULT_SEED = 1
TODAY = dt.date(2026, 11, 28)  # the date the benchmark lints "as of"
ORG = "Fabrikam Freight"
DOMAIN = "fabrikam.example"
GITHUB_ORG = "fabrikam-freight"

# --------------------------------------------------------------------------- #
# A small YAML emitter
# --------------------------------------------------------------------------- #


class Flow(dict[str, Any]):
    """A mapping written in flow style: ``{type: runs-on, target: vm-01}``."""


class Inline(list[Any]):
    """A list of scalars written in flow style: ``[hr, finance]``."""


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:[0-9]{2})\Z"
)
# Plain (unquoted) only when no YAML reader can take it for anything but text:
# starts with a letter, no ':' or '#', no flow indicators, no leading or
# trailing blanks, and not one of YAML 1.1's boolean or null words.
_PLAIN_BLOCK = re.compile(r"[A-Za-z][A-Za-z0-9 ._/@()+,'`%;!?-]*\Z")
_PLAIN_FLOW = re.compile(r"[A-Za-z][A-Za-z0-9 ._/@()+'`%;!?-]*\Z")
# Durations and schedules (15m, 4h, 2w, 24x7): digits then a letter that cannot
# start an exponent.
_PLAIN_UNIT = re.compile(r"[0-9]+[a-df-z][a-z0-9-]*\Z")
_SPECIAL_WORDS = frozenset(
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}
)


def _quote(text: str) -> str:
    # JSON string escapes are a subset of YAML double-quoted escapes.
    return json.dumps(text, ensure_ascii=False)


_CACHE: tuple[dict[str, str], dict[str, str]] = ({}, {})  # block, flow


def scalar(value: Any, flow: bool = False) -> str:
    """One scalar as YAML text."""
    if value.__class__ is str:
        cache = _CACHE[flow]
        done = cache.get(value)
        if done is None:
            done = cache[value] = _string(value, flow)
        return done
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if value is None:
        return "null"
    return _string(str(value), flow)


def _string(text: str, flow: bool) -> str:
    if _DATE.match(text) or _DATE_TIME.match(text) or _PLAIN_UNIT.match(text):
        return text
    plain = _PLAIN_FLOW if flow else _PLAIN_BLOCK
    if plain.match(text) and not text.endswith(" ") and text.lower() not in _SPECIAL_WORDS:
        return text
    return _quote(text)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {scalar(v, flow=True)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(scalar(v, flow=True) for v in value) + "]"


def _literal(text: str, indent: int, out: list[str]) -> str:
    """The header of a literal block scalar; appends its lines to `out`."""
    pad = " " * indent
    body = text.rstrip("\n")
    for line in body.split("\n"):
        out.append(f"{pad}{line}\n" if line else "\n")
    return "|" if text.endswith("\n") else "|-"


def _mapping(data: dict[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in data.items():
        if isinstance(value, Flow | Inline):
            out.append(f"{pad}{key}: {_flow(value)}\n")
        elif isinstance(value, dict):
            out.append(f"{pad}{key}:\n")
            _mapping(value, indent + 2, out)
        elif isinstance(value, list):
            out.append(f"{pad}{key}:\n")
            _sequence(value, indent + 2, out)
        elif isinstance(value, str) and "\n" in value:
            lines: list[str] = []
            header = _literal(value, indent + 2, lines)
            out.append(f"{pad}{key}: {header}\n")
            out.extend(lines)
        else:
            out.append(f"{pad}{key}: {scalar(value)}\n")


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, Flow | Inline):
            out.append(f"{pad}- {_flow(item)}\n")
        elif isinstance(item, dict):
            start = len(out)
            _mapping(item, indent + 2, out)
            out[start] = f"{pad}- {out[start][indent + 2 :]}"
        elif isinstance(item, str) and "\n" in item:
            lines: list[str] = []
            header = _literal(item, indent + 2, lines)
            out.append(f"{pad}- {header}\n")
            out.extend(lines)
        else:
            out.append(f"{pad}- {scalar(item)}\n")


def dump(document: dict[str, Any], comment: str | None = None) -> str:
    """A document as block-style YAML, optionally under a `# comment` line."""
    out: list[str] = [f"# {comment}\n"] if comment else []
    _mapping(document, 0, out)
    return "".join(out)


# --------------------------------------------------------------------------- #
# Vocabulary
# --------------------------------------------------------------------------- #


def _words(text: str, sep: str = "|") -> tuple[str, ...]:
    return tuple(text.split(sep))


# area id -> (display category, executive who signs its SLAs, "|"-separated systems)
_AREA_TABLE = {
    "finance": (
        "Finance",
        "CFO",
        "General Ledger|Accounts Payable|Accounts Receivable|Treasury|Expense Management|"
        "Freight Invoicing|Tax Reporting|Budget Planning|Fixed Assets|Payment Hub",
    ),
    "hr": (
        "Human Resources",
        "CHRO",
        "HR Core|Payroll|Recruiting Portal|Learning Platform|Time Recording|"
        "Performance Reviews|Benefits Portal|Onboarding Workflow|Workforce Planning|"
        "People Directory",
    ),
    "logistics": (
        "Logistics",
        "COO",
        "Transport Management|Shipment Tracking|Route Planning|Carrier Portal|"
        "Customs Declarations|Dock Scheduling|Proof of Delivery|Freight Exchange|Partner EDI|"
        "Rate Engine",
    ),
    "warehouse": (
        "Warehousing",
        "COO",
        "Warehouse Management|Yard Management|Inventory Control|Label Printing|Pick by Voice|"
        "Returns Processing|Slotting Optimiser|Cycle Counting|Cold Chain Monitoring|"
        "Packing Stations",
    ),
    "fleet": (
        "Fleet",
        "COO",
        "Fleet Telematics|Driver App|Tachograph Archive|Fuel Cards|Vehicle Maintenance|"
        "Tyre Management|Eco Driving|Trailer Tracking",
    ),
    "sales": (
        "Sales",
        "CCO",
        "Customer Relationship Management|Quotation Engine|Customer Portal|"
        "Contract Management|Pricing Service|Sales Analytics|Partner Onboarding|Tender Desk",
    ),
    "procurement": (
        "Procurement",
        "CFO",
        "Purchasing|Supplier Portal|Catalogue Search|Spend Analytics|Invoice Capture|Supplier Risk",
    ),
    "data": (
        "Data and Analytics",
        "CDO",
        "Data Warehouse|Logistics Analytics|Reporting Portal|Data Lake|Master Data|"
        "Demand Forecasting|Data Catalog|Event Streaming",
    ),
    "collaboration": (
        "Collaboration",
        "CIO",
        "Email and Calendar|Intranet|Video Meetings|File Sharing|Team Chat|Digital Signage|"
        "Print Service|Fax Gateway",
    ),
    "security": (
        "Security",
        "CISO",
        "Identity and SSO|Privileged Access|Endpoint Protection|Security Monitoring|"
        "Secrets Vault|Certificate Authority|Email Security|Vulnerability Scanning",
    ),
    "infrastructure": (
        "Infrastructure",
        "CIO",
        "Private Cloud|Container Platform|Database Platform|Corporate Network|"
        "Backup and Recovery|API Gateway|Cloud Landing Zone|Remote Access|Storage Platform|"
        "DNS and DHCP",
    ),
    "support": (
        "IT Support",
        "CIO",
        "IT Service Desk|Device Management|Software Centre|Self-Service Portal|"
        "Asset Inventory|Remote Support",
    ),
}
# (area id, display category, systems, executive)
AREAS: tuple[tuple[str, str, tuple[str, ...], str], ...] = tuple(
    (area, category, _words(systems), executive)
    for area, (category, executive, systems) in _AREA_TABLE.items()
)
TECHNICAL_AREAS = frozenset({"infrastructure", "security", "data"})
REGIONS = (
    "",
    *_words(
        "Germany|Nordics|Benelux|Poland|Iberia|UK|France|Italy|Austria|Czechia|Baltics|"
        "Switzerland|Americas|APAC|Middle East"
    ),
)
TEAM_FUNCTIONS = _words("systems|apps|platform|operations|engineering|integration|data|support")
FIRST = _words(
    "alice bjorn carmen dev erik fatima greta hassan ingrid jonas kemal lena marta nadia oskar "
    "pia quentin rosa sven tomas ula viktor wiebke xavier yara zofia amir bea chen dario elif "
    "finn gabriel hana ivan jana kai luca mei nils",
    " ",
)
LAST = _words(
    "ng larsen ruiz patel holm zahra berg aydin kowalski novak fischer haddad marin meyer "
    "jensen rossi silva nowak dubois schmidt kovac virtanen moreau costa weber lind popescu "
    "horvat okafor tanaka muller andersen garcia nielsen janssen kaya",
    " ",
)
SITES = ("fra", "ham", "ams", "waw", "mad", "lon", "weu", "neu")
SITE_NAMES = {
    "fra": "Frankfurt DC",
    "ham": "Hamburg DC",
    "ams": "Amsterdam DC",
    "waw": "Warsaw DC",
    "mad": "Madrid DC",
    "lon": "London DC",
    "weu": "Azure West Europe",
    "neu": "Azure North Europe",
}
CURRENCIES = ("EUR", "EUR", "EUR", "EUR", "GBP", "PLN", "SEK", "USD", "CHF")
SCHEDULES = ("24x7", "business-hours", "extended-hours")

# CI type -> folder under catalog/cis/
CI_FOLDER = {
    "application": "applications",
    "container": "applications",
    "server": "compute",
    "virtual-machine": "compute",
    "container-cluster": "compute",
    "database": "databases",
    "network-device": "network",
    "load-balancer": "network",
    "firewall": "network",
    "storage": "storage",
    "backup": "storage",
    "cloud-service": "cloud",
    "saas": "saas",
    "certificate": "certificates",
    "dns-record": "dns",
    "message-queue": "middleware",
    "cache": "middleware",
    "monitoring": "middleware",
}
# Shared infrastructure, built in waves: (id prefix, CI type, label, relations).
# Each relation (type, target CI types) points at an earlier shared CI.
SHARED: tuple[tuple[str, str, str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    ("core-sw", "network-device", "Core switch", ()),
    ("fw", "firewall", "Firewall cluster", (("connects-to", ("network-device",)),)),
    ("san", "storage", "SAN array", (("depends-on", ("network-device",)),)),
    (
        "esx",
        "server",
        "vSphere host",
        (("depends-on", ("storage",)), ("depends-on", ("network-device",))),
    ),
    ("lb", "load-balancer", "Load balancer", (("depends-on", ("firewall",)),)),
    ("sql", "server", "SQL Server host", (("depends-on", ("storage",)),)),
    ("aks", "container-cluster", "Kubernetes cluster", (("depends-on", ("load-balancer",)),)),
    ("esx", "server", "vSphere host", (("depends-on", ("storage",)),)),
    ("mq", "message-queue", "Message broker", (("hosted-on", ("server",)),)),
    (
        "backup",
        "backup",
        "Backup repository",
        (("depends-on", ("storage",)), ("connects-to", ("server",))),
    ),
    ("mon", "monitoring", "Monitoring stack", (("runs-on", ("container-cluster",)),)),
    ("saas", "saas", "SaaS tenant", ()),
    ("cloud", "cloud-service", "Cloud service", (("connects-to", ("firewall",)),)),
    ("redis", "cache", "Shared cache", (("runs-on", ("container-cluster",)),)),
)
SAAS_VENDORS = _words(
    "Workday|Concur|Snowflake|Jira Service Management|DATEV|Salesforce|ServiceNow|"
    "Microsoft 365|Coupa|Okta|Zscaler|Miro|Slack|DocuSign|SAP Ariba"
)
SAAS_VARIANTS = ("", "sandbox", "emea", "americas", "apac", "test")
HARDWARE = {
    "network-device": ("Arista", "7280R3"),
    "firewall": ("Palo Alto", "PA-5450"),
    "storage": ("NetApp", "AFF A400"),
    "server": ("Dell", "PowerEdge R660"),
    "load-balancer": ("F5", "BIG-IP i5800"),
}

TEMPLATES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("os-patching", "Monthly OS patching", ("virtual-machine", "server"), ("2h", "4h")),
    ("database-minor-patch", "Database minor version patch", ("database",), ("2h", "4h")),
    ("tls-certificate-renewal", "TLS certificate renewal", ("certificate",), ("1h", "2h")),
    ("dns-record-change", "DNS record change", ("dns-record",), ("30m", "1h")),
    ("node-pool-scale", "Kubernetes node pool scaling", ("container-cluster",), ("1h", "2h")),
    ("firewall-rule-change", "Firewall rule change", ("firewall",), ("1h", "2h")),
    ("lb-pool-change", "Load balancer pool member change", ("load-balancer",), ("1h",)),
    ("cache-flush", "Cache flush and warm-up", ("cache",), ("30m", "1h")),
    (
        "container-image-update",
        "Container image update",
        ("container", "application"),
        ("1h", "2h"),
    ),
    ("backup-policy-change", "Backup policy change", ("backup",), ("1h",)),
    ("storage-volume-extend", "Storage volume extension", ("storage", "database"), ("2h",)),
    ("saas-config-change", "SaaS configuration change", ("saas", "cloud-service"), ("1h", "4h")),
    ("alert-rule-tuning", "Monitoring alert rule tuning", ("monitoring",), ("1h",)),
    ("network-firmware-patch", "Network device firmware patch", ("network-device",), ("2h", "4h")),
    ("queue-maintenance", "Message queue maintenance", ("message-queue",), ("1h", "2h")),
)
# A service's own CIs, most common first; created in STACK_ORDER so that
# relations always point at CIs created earlier.
STACK_PARTS = (
    "app",
    "vm1",
    "db",
    "dns",
    "cert",
    "vm2",
    "dbdr",
    "cache",
    "vmstg",
    "appstg",
    "ctr",
    "mq",
)
STACK_ORDER = (
    "vm1",
    "vm2",
    "vmstg",
    "db",
    "dbdr",
    "cache",
    "mq",
    "app",
    "appstg",
    "ctr",
    "dns",
    "cert",
)
STACK_MAX = len(STACK_PARTS)
STATES = ("new", "assess", "authorize", "scheduled", "implement", "review", "closed", "canceled")
REASONS = (
    "vendor advisory",
    "capacity forecast",
    "audit finding",
    "end of support",
    "customer request",
)
CHANGE_TYPES = ("standard", "normal", "emergency")
WINDOW_REQUIRED = frozenset({"scheduled", "implement", "review", "closed"})
# Policy freezes (see POLICY below): no window may overlap them.
_UTC = dt.UTC
FREEZES = (
    (dt.datetime(2026, 12, 18, 23, tzinfo=_UTC), dt.datetime(2027, 1, 3, 23, tzinfo=_UTC)),
    (dt.datetime(2027, 11, 21, 23, tzinfo=_UTC), dt.datetime(2027, 11, 30, 23, tzinfo=_UTC)),
)

POLICY = f"""\
# catalogctl policy for {ORG} (synthetic catalog, generated by benchmarks/generate.py).
# Every key except apiVersion and kind is optional; see docs/data-model.md.
apiVersion: catalogctl/v1
kind: Policy

# The Change Advisory Board approves normal changes; the emergency CAB
# (a smaller on-call group) approves emergency changes.
cab:
  team: cab
  emergencyTeam: ecab

# CAB approvals needed, by computed risk.
approvals:
  low: 1
  medium: 1
  high: 2
  emergency: 1

# Minimum notice between the merge of a change and the start of its window.
leadTimes:
  normal: 3d
  standard: 1h
  emergency: 0m

freezes:
  - id: year-end-2026
    name: Year-end freeze 2026
    start: 2026-12-19T00:00:00+01:00
    end: 2027-01-04T00:00:00+01:00
    allow: [emergency]
  - id: peak-season-2027
    name: Peak season freeze 2027
    start: 2027-11-22T00:00:00+01:00
    end: 2027-12-01T00:00:00+01:00
    allow: [standard, emergency]

# Support and service-level hours. The built-in `24x7` schedule need not be
# declared.
schedules:
  - id: business-hours
    name: Business hours (Hamburg head office)
    timezone: Europe/Berlin
    days: [mon, tue, wed, thu, fri]
    start: "08:00"
    end: "18:00"
  - id: extended-hours
    name: Extended hours (warehouse shifts)
    timezone: Europe/Berlin
    days: [mon, tue, wed, thu, fri, sat]
    start: "06:00"
    end: "22:00"

site:
  title: {ORG} IT Service Catalog
  url: "https://it.{DOMAIN}/catalog"
  organisation: {ORG}
"""


# --------------------------------------------------------------------------- #
# Counts
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Counts:
    teams: int
    services: int
    slas: int
    cis: int
    templates: int
    changes: int

    @property
    def total(self) -> int:
        return self.teams + self.services + self.slas + self.cis + self.templates + self.changes


MIN_ENTITIES = 7  # cab, ecab, one delivery team, a service, an SLA, a CI, a template


def split_counts(entities: int) -> Counts:
    """How many entities of each kind make up `entities` (exactly)."""
    if entities < MIN_ENTITIES:
        raise ValueError(f"need at least {MIN_ENTITIES} entities, got {entities}")
    teams = max(3, round(entities * 0.02))
    services = max(1, round(entities * 0.20))
    slas = max(1, round(entities * 0.05))
    templates = max(1, round(entities * 0.01))
    cis = max(1, round(entities * 0.55))
    while teams + services + slas + templates + cis > entities:  # tiny catalogs only
        if cis > 1:
            cis -= 1
        elif services > 1:
            services -= 1
        else:
            teams -= 1
    changes = entities - teams - services - slas - templates - cis
    return Counts(teams, services, slas, cis, templates, changes)


# --------------------------------------------------------------------------- #
# Model of the generated catalog
# --------------------------------------------------------------------------- #


@dataclass
class TeamInfo:
    id: str
    area: str
    members: list[str]


@dataclass
class ServiceInfo:
    index: int
    id: str
    name: str
    area: str
    category: str
    owner: str
    type: str
    lifecycle: str
    tier: int
    site: str
    cis: list[str] = field(default_factory=list)


@dataclass
class CIInfo:
    index: int
    id: str
    type: str
    status: str
    owner: str
    service: str | None  # the service whose stack it belongs to (None: shared)
    name: str


@dataclass(frozen=True)
class TemplateInfo:
    id: str
    title: str
    ci_types: tuple[str, ...]
    max_minutes: int


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _unique(base: str, used: dict[str, int], limit: int = 63) -> str:
    """`base`, or `base-2`, `base-3`... the first one not used yet."""
    base = base[:limit].rstrip("-")
    count = used.get(base, 0) + 1
    used[base] = count
    if count == 1:
        return base
    candidate = f"{base[: limit - len(str(count)) - 1].rstrip('-')}-{count}"
    while candidate in used:
        count += 1
        candidate = f"{base[: limit - len(str(count)) - 1].rstrip('-')}-{count}"
    used[candidate] = 1
    used[base] = count
    return candidate


def _wrap(text: str, width: int = 74) -> str:
    """Greedy word wrap (textwrap is slow and we only need this)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "\n".join(lines)


def _markdown(*paragraphs: str) -> str:
    return "\n\n".join(_wrap(p) for p in paragraphs if p) + "\n"


def _tags(*tags: str) -> Inline:
    out = Inline()
    for tag in tags:
        slug = _slug(tag)[:41].strip("-")
        if slug and slug not in out:
            out.append(slug)
    return out


def _berlin_offset(instant: dt.datetime) -> dt.timedelta:
    """Europe/Berlin's UTC offset at a UTC instant (EU rules: last Sundays, 01:00 UTC)."""

    def last_sunday(year: int, month: int) -> dt.datetime:
        day = dt.date(year, month, 31)
        day -= dt.timedelta(days=(day.weekday() + 1) % 7)
        return dt.datetime(day.year, day.month, day.day, 1, tzinfo=dt.UTC)

    summer = last_sunday(instant.year, 3) <= instant < last_sunday(instant.year, 10)
    return dt.timedelta(hours=2 if summer else 1)


def _local(instant: dt.datetime) -> str:
    offset = _berlin_offset(instant)
    local = (instant + offset).replace(tzinfo=None)
    hours = int(offset.total_seconds()) // 3600
    return f"{local.isoformat(timespec='seconds')}+{hours:02d}:00"


def _utc(day: dt.date, hour: int) -> dt.datetime:
    """A Berlin wall-clock time (never in the DST gap here) as a UTC instant."""
    noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    wall = dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
    return wall - _berlin_offset(noon)


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> str:
    return (start + dt.timedelta(days=rng.randrange((end - start).days + 1))).isoformat()


# --------------------------------------------------------------------------- #
# The generator
# --------------------------------------------------------------------------- #


class _Generator:
    def __init__(self, counts: Counts, seed: int) -> None:
        self.counts = counts
        self.rng = random.Random(seed)
        self.files: dict[str, str] = {}  # repo-relative path -> text
        self.teams: list[TeamInfo] = []
        self.teams_by_area: dict[str, list[TeamInfo]] = {}
        self.people: list[str] = []
        self.services: list[ServiceInfo] = []
        self.cis: list[CIInfo] = []
        self.shared_by_type: dict[str, list[CIInfo]] = {}  # non-retired shared CIs
        self.usable_by_type: dict[str, list[CIInfo]] = {}  # every non-retired CI
        self.ci_by_id: dict[str, CIInfo] = {}
        self.active_services: list[ServiceInfo] = []  # written so far, not retired
        self.technical_services: list[ServiceInfo] = []  # the technical ones of those
        self.templates: list[TemplateInfo] = []
        self.standard_pools: list[tuple[TemplateInfo, list[CIInfo]]] = []
        self.service_by_id: dict[str, ServiceInfo] = {}
        self.ids: dict[str, dict[str, int]] = {}

    # ---- helpers ---------------------------------------------------------- #

    def new_id(self, kind: str, base: str) -> str:
        return _unique(base, self.ids.setdefault(kind, {}))

    def emit(self, path: str, document: dict[str, Any], comment: str | None = None) -> None:
        self.files[path] = dump(document, comment)

    def links(self, slug: str, kinds: Sequence[str], max_links: int = 3) -> list[dict[str, Any]]:
        rng = self.rng
        chosen = rng.sample(list(kinds), k=min(len(kinds), rng.randint(0, max_links)))
        urls = {
            "runbook": (f"{slug} runbook", f"https://wiki.{DOMAIN}/it/runbooks/{slug}"),
            "docs": ("User guide", f"https://wiki.{DOMAIN}/docs/{slug}"),
            "dashboard": (f"{slug} dashboard", f"https://grafana.{DOMAIN}/d/{slug}-overview"),
            "repository": ("Source repository", f"https://github.com/{GITHUB_ORG}/{slug}"),
            "status": ("Status page", f"https://status.{DOMAIN}/{slug}"),
            "request": ("Request form", f"https://help.{DOMAIN}/request/{slug}"),
        }
        return [{"title": urls[k][0], "url": urls[k][1], "type": k} for k in chosen]

    def envelope(
        self,
        kind: str,
        entity_id: str,
        name: str,
        description: str | None,
        tags: Inline,
        links: list[dict[str, Any]],
    ) -> dict[str, Any]:
        metadata: dict[str, Any] = {"id": entity_id, "name": name}
        if description:
            metadata["description"] = description
        if tags:
            metadata["tags"] = tags
        if links:
            metadata["links"] = links
        return {"apiVersion": "catalogctl/v1", "kind": kind, "metadata": metadata}

    def person(self) -> str:
        return self.rng.choice(self.people)

    def team_for(self, area: str) -> TeamInfo:
        candidates = self.teams_by_area.get(area) or self.teams[2:] or self.teams
        return self.rng.choice(candidates)

    # ---- teams ------------------------------------------------------------ #

    def make_people(self) -> None:
        rng = self.rng
        wanted = max(12, self.counts.teams * 4)
        pool = [f"{f}-{last}" for f in FIRST for last in LAST]
        rng.shuffle(pool)
        people = pool[:wanted]
        serial = 2
        while len(people) < wanted:
            people.extend(f"{p}{serial}" for p in pool[: wanted - len(people)])
            serial += 1
        self.people = people

    def make_teams(self) -> None:
        rng = self.rng
        self.make_people()
        delivery = self.counts.teams - 2
        plan: list[tuple[str, str]] = []  # (id base, area)
        for i in range(delivery):
            area = AREAS[i % len(AREAS)][0]
            function = TEAM_FUNCTIONS[(i // len(AREAS)) % len(TEAM_FUNCTIONS)]
            plan.append((f"{area}-{function}", area))
        people = list(self.people)
        rng.shuffle(people)
        cursor = 0
        for base, area in plan:
            size = rng.randint(3, 7)
            members = [people[(cursor + k) % len(people)] for k in range(size)]
            cursor += size
            team = TeamInfo(self.new_id("team", base), area, members)
            self.teams.append(team)
            self.teams_by_area.setdefault(area, []).append(team)
        everyone = [m for t in self.teams for m in t.members]
        cab = TeamInfo("cab", "governance", rng.sample(everyone, min(len(everyone), 6)))
        ecab = TeamInfo("ecab", "governance", cab.members[:3])
        self.teams[:0] = [cab, ecab]
        for team in self.teams:
            self.write_team(team)

    def write_team(self, team: TeamInfo) -> None:
        rng = self.rng
        area_name = next((a[1] for a in AREAS if a[0] == team.area), "Governance")
        if team.id == "cab":
            name = "Change Advisory Board"
            description = _markdown(
                "Reviews and authorises normal changes every Tuesday and Thursday. Members "
                "are senior engineers from the delivery teams, chaired by the change manager."
            )
        elif team.id == "ecab":
            name = "Emergency Change Advisory Board"
            description = _markdown(
                "Authorises emergency changes around the clock; reachable through the "
                "major incident bridge."
            )
        else:
            function = team.id.split("-")[1] if "-" in team.id else "systems"
            name = f"{area_name} {function.capitalize()}"
            if not team.id.endswith(function):
                name += f" {team.id.rsplit('-', 1)[-1]}"
            description = _markdown(
                f"Builds and runs the {area_name.lower()} {function} estate for {ORG}: "
                f"{rng.choice(['releases', 'patching', 'integrations', 'capacity planning'])}, "
                f"{rng.choice(['on-call', 'vendor management', 'access reviews', 'upgrades'])} "
                f"and second-line support for the service desk."
            )
        document = self.envelope(
            "Team",
            team.id,
            name,
            description,
            _tags(team.area, "governance" if team.area == "governance" else "delivery"),
            self.links(team.id, ("docs", "repository", "dashboard"), 2),
        )
        spec: dict[str, Any] = {
            "github": f"{GITHUB_ORG}/{team.id}",
            "members": list(team.members),
            "email": f"{team.id}@{DOMAIN}",
        }
        if rng.random() < 0.6:
            spec["oncall"] = f"https://{GITHUB_ORG}.pagerduty.example/schedules/{team.id}"
        document["spec"] = spec
        self.emit(f"catalog/teams/{team.id}.yaml", document)

    # ---- configuration items ---------------------------------------------- #

    def add_ci(
        self,
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
        rng = self.rng
        ci = CIInfo(
            len(self.cis),
            self.new_id("ci", base),
            ci_type,
            status,
            owner,
            service.id if service else None,
            name,
        )
        self.cis.append(ci)
        self.ci_by_id[ci.id] = ci
        if status != "retired":
            self.usable_by_type.setdefault(ci_type, []).append(ci)
            if service is None:
                self.shared_by_type.setdefault(ci_type, []).append(ci)
        description = None
        if rng.random() < 0.4:
            purpose = f"the {service.name} service" if service else "shared infrastructure"
            description = _markdown(
                f"{name}, part of {purpose}. Managed by {owner}; changes go through the "
                f"{rng.choice(['standard change templates', 'CAB', 'platform pipeline'])}."
            )
        document = self.envelope(
            "ConfigurationItem",
            ci.id,
            name,
            description,
            _tags(CI_FOLDER[ci_type], ci_type, *extra_tags),
            self.links(ci.id, ("runbook", "dashboard"), 1),
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
            spec["expires"] = _date_between(rng, dt.date(2029, 1, 1), dt.date(2033, 12, 31))
        spec["attributes"] = self.attributes(ci, model, site)
        document["spec"] = spec
        comment = None
        if status == "retired":
            comment = "Retired; kept for the record until the next audit."
        self.emit(f"catalog/cis/{CI_FOLDER[ci_type]}/{ci.id}.yaml", document, comment)
        return ci

    def attributes(self, ci: CIInfo, model: str | None, site: str) -> dict[str, Any]:
        rng = self.rng
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

    def pick_shared(self, types: Sequence[str]) -> CIInfo | None:
        """A random shared, non-retired CI of one of `types` (None: there is none)."""
        pools = [self.shared_by_type.get(t, []) for t in types]
        pick = self.rng.randrange(sum(map(len, pools)) or 1)
        for pool in pools:
            if pick < len(pool):
                return pool[pick]
            pick -= len(pool)
        return None

    def make_shared(self, count: int) -> None:
        rng = self.rng
        infra = self.teams_by_area.get("infrastructure") or self.teams[2:] or self.teams
        serial: dict[tuple[str, str], int] = {}
        for i in range(count):
            prefix, ci_type, label, relation_spec = SHARED[i % len(SHARED)]
            site = SITES[(i // len(SHARED)) % len(SITES)]
            number = serial[(prefix, site)] = serial.get((prefix, site), 0) + 1
            retired = i >= len(SHARED) and rng.random() < 0.02
            base = f"{prefix}-{site}-{number:02d}" + ("-legacy" if retired else "")
            name = f"{label} {SITE_NAMES[site]} {number:02d}"
            vendor = None
            environment = "dr" if site == "neu" and rng.random() < 0.5 else "production"
            if ci_type == "saas":
                wave = i // len(SHARED)
                vendor = SAAS_VENDORS[wave % len(SAAS_VENDORS)]
                variant = SAAS_VARIANTS[(wave // len(SAAS_VENDORS)) % len(SAAS_VARIANTS)]
                base = f"saas-{_slug(vendor)}" + (f"-{variant}" if variant else "")
                name = f"{vendor} tenant" + (f" ({variant})" if variant else "")
                environment = "staging" if variant in ("sandbox", "test") else "production"
            relations: list[Flow] = []
            for relation, targets in relation_spec:
                target = self.pick_shared(targets)
                if target is not None and all(r["target"] != target.id for r in relations):
                    relations.append(Flow(type=relation, target=target.id))
            status = (
                "retired"
                if retired
                else rng.choices(["in-service", "maintenance", "planned"], [94, 4, 2])[0]
            )
            self.add_ci(
                base,
                ci_type,
                name,
                rng.choice(infra).id,
                status,
                environment,
                relations,
                None,
                (site,),
                site=site,
                vendor=vendor,
            )

    def make_stack(self, service: ServiceInfo, size: int) -> None:
        """The CIs a service runs on, infrastructure first so relations point down."""
        rng = self.rng
        slug = service.id
        wanted = STACK_PARTS[:size]
        order = STACK_ORDER
        if service.lifecycle == "retired":
            status = "retired"
        elif service.lifecycle == "pipeline":
            status = "planned"
        else:
            status = "in-service"
        made: dict[str, CIInfo] = {}
        for part in order:
            if part not in wanted:
                continue
            ci_status = status
            if status == "in-service" and rng.random() < 0.04:
                ci_status = "maintenance"
            relations: list[Flow] = []

            def rel(kind: str, target: CIInfo | None, relations: list[Flow] = relations) -> None:
                if target is not None and all(r["target"] != target.id for r in relations):
                    relations.append(Flow(type=kind, target=target.id))

            env = "production"
            if part in ("vm1", "vm2", "vmstg"):
                number = {"vm1": "app-01", "vm2": "app-02", "vmstg": "stg-01"}[part]
                base, ci_type = f"vm-{slug}-{number}", "virtual-machine"
                name = f"{service.name} application server {number[-2:]}"
                if part == "vmstg":
                    env, name = "staging", f"{service.name} staging server"
                rel("hosted-on", self.pick_shared(["server"]))
            elif part in ("db", "dbdr"):
                base = f"db-{slug}-{'prod' if part == 'db' else 'dr'}"
                ci_type, name = "database", f"{service.name} database"
                if part == "dbdr":
                    env, name = "dr", f"{service.name} database (DR replica)"
                    rel("connects-to", made.get("db"))
                rel("hosted-on", self.pick_shared(["server"]))
            elif part == "cache":
                base, ci_type, name = f"redis-{slug}", "cache", f"{service.name} cache"
                rel("runs-on", self.pick_shared(["container-cluster"]))
            elif part == "mq":
                base, ci_type, name = f"mq-{slug}", "message-queue", f"{service.name} queues"
                rel("hosted-on", self.pick_shared(["server"]))
            elif part in ("app", "appstg"):
                base = f"app-{slug}" + ("-staging" if part == "appstg" else "")
                ci_type, name = "application", f"{service.name} application"
                if part == "appstg":
                    env, name = "staging", f"{service.name} application (staging)"
                    rel("runs-on", made.get("vmstg"))
                else:
                    rel("runs-on", made.get("vm1") or self.pick_shared(["container-cluster"]))
                    rel("runs-on", made.get("vm2"))
                    rel("depends-on", made.get("db"))
                    rel("depends-on", made.get("cache"))
                    if rng.random() < 0.3:
                        rel("connects-to", self.pick_shared(["message-queue"]))
            elif part == "ctr":
                base, ci_type = f"ctr-{slug}-api", "container"
                name = f"{service.name} API container"
                rel("runs-on", self.pick_shared(["container-cluster"]))
                rel("depends-on", made.get("app"))
            elif part == "dns":
                base, ci_type, name = f"dns-{slug}", "dns-record", f"DNS name of {service.name}"
                rel("depends-on", self.pick_shared(["load-balancer"]))
            else:
                base, ci_type = f"cert-{slug}", "certificate"
                name = f"TLS certificate for {service.name}"
            if ci_status == "retired":
                relations = [r for r in relations if r["type"] == "connects-to"] or relations
            made[part] = self.add_ci(
                base,
                ci_type,
                name,
                service.owner,
                ci_status,
                env,
                relations,
                service,
                (service.area,),
            )
        service.cis = [made[p].id for p in wanted if p in made]

    # ---- services --------------------------------------------------------- #

    def plan_services(self) -> None:
        rng = self.rng
        used: dict[str, int] = {}
        combos = [
            (a, s, r)
            for a in range(len(AREAS))
            for s in range(len(AREAS[a][2]))
            for r in range(len(REGIONS))
        ]
        rng.shuffle(combos)
        # Infrastructure comes first in the list so that business services
        # generated later can depend on it.
        combos.sort(key=lambda c: (AREAS[c[0]][0] not in TECHNICAL_AREAS, REGIONS[c[2]] != ""))
        head = [c for c in combos if REGIONS[c[2]] == "" or AREAS[c[0]][0] in TECHNICAL_AREAS]
        head = head[: max(1, self.counts.services // 6)]
        taken = {id(c) for c in head}
        rest = [c for c in combos if id(c) not in taken]
        rng.shuffle(rest)
        order = head + rest
        for index in range(self.counts.services):
            a, s, r = order[index % len(order)]
            area, category, systems, _ = AREAS[a]
            name = systems[s] + (f" {REGIONS[r]}" if REGIONS[r] else "")
            if index >= len(order):
                name += f" {index // len(order) + 1}"
            service_id = _unique(_slug(name), used, limit=40)
            technical = area in TECHNICAL_AREAS
            stype = "technical" if (rng.random() < 0.85) == technical else "business"
            lifecycle = rng.choices(["live", "pipeline", "retired"], [84, 8, 8])[0]
            tier = rng.choices([1, 2, 3, 4], [15, 30, 35, 20])[0]
            service = ServiceInfo(
                index,
                service_id,
                name,
                area,
                category,
                self.team_for(area).id,
                stype,
                lifecycle,
                tier,
                rng.choice(SITES),
            )
            self.services.append(service)
            self.service_by_id[service_id] = service

    def assign_stacks(self, budget: int) -> int:
        """Spread `budget` CIs over the services' stacks; returns what is left."""
        rng = self.rng
        n = len(self.services)
        sizes = [1 if i < budget else 0 for i in range(n)]
        spread = min(budget, STACK_MAX * n) - sum(sizes)
        leftover = budget - sum(sizes) - spread
        # Critical services run on more CIs: weight 4 for tier 1 ... 1 for tier 4.
        cumulative = list(itertools.accumulate(5 - s.tier for s in self.services))
        while spread > 0:
            for i in rng.choices(range(n), cum_weights=cumulative, k=spread):
                if sizes[i] < STACK_MAX and spread > 0:
                    sizes[i] += 1
                    spread -= 1
        for service, size in zip(self.services, sizes, strict=True):
            self.make_stack(service, size)
        return leftover

    def write_service(self, service: ServiceInfo) -> None:
        rng = self.rng
        active = service.lifecycle != "retired"
        # Only services written before this one (lower index): no cycles.
        candidates, technical = self.active_services, self.technical_services
        pool = technical if len(technical) >= 2 and rng.random() < 0.8 else candidates
        wanted = min(len(pool), rng.choice([0, 1, 1, 2, 2, 3, 4]))
        depends = [s.id for s in rng.sample(pool, wanted)]
        if active:
            self.active_services.append(service)
            if service.type == "technical":
                self.technical_services.append(service)
        cis = [c for c in service.cis if active is False or self.ci_by_id[c].status != "retired"]
        if active and rng.random() < 0.5:
            for types in (["load-balancer"], ["container-cluster", "server"]):
                shared = self.pick_shared(types)
                if shared is not None and shared.id not in cis:
                    cis.append(shared.id)
        team = service.owner
        when = rng.choice(
            [
                "around the clock",
                "during office hours",
                "on every shift",
                "at month end",
                "in every depot",
            ]
        )
        users = rng.choice(
            [
                "dispatchers",
                "planners",
                "accountants",
                "warehouse staff",
                "drivers",
                "customers",
                "all employees",
                "the service desk",
            ]
        )
        paragraphs = [
            f"{service.name} for {ORG}: the {service.category.lower()} "
            f"{'platform' if service.type == 'technical' else 'service'} that {users} rely on "
            f"{when}.",
        ]
        if rng.random() < 0.5:
            paragraphs.append(
                f"Run by the {team} team. Tier {service.tier}; "
                f"{'customer-facing' if service.type == 'business' else 'used by other services'}."
            )
        if service.lifecycle == "retired":
            paragraphs.append(f"Retired in {rng.randint(2023, 2026)}; kept for the audit trail.")
        elif service.lifecycle == "pipeline":
            paragraphs.append(f"Planned go-live in {rng.choice(['Q2', 'Q3', 'Q4'])} 2027.")
        document = self.envelope(
            "Service",
            service.id,
            service.name,
            _markdown(*paragraphs),
            _tags(service.area, service.type, *service.name.split()[:2]),
            self.links(service.id, ("runbook", "dashboard", "docs", "status", "repository")),
        )
        spec: dict[str, Any] = {
            "owner": team,
            "type": service.type,
            "lifecycle": service.lifecycle,
            "tier": service.tier,
            "visibility": "public"
            if service.type == "business" and rng.random() < 0.6
            else "internal",
            "category": service.category,
        }
        if depends:
            spec["dependsOn"] = depends
        if cis:
            spec["cis"] = cis
        if active:
            support: dict[str, Any] = {
                "hours": "24x7" if service.tier == 1 else rng.choice(SCHEDULES)
            }
            support["email"] = f"{team}@{DOMAIN}"
            if rng.random() < 0.5:
                support["url"] = f"https://help.{DOMAIN}/{service.id}"
            spec["support"] = support
            if service.type == "business" and rng.random() < 0.7:
                spec["offerings"] = self.offerings(service)
        currency = rng.choice(CURRENCIES)
        spec["cost"] = {
            "monthly": rng.randrange(500, 60000, 50),
            "currency": currency,
            "costCenter": f"CC-{rng.randint(10, 99)}00",
        }
        if service.tier <= 2:
            spec["continuity"] = {
                "rto": rng.choice(["1h", "2h", "4h"]),
                "rpo": rng.choice(["15m", "1h", "4h"]),
                "drTier": service.tier,
            }
        spec["security"] = {
            "classification": rng.choice(
                ["internal", "internal", "confidential", "restricted", "public"]
            )
        }
        document["spec"] = spec
        comment = None
        if service.tier == 1 and service.lifecycle == "live":
            comment = f"Tier 1: if {service.name} is down, {users} stop working."
        self.emit(f"catalog/services/{service.area}/{service.id}.yaml", document, comment)

    def offerings(self, service: ServiceInfo) -> list[dict[str, Any]]:
        rng = self.rng
        kinds = [
            ("user-access", "User access", "Access for one person, with a role.", "1d", "manager"),
            (
                "admin-access",
                "Administrator access",
                "Elevated access, reviewed quarterly.",
                "2d",
                "owner",
            ),
            ("data-export", "Data export", "A one-off export of data for an audit.", "3d", "owner"),
            (
                "new-integration",
                "New integration",
                "Connect a partner or internal system through the API gateway: credentials, "
                "rate limits and monitoring.",
                "2w",
                "owner",
            ),
            (
                "training",
                "Training session",
                "A two-hour training for up to ten people.",
                "1w",
                "none",
            ),
        ]
        out = []
        for slug, name, description, fulfillment, approval in rng.sample(kinds, rng.randint(1, 3)):
            offering: dict[str, Any] = {
                "id": slug,
                "name": f"{service.name}: {name.lower()}",
                "description": _markdown(description) if len(description) > 60 else description,
                "fulfillment": fulfillment,
                "approval": approval,
            }
            if rng.random() < 0.4:
                offering["cost"] = {"amount": rng.randrange(50, 2000, 10), "currency": "EUR"}
            offering["request"] = f"https://help.{DOMAIN}/request/{service.id}-{slug}"
            out.append(offering)
        return out

    # ---- SLAs ------------------------------------------------------------- #

    def make_slas(self) -> None:
        rng = self.rng
        count = self.counts.slas
        areas = [AREAS[i % len(AREAS)] for i in range(count)]
        by_area: dict[str, list[int]] = {}
        for j, row in enumerate(areas):
            by_area.setdefault(row[0], []).append(j)
        covered: list[list[str]] = [[] for _ in range(count)]
        turn: dict[str, int] = {}
        for service in self.services:
            if service.lifecycle != "live" or service.tier not in (1, 2):
                continue
            slots = by_area.get(service.area) or list(range(count))
            key = service.area if service.area in by_area else ""
            j = slots[turn.get(key, 0) % len(slots)]
            turn[key] = turn.get(key, 0) + 1
            covered[j].append(service.id)
        live = [s for s in self.services if s.lifecycle == "live"] or self.services
        for j in range(count):
            if not covered[j]:
                same = [s for s in live if s.area == areas[j][0]] or live
                covered[j].append(rng.choice(same).id)
            elif rng.random() < 0.3:  # some agreements also cover a tier-3 service
                extra = [
                    s.id
                    for s in live
                    if s.area == areas[j][0] and s.tier == 3 and s.id not in covered[j]
                ]
                if extra:
                    covered[j].append(rng.choice(extra))
        levels = [
            ("gold", 99.9, "24x7", [("15m", "4h"), ("30m", "8h"), ("4h", "3d"), ("1d", "2w")]),
            (
                "silver",
                99.5,
                "extended-hours",
                [("30m", "8h"), ("1h", "1d"), ("8h", "5d"), ("2d", "3w")],
            ),
            (
                "bronze",
                99.0,
                "business-hours",
                [("1h", "1d"), ("4h", "2d"), ("1d", "1w"), ("3d", "4w")],
            ),
        ]
        used: dict[str, int] = {}
        for j in range(count):
            area, category, _, executive = areas[j]
            level, target, hours, priorities = levels[(j // len(AREAS)) % len(levels)]
            sla_id = _unique(f"{area}-{level}", used)
            name = f"{category} {level.capitalize()} SLA"
            if sla_id != f"{area}-{level}":
                name += f" {sla_id.rsplit('-', 1)[-1]}"
            document = self.envelope(
                "SLA",
                sla_id,
                name,
                _markdown(
                    f"Service levels for the {category.lower()} services, agreed with the "
                    f"{executive}. Reviewed in the {rng.choice(['monthly', 'quarterly'])} "
                    "service review; breaches are reported to the steering committee."
                ),
                _tags(area, level, "sla"),
                self.links(sla_id, ("docs",), 1),
            )
            start = _date_between(rng, dt.date(2024, 1, 1), dt.date(2026, 6, 30))
            effective: dict[str, Any] = {"from": start}
            if rng.random() < 0.6:
                effective["until"] = _date_between(rng, dt.date(2030, 1, 1), dt.date(2032, 12, 31))
            count_p = rng.choice([2, 3, 4, 4, 4])
            spec: dict[str, Any] = {
                "services": list(covered[j]),
                "customer": f"{ORG} {category} division ({executive})",
                "hours": hours,
                "availability": {"target": target, "period": rng.choice(["monthly", "quarterly"])},
                "priorities": {
                    f"P{p + 1}": Flow(response=r, resolution=s)
                    for p, (r, s) in enumerate(priorities[:count_p])
                },
            }
            if rng.random() < 0.7:
                spec["requests"] = {"fulfillment": rng.choice(["1d", "3d", "5d"])}
            if level != "bronze":
                spec["rto"] = rng.choice(["2h", "4h", "8h"])
                spec["rpo"] = rng.choice(["15m", "1h"])
            if rng.random() < 0.6:
                spec["credits"] = [
                    Flow(below=target, credit=5),
                    Flow(below=round(target - 0.5, 1), credit=10),
                    Flow(below=round(target - 1.5, 1), credit=25),
                ]
            spec["effective"] = effective
            spec["review"] = _date_between(rng, dt.date(2028, 1, 1), dt.date(2030, 12, 31))
            document["spec"] = spec
            self.emit(f"catalog/slas/{sla_id}.yaml", document)

    # ---- templates -------------------------------------------------------- #

    def make_templates(self) -> None:
        rng = self.rng
        used: dict[str, int] = {}
        for i in range(self.counts.templates):
            slug, title, ci_types, durations = TEMPLATES[i % len(TEMPLATES)]
            variant = "" if i < len(TEMPLATES) else AREAS[(i // len(TEMPLATES)) % len(AREAS)][0]
            base = f"{slug}-{variant}" if variant else slug
            template_id = _unique(base, used)
            area = variant or "infrastructure"
            owner = self.team_for(area).id
            max_duration = rng.choice(durations)
            minutes = int(max_duration[:-1]) * (60 if max_duration.endswith("h") else 1)
            name = title + (f" ({AREAS[(i // len(TEMPLATES)) % len(AREAS)][1]})" if variant else "")
            if template_id != base:
                name += f" {template_id.rsplit('-', 1)[-1]}"
            document = self.envelope(
                "ChangeTemplate",
                template_id,
                name,
                _markdown(
                    f"Pre-approved standard change: {title[0].lower() + title[1:]} for "
                    f"{', '.join(ci_types)} configuration items. Low risk, done many times, "
                    "fully scripted."
                ),
                _tags(slug.split("-")[0], "standard-change"),
                self.links(template_id, ("runbook",), 1),
            )
            document["spec"] = {
                "owner": owner,
                "ciTypes": Inline(ci_types),
                "maxDuration": max_duration,
                "plan": {
                    "implementation": (
                        "1. Confirm last night's backup succeeded and monitoring is green.\n"
                        f"2. Apply the {title[0].lower() + title[1:]} with the automation job.\n"
                        "3. Watch the error rate for ten minutes.\n"
                    ),
                    "backout": "Run the automation job's rollback step and confirm the "
                    "previous state is restored.",
                    "validation": "Monitoring is green for 30 minutes and the smoke test passes.",
                },
            }
            template = TemplateInfo(template_id, title, ci_types, minutes)
            self.templates.append(template)
            pool = [ci for t in ci_types for ci in self.usable_by_type.get(t, ())]
            if pool:
                self.standard_pools.append((template, pool))
            self.emit(f"catalog/templates/{template_id}.yaml", document)

    # ---- change requests -------------------------------------------------- #

    def slots(self, count: int, forward: bool) -> list[dt.datetime]:
        """Starts of `count` non-overlapping slots, walking away from today.

        Two slots a day, 06:00 and 20:00 Berlin time, each at most six hours
        long; slots overlapping a policy freeze are skipped."""
        out: list[dt.datetime] = []
        day = TODAY + dt.timedelta(days=2) if forward else TODAY - dt.timedelta(days=1)
        step = dt.timedelta(days=1 if forward else -1)
        while len(out) < count:
            for hour in (20, 6) if not forward else (6, 20):
                start = _utc(day, hour)
                end = start + dt.timedelta(hours=6)
                if any(start < f_end and f_start < end for f_start, f_end in FREEZES):
                    continue
                if len(out) < count:
                    out.append(start)
            day += step
        return out

    def make_changes(self) -> None:
        rng = self.rng
        count = self.counts.changes
        if count == 0:
            return
        # Every type in every state first, then a realistic mix.
        plan = [(t, s) for s in STATES for t in CHANGE_TYPES][:count]
        weights = [8, 6, 7, 14, 1, 4, 53, 7]  # in STATES order
        while len(plan) < count:
            state = rng.choices(STATES, weights)[0]
            plan.append((rng.choices(CHANGE_TYPES, [35, 55, 10])[0], state))
        rng.shuffle(plan)
        past_rank = {"implement": 0, "review": 1, "closed": 2, "canceled": 2}
        future_rank = {"scheduled": 0, "authorize": 1, "assess": 2, "new": 2}
        past = sorted((p for p in plan if p[1] in past_rank), key=lambda p: past_rank[p[1]])
        future = sorted((p for p in plan if p[1] in future_rank), key=lambda p: future_rank[p[1]])
        records: list[dict[str, Any]] = []
        for group, forward in ((past, False), (future, True)):
            for (ctype, state), start in zip(group, self.slots(len(group), forward), strict=True):
                records.append(self.change_record(ctype, state, start))
        records.sort(key=lambda r: (r["raised"], r["start"]))
        serial: dict[int, int] = {}
        done: list[str] = []
        for record in records:
            year = record["raised"].year
            serial[year] = serial.get(year, 0) + 1
            change_id = f"chg-{year}-{serial[year]:04d}"
            document = record["document"]
            document["metadata"]["id"] = change_id
            if done and rng.random() < 0.1:
                document["spec"]["related"] = Inline(
                    rng.sample(done[-50:], min(len(done[-50:]), rng.randint(1, 2)))
                )
            done.append(change_id)
            self.emit(f"changes/{year}/{change_id}.yaml", document, record["comment"])

    def change_targets(
        self, ctype: str
    ) -> tuple[str, list[str], list[CIInfo], TemplateInfo | None]:
        """(owner, services, CIs, template) for a new change; only things in use."""
        rng = self.rng
        if ctype == "standard" and self.standard_pools:
            template, pool = rng.choice(self.standard_pools)
            cis = rng.sample(pool, min(len(pool), rng.choice([1, 1, 1, 2, 3])))
            services = [ci.service for ci in cis[:1] if ci.service]
            return cis[0].owner, services, cis, template
        service = rng.choice(self.active_services or self.services)
        cis = [self.ci_by_id[c] for c in service.cis]
        cis = [c for c in cis if c.status != "retired"]
        chosen = rng.sample(cis, min(len(cis), rng.randint(0, 2)))
        return service.owner, [service.id], chosen, None

    def change_record(self, ctype: str, state: str, start: dt.datetime) -> dict[str, Any]:
        rng = self.rng
        owner, services, ci_infos, template = self.change_targets(ctype)
        cis = [c.id for c in ci_infos]
        if ctype == "standard" and template is None:
            ctype = "normal"  # no template fits any CI in use: a tiny catalog
        if ci_infos:
            subject = ci_infos[0].name
        else:
            subject = self.service_by_id[services[0]].name if services else "the estate"
        if ctype == "standard" and template is not None:
            name = f"{template.title}: {subject}"
            lead_days = rng.randint(1, 5)
            minutes = rng.choice(
                [m for m in (30, 60, 90, 120, 180, 240) if m <= template.max_minutes]
            )
        elif ctype == "emergency":
            action = rng.choice(["hotfix for", "restore", "block attack on", "roll back"])
            name = f"Emergency: {action} {subject}"
            lead_days = 0
            minutes = rng.choice([60, 90, 120, 180])
        else:
            verb = rng.choice(
                ["Upgrade", "Migrate", "Replace", "Reconfigure", "Scale out", "Patch", "Harden"]
            )
            name = f"{verb} {subject}"
            lead_days = rng.randint(4, 30)
            minutes = rng.choice([60, 120, 180, 240, 300, 360])
        end = start + dt.timedelta(minutes=minutes)
        raised = (start - dt.timedelta(days=lead_days) + _berlin_offset(start)).date()
        targets: dict[str, Any] = {}
        if services:
            targets["services"] = Inline(services)
        if cis:
            targets["cis"] = Inline(cis)
        impact = rng.choices(["low", "medium", "high"], [50, 35, 15])[0]
        spec: dict[str, Any] = {"type": ctype}
        if template is not None:
            spec["template"] = template.id
        spec.update(
            {
                "state": state,
                "requester": self.person(),
                "owner": owner,
                "targets": targets,
                "risk": {
                    "impact": impact,
                    "likelihood": rng.choices(["low", "medium", "high"], [60, 30, 10])[0],
                },
            }
        )
        has_window = state in WINDOW_REQUIRED or (
            rng.random() < (0.6 if state in ("authorize", "canceled") else 0.3)
        )
        if has_window:
            spec["window"] = {"start": _local(start), "end": _local(end)}
            if impact != "low" and rng.random() < 0.4:
                spec["outage"] = True
            elif rng.random() < 0.2:
                spec["outage"] = False
        steps = [
            f"Announce the window to the {owner} channel and the service desk.",
            "Take a snapshot or backup and confirm it completed.",
            f"Apply the change to {subject} with the deployment pipeline.",
            "Restart the affected services one node at a time.",
            "Run the smoke tests and compare the dashboards with last week.",
            "Update the configuration record and close the maintenance in monitoring.",
        ]
        keep = sorted(rng.sample(range(len(steps)), rng.randint(2, 4)))
        if 2 not in keep:
            keep = sorted([*keep[1:], 2])
        steps = [steps[i] for i in keep]
        spec["plan"] = {
            "implementation": "".join(f"{i}. {step}\n" for i, step in enumerate(steps, 1)),
            "backout": rng.choice(
                [
                    "Restore the snapshot taken before the change.",
                    "Roll back the deployment with Argo CD and restore the previous\n"
                    "configuration. Tell the service desk once the old version is back.\n",
                    "Revert the commit and re-run the pipeline.",
                ]
            ),
            "validation": rng.choice(
                [
                    "Monitoring is green for 30 minutes and the smoke test passes.",
                    "Key users confirm the main transactions work; no new errors in the logs.",
                    "Error rate below 1 % and p95 latency below 800 ms for an hour.",
                ]
            ),
        }
        if state in ("review", "closed"):
            done = start + dt.timedelta(minutes=minutes // 2)
            code = rng.choices(
                ["successful", "successful-with-issues", "unsuccessful"], [85, 10, 5]
            )[0]
            closure: dict[str, Any] = {"code": code}
            if rng.random() < 0.8:
                closure["notes"] = _markdown(
                    {
                        "successful": f"Completed at {_local(done)[11:16]} as planned; "
                        "no incidents raised.",
                        "successful-with-issues": "Completed, but the smoke test failed once and "
                        "needed a retry. Follow-up problem record raised.",
                        "unsuccessful": "Rolled back after validation failed; a new change will "
                        "be raised once the vendor has analysed the logs.",
                    }[code]
                )
            spec["closure"] = closure
        description = None
        if rng.random() < 0.6:
            description = _markdown(
                f"{name}. Requested by the {owner} team"
                f"{' after an incident' if ctype == 'emergency' else ''}; "
                f"{rng.choice(REASONS)} is the reason."
            )
        document = self.envelope(
            "ChangeRequest",
            "chg-0000-0000",  # numbered once every change is known
            name[:120],
            description,
            _tags(ctype, *(CI_FOLDER[c.type] for c in ci_infos[:1])),
            [],
        )
        document["spec"] = spec
        comment = None
        if ctype == "emergency" and rng.random() < 0.5:
            incident = f"MI-{raised.year}-{rng.randint(1, 300):03d}"
            comment = f"Emergency change raised during major incident {incident}."
        return {"raised": raised, "start": start, "document": document, "comment": comment}


def _build(counts: Counts, seed: int) -> dict[str, str]:
    gen = _Generator(counts, seed)
    gen.make_teams()
    gen.plan_services()
    n_services = len(gen.services)
    stack_budget = max(0, counts.cis - max(1, round(counts.cis * 0.12)))
    if n_services == 0:
        stack_budget = 0
    gen.make_shared(counts.cis - stack_budget)
    left = gen.assign_stacks(stack_budget)
    if left:  # every stack is full: the rest is shared infrastructure
        gen.make_shared(left)
    for service in gen.services:
        gen.write_service(service)
    gen.make_slas()
    gen.make_templates()
    gen.make_changes()
    gen.files["catalogctl.yaml"] = POLICY
    return gen.files


def generate(out_dir: Path, entities: int, seed: int = DEFAULT_SEED) -> None:
    """Write a synthetic catalog of `entities` entities into `out_dir`.

    Raises FileExistsError when `out_dir` exists and is not empty, ValueError
    when `entities` is below the minimum a consistent catalog needs."""
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise FileExistsError(f"{out_dir} exists and is not empty")
    files = _build(split_counts(entities), seed)
    made: set[Path] = set()
    for rel, text in files.items():
        path = out_dir / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a synthetic, lint-clean catalogctl catalog into OUT_DIR."
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--entities", type=int, required=True, help="how many entities in all")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 1)")
    args = parser.parse_args(argv)
    try:
        counts = split_counts(args.entities)
        generate(args.out_dir, args.entities, args.seed)
    except (FileExistsError, ValueError) as error:
        print(f"generate.py: {error}", file=sys.stderr)
        return 2
    print(
        f"wrote {counts.total} entities to {args.out_dir}: {counts.teams} teams, "
        f"{counts.services} services, {counts.slas} SLAs, {counts.cis} CIs, "
        f"{counts.templates} templates, {counts.changes} change requests"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
