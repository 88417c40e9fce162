"""The whole catalog, kind by kind, in the one order that keeps the random sequence."""

from __future__ import annotations

from .changes import make_changes
from .draft import CatalogDraft
from .incidents import make_incidents
from .infrastructure import make_service_stacks, make_shared_cis
from .model import Counts
from .policy import POLICY
from .services import plan_services, write_service
from .slas import make_slas
from .teams import make_teams
from .templates import make_templates

DEFAULT_SEED = 1


def build_files(counts: Counts, seed: int = DEFAULT_SEED, incidents: int = 0) -> dict[str, str]:
    """Every file of the catalog: repo-relative path -> text; `incidents`
    incidents (and their problems) on top, which change no other file.

    The order matters beyond references pointing down: every step draws from
    the one random generator, so moving a step changes every file after it.
    """
    draft = CatalogDraft(counts, seed)
    make_teams(draft)
    plan_services(draft)
    n_services = len(draft.services)
    stack_budget = max(0, counts.cis - max(1, round(counts.cis * 0.12)))
    if n_services == 0:
        stack_budget = 0
    make_shared_cis(draft, counts.cis - stack_budget)
    left = make_service_stacks(draft, stack_budget)
    if left:  # every stack is full: the rest is shared infrastructure
        make_shared_cis(draft, left)
    for service in draft.services:
        write_service(draft, service)
    make_slas(draft)
    make_templates(draft)
    make_changes(draft)
    make_incidents(draft, incidents, seed)
    draft.files["catalogctl.yaml"] = POLICY
    return draft.files
