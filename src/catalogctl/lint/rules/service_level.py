"""Service-level management: SLA targets, reviews and coverage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from catalogctl.lint.rules.registry import Finding, RuleContext, days_ago, rule
from catalogctl.load import kinds
from catalogctl.load.diagnostics import Severity
from catalogctl.model.durations import duration_minutes
from catalogctl.model.entities import SLA, Service

PRIORITIES = ("P1", "P2", "P3", "P4")


@rule("sla-targets", Severity.ERROR)
def sla_targets(ctx: RuleContext) -> Iterable[Finding]:
    """SLA response and resolution times contradict each other.

    Within a priority, the response time may not exceed the resolution time; and
    a more urgent priority may not have a longer target than a less urgent one
    (P1 <= P2 <= P3 <= P4, for response and for resolution)."""
    for entity in ctx.catalog.of_kind(kinds.SLA.name):
        priorities = entity.spec.get("priorities")
        if not isinstance(priorities, dict):
            continue
        previous: dict[str, tuple[str, int]] = {}
        for name in PRIORITIES:
            targets = priorities.get(name)
            if not isinstance(targets, dict):
                continue
            response = duration_minutes(targets.get("response"))
            resolution = duration_minutes(targets.get("resolution"))
            base = ("spec", "priorities", name)
            if response is not None and resolution is not None and response > resolution:
                yield Finding(
                    entity,
                    (*base, "response"),
                    f"spec.priorities.{name}: response {targets['response']} is longer than "
                    f"resolution {targets['resolution']}",
                )
            for field, minutes in (("response", response), ("resolution", resolution)):
                if minutes is None:
                    continue
                if field in previous and previous[field][1] > minutes:
                    before = previous[field][0]
                    yield Finding(
                        entity,
                        (*base, field),
                        f"spec.priorities.{name}.{field}: {targets[field]} is shorter than "
                        f"{before}'s {priorities[before][field]}; a less urgent priority "
                        "cannot have a tighter target",
                    )
                previous[field] = (name, minutes)


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None  # the schema rule reports impossible dates


@rule("sla-review-overdue", Severity.WARNING)
def sla_review_overdue(ctx: RuleContext) -> Iterable[Finding]:
    """An SLA's next service-level review date has passed.

    Service-level management reviews every agreement on a schedule; hold the
    review, then move `spec.review` to the next date."""
    for entity in ctx.catalog.of_kind(kinds.SLA.name):
        assert isinstance(entity, SLA)
        review = _date(entity.review)
        if review is not None and review < ctx.today:
            ago = days_ago((ctx.today - review).days)
            yield Finding(
                entity,
                ("spec", "review"),
                f"spec.review: the review was due {review} ({ago}); hold it and set the next date",
            )


@rule("service-without-sla", Severity.WARNING)
def service_without_sla(ctx: RuleContext) -> Iterable[Finding]:
    """A live tier-1 or tier-2 service is not covered by any SLA.

    Critical services need agreed targets; add the service to an SLA's
    `spec.services`."""
    catalog = ctx.catalog
    for entity in catalog.of_kind(kinds.SERVICE.name):
        assert isinstance(entity, Service)
        if entity.lifecycle != "live" or entity.tier not in (1, 2):
            continue
        if not catalog.referrers_of(entity.ref, kinds.SLA.name):
            yield Finding(
                entity,
                ("spec", "tier"),
                f"live tier-{entity.tier} service '{entity.id}' has no SLA; "
                "add it to an SLA's spec.services",
            )
