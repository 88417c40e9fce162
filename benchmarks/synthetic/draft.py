"""The catalog being generated: its files so far, and what later entities may refer to.

Every kind's module takes a `CatalogDraft`, draws from its one random
generator and adds files to it. The kinds are generated in a fixed order
(see `build.build_files`), so the same seed always gives the same files.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from .model import CIInfo, Counts, ServiceInfo, TeamInfo, TemplateInfo
from .text import unique_id
from .vocabulary import DOMAIN, GITHUB_ORG
from .yaml_writer import Inline, dump


class CatalogDraft:
    """The files written so far and the generator's notes on what they hold."""

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

    def new_id(self, kind: str, base: str) -> str:
        return unique_id(base, self.ids.setdefault(kind, {}))

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

    def person(self) -> str:
        return self.rng.choice(self.people)

    def team_for(self, area: str) -> TeamInfo:
        candidates = self.teams_by_area.get(area) or self.teams[2:] or self.teams
        return self.rng.choice(candidates)

    def pick_shared(self, types: Sequence[str]) -> CIInfo | None:
        """A random shared, non-retired CI of one of `types` (None: there is none)."""
        pools = [self.shared_by_type.get(t, []) for t in types]
        pick = self.rng.randrange(sum(map(len, pools)) or 1)
        for pool in pools:
            if pick < len(pool):
                return pool[pick]
            pick -= len(pool)
        return None

    def date_between(self, start: dt.date, end: dt.date) -> str:
        """A random day from `start` to `end` (both included), as YYYY-MM-DD."""
        return (start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))).isoformat()


def envelope(
    kind: str,
    entity_id: str,
    name: str,
    description: str | None,
    tags: Inline | None,
    links: list[dict[str, Any]],
) -> dict[str, Any]:
    """A document's `apiVersion`, `kind` and `metadata`; the caller adds `spec`."""
    metadata: dict[str, Any] = {"id": entity_id, "name": name}
    if description:
        metadata["description"] = description
    if tags:
        metadata["tags"] = tags
    if links:
        metadata["links"] = links
    return {"apiVersion": "catalogctl/v1", "kind": kind, "metadata": metadata}
