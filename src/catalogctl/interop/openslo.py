"""`catalogctl export openslo --out DIR`: each SLA's availability target as
OpenSLO v1 SLOs, one file per service (its `Service` and its SLOs).

OpenSLO v1 (github.com/OpenSLO/OpenSLO, README "SLO"): names are RFC 1123
labels of at most 63 characters; `target` is a ratio in [0, 1); the time
window is one calendar-aligned `1M` (monthly) or `1Q` (quarterly) window,
matching how an SLA's availability is measured and credited; the budget is
counted by `Occurrences`. The catalog knows no metrics, so each SLO names
its indicator (`indicatorRef: <service>-availability`) for the team that
measures the service to define, as an SLI, with its own metric source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from catalogctl.interop.backstage_read import listed
from catalogctl.interop.export_files import write_tree, yaml_documents
from catalogctl.load import kinds
from catalogctl.load.errors import EXIT_FINDINGS, EXIT_OK
from catalogctl.load.output import write_output
from catalogctl.model.entities import Catalog, Entity, dig
from catalogctl.workspace.workspace import open_workspace

API_VERSION = "openslo/v1"
WINDOWS = {"monthly": ("1M", 1), "quarterly": ("1Q", 3)}
DESCRIPTION_LIMIT = 1050
# A calendar window needs a start; without an SLA start date any month's
# first day aligns the same windows.
EPOCH = dt.date(2020, 1, 1)


def slo_name(sla: Entity, service: str) -> str:
    """`<sla>` when it covers one service, else `<sla>-<service>`; over 63
    characters, cut and made unique by a hash."""
    name = sla.id if len(listed(sla.spec.get("services"))) <= 1 else f"{sla.id}-{service}"
    if len(name) <= 63:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[:54].rstrip('-')}-{digest}"


def _start(sla: Entity, months: int) -> str:
    text = dig(sla.spec, "effective", "from")
    try:
        start = dt.date.fromisoformat(text) if isinstance(text, str) else EPOCH
    except ValueError:
        start = EPOCH
    month = (start.month - 1) // months * months + 1
    return f"{start.year:04d}-{month:02d}-01 00:00:00"


def _service_doc(service: Entity) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "apiVersion": API_VERSION,
        "kind": "Service",
        "metadata": {"name": service.id, "displayName": service.name},
    }
    if service.description:
        doc["spec"] = {"description": service.description[:DESCRIPTION_LIMIT]}
    else:
        doc["spec"] = {}
    return doc


def _slo_doc(sla: Entity, service: Entity, target: float, period: str) -> dict[str, Any]:
    duration, months = WINDOWS[period]
    text = f"Availability of {service.name} promised by the SLA {sla.name}: {target}% {period}."
    return {
        "apiVersion": API_VERSION,
        "kind": "SLO",
        "metadata": {"name": slo_name(sla, service.id), "displayName": f"{sla.name}"[:63]},
        "spec": {
            "description": text[:DESCRIPTION_LIMIT],
            "service": service.id,
            "indicatorRef": f"{service.id}-availability"[:63],
            "timeWindow": [
                {
                    "duration": duration,
                    "calendar": {"startTime": _start(sla, months), "timeZone": "UTC"},
                    "isRolling": False,
                }
            ],
            "budgetingMethod": "Occurrences",
            "objectives": [{"displayName": "Availability", "target": round(target / 100, 8)}],
        },
    }


def documents(catalog: Catalog) -> tuple[dict[str, str], list[str]]:
    """Relative path -> file text, and what could not be exported (and why)."""
    slos: dict[str, list[dict[str, Any]]] = {}
    skipped = []
    for sla in catalog.of_kind(kinds.SLA.name):
        target = dig(sla.spec, "availability", "target")
        period = dig(sla.spec, "availability", "period") or "monthly"
        if not isinstance(target, (int, float)) or isinstance(target, bool):
            continue  # an SLA without an availability target promises no SLO
        if not 0 <= target < 100 or period not in WINDOWS:
            skipped.append(
                f"sla/{sla.id}: availability {target}% {period} has no OpenSLO form "
                "(a target must be below 100%, the period monthly or quarterly)"
            )
            continue
        if not kinds.ID_PATTERN.match(sla.id):
            skipped.append(f"sla/{sla.id}: its id is not a valid id; run catalogctl lint")
            continue
        for service_id in listed(sla.spec.get("services")):
            service = catalog.get(kinds.SERVICE.name, service_id)
            if service is None or not kinds.ID_PATTERN.match(service.id):
                skipped.append(f"sla/{sla.id}: service {service_id} is not in the catalog")
                continue
            slos.setdefault(service_id, []).append(_slo_doc(sla, service, target, period))
    files = {}
    for service_id, docs in sorted(slos.items()):
        service = catalog.get(kinds.SERVICE.name, service_id)
        assert service is not None
        files[f"{service_id}.yaml"] = yaml_documents([_service_doc(service), *docs])
    return files, skipped


def execute(*, start: Path, out: Path, jobs: int = 1) -> int:
    catalog = open_workspace(start).catalog(jobs)
    files, skipped = documents(catalog)
    write_tree(out, files)
    lines = [f"skipped {reason}" for reason in skipped]
    count = sum(text.count("kind: SLO") for text in files.values())
    lines.append(f"wrote {count} SLOs for {len(files)} services to {out}")
    write_output("\n".join(lines) + "\n", None)
    return EXIT_FINDINGS if skipped else EXIT_OK
