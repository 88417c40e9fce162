"""The CIs everything runs on: shared infrastructure, and each service's own stack.

Shared CIs come in waves (`SHARED_CIS`) and relate only to earlier shared CIs;
a stack is built infrastructure first, so relations always point at CIs
created before.
"""

from __future__ import annotations

import itertools

from .cis import add_ci
from .draft import CatalogDraft
from .model import CIInfo, ServiceInfo
from .text import slugify
from .vocabulary import (
    SAAS_VARIANTS,
    SAAS_VENDORS,
    SHARED_CIS,
    SITE_NAMES,
    SITES,
    STACK_MAX,
    STACK_ORDER,
    STACK_PARTS,
)
from .yaml_writer import Flow


def make_shared_cis(draft: CatalogDraft, count: int) -> None:
    """`count` shared CIs, owned by the infrastructure teams."""
    rng = draft.rng
    infra = draft.teams_by_area.get("infrastructure") or draft.teams[2:] or draft.teams
    serial: dict[tuple[str, str], int] = {}
    for i in range(count):
        prefix, ci_type, label, relation_spec = SHARED_CIS[i % len(SHARED_CIS)]
        site = SITES[(i // len(SHARED_CIS)) % len(SITES)]
        number = serial[(prefix, site)] = serial.get((prefix, site), 0) + 1
        retired = i >= len(SHARED_CIS) and rng.random() < 0.02
        base = f"{prefix}-{site}-{number:02d}" + ("-legacy" if retired else "")
        name = f"{label} {SITE_NAMES[site]} {number:02d}"
        vendor = None
        environment = "dr" if site == "neu" and rng.random() < 0.5 else "production"
        if ci_type == "saas":
            wave = i // len(SHARED_CIS)
            vendor = SAAS_VENDORS[wave % len(SAAS_VENDORS)]
            variant = SAAS_VARIANTS[(wave // len(SAAS_VENDORS)) % len(SAAS_VARIANTS)]
            base = f"saas-{slugify(vendor)}" + (f"-{variant}" if variant else "")
            name = f"{vendor} tenant" + (f" ({variant})" if variant else "")
            environment = "staging" if variant in ("sandbox", "test") else "production"
        relations: list[Flow] = []
        for relation, targets in relation_spec:
            target = draft.pick_shared(targets)
            if target is not None and all(r["target"] != target.id for r in relations):
                relations.append(Flow(type=relation, target=target.id))
        status = (
            "retired"
            if retired
            else rng.choices(["in-service", "maintenance", "planned"], [94, 4, 2])[0]
        )
        add_ci(
            draft,
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


def _make_stack(draft: CatalogDraft, service: ServiceInfo, size: int) -> None:
    """The CIs a service runs on, infrastructure first so relations point down."""
    rng = draft.rng
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
            rel("hosted-on", draft.pick_shared(["server"]))
        elif part in ("db", "dbdr"):
            base = f"db-{slug}-{'prod' if part == 'db' else 'dr'}"
            ci_type, name = "database", f"{service.name} database"
            if part == "dbdr":
                env, name = "dr", f"{service.name} database (DR replica)"
                rel("connects-to", made.get("db"))
            rel("hosted-on", draft.pick_shared(["server"]))
        elif part == "cache":
            base, ci_type, name = f"redis-{slug}", "cache", f"{service.name} cache"
            rel("runs-on", draft.pick_shared(["container-cluster"]))
        elif part == "mq":
            base, ci_type, name = f"mq-{slug}", "message-queue", f"{service.name} queues"
            rel("hosted-on", draft.pick_shared(["server"]))
        elif part in ("app", "appstg"):
            base = f"app-{slug}" + ("-staging" if part == "appstg" else "")
            ci_type, name = "application", f"{service.name} application"
            if part == "appstg":
                env, name = "staging", f"{service.name} application (staging)"
                rel("runs-on", made.get("vmstg"))
            else:
                rel("runs-on", made.get("vm1") or draft.pick_shared(["container-cluster"]))
                rel("runs-on", made.get("vm2"))
                rel("depends-on", made.get("db"))
                rel("depends-on", made.get("cache"))
                if rng.random() < 0.3:
                    rel("connects-to", draft.pick_shared(["message-queue"]))
        elif part == "ctr":
            base, ci_type = f"ctr-{slug}-api", "container"
            name = f"{service.name} API container"
            rel("runs-on", draft.pick_shared(["container-cluster"]))
            rel("depends-on", made.get("app"))
        elif part == "dns":
            base, ci_type, name = f"dns-{slug}", "dns-record", f"DNS name of {service.name}"
            rel("depends-on", draft.pick_shared(["load-balancer"]))
        else:
            base, ci_type = f"cert-{slug}", "certificate"
            name = f"TLS certificate for {service.name}"
        if ci_status == "retired":
            relations = [r for r in relations if r["type"] == "connects-to"] or relations
        made[part] = add_ci(
            draft,
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


def make_service_stacks(draft: CatalogDraft, budget: int) -> int:
    """Spread `budget` CIs over the services' stacks; returns what is left."""
    rng = draft.rng
    n = len(draft.services)
    sizes = [1 if i < budget else 0 for i in range(n)]
    spread = min(budget, STACK_MAX * n) - sum(sizes)
    leftover = budget - sum(sizes) - spread
    # Critical services run on more CIs: weight 4 for tier 1 ... 1 for tier 4.
    cumulative = list(itertools.accumulate(5 - s.tier for s in draft.services))
    while spread > 0:
        for i in rng.choices(range(n), cum_weights=cumulative, k=spread):
            if sizes[i] < STACK_MAX and spread > 0:
                sizes[i] += 1
                spread -= 1
    for service, size in zip(draft.services, sizes, strict=True):
        _make_stack(draft, service, size)
    return leftover
