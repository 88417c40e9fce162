"""The site's view of the catalog: what the public edition may name."""

from __future__ import annotations

import datetime as dt
from typing import Any

from catalogctl.change import calendar, ics
from catalogctl.model.entities import Catalog, Entity, build_entity
from catalogctl.model.policy import Policy
from catalogctl.site import build as sitebuild
from catalogctl.site.view import public_view_catalog

NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.UTC)


def _entity(kind: str, entity_id: str, spec: dict[str, Any], folder: str) -> Entity:
    document = {
        "apiVersion": "catalogctl/v1",
        "kind": kind,
        "metadata": {"id": entity_id, "name": entity_id.replace("-", " ").title()},
        "spec": spec,
    }
    entity = build_entity(f"{folder}/{entity_id}.yaml", document)
    assert entity is not None
    return entity


def _service(service_id: str, lifecycle: str) -> Entity:
    spec = {
        "owner": "ops",
        "type": "business",
        "lifecycle": lifecycle,
        "tier": 2,
        "visibility": "public",
        "category": "General",
        "cis": ["vm-shared"],
    }
    return _entity("Service", service_id, spec, "catalog/services")


def catalog() -> Catalog:
    """Three public services on one CI: live, in the pipeline, retired; one
    outage window on the CI hits all three."""
    change = {
        "type": "normal",
        "state": "scheduled",
        "requester": "alice",
        "owner": "ops",
        "targets": {"cis": ["vm-shared"]},
        "risk": {"impact": "low", "likelihood": "low"},
        "window": {"start": "2027-01-20T20:00:00Z", "end": "2027-01-20T22:00:00Z"},
        "outage": True,
        "plan": {"implementation": "Patch.", "backout": "Restore.", "validation": "Up."},
    }
    return Catalog.build(
        [
            _service("live-portal", "live"),
            _service("future-portal", "pipeline"),
            _service("old-portal", "retired"),
            _entity(
                "ConfigurationItem",
                "vm-shared",
                {"type": "virtual-machine", "environment": "production", "owner": "ops"},
                "catalog/cis",
            ),
            _entity("ChangeRequest", "chg-2027-0001", change, "changes/2027"),
        ],
        {},
    )


def test_the_public_view_keeps_only_live_public_services_public() -> None:
    original = catalog()
    view = public_view_catalog(original)
    visibility = {e.id: e.spec.get("visibility") for e in view.of_kind("Service")}
    assert visibility == {
        "live-portal": "public",
        "future-portal": "internal",
        "old-portal": "internal",
    }
    # the catalog it was given is untouched
    assert {e.spec["visibility"] for e in original.of_kind("Service")} == {"public"}


def test_the_public_feed_names_no_pipeline_or_retired_service() -> None:
    """Without the public view the calendar would name all three services."""
    everything = calendar.build(catalog(), Policy(), public=True)
    [event] = everything.events
    assert {name for _, name in event.public_services} == {
        "Live Portal",
        "Future Portal",
        "Old Portal",
    }
    files = sitebuild.generate(catalog(), Policy(), internal=False, now=NOW)
    feed = files.files["maintenance.ics"].decode("utf-8")
    unfolded = feed.replace("\r\n ", "")
    assert "Live Portal" in unfolded
    assert "Future Portal" not in unfolded
    assert "Old Portal" not in unfolded
    assert feed == ics.to_ics(calendar.build(public_view_catalog(catalog()), Policy(), public=True))
