"""Configuration management rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from catalogctl.lint.rules.registry import Finding, RuleContext, days_ago, days_count, rule
from catalogctl.load import kinds
from catalogctl.load.diagnostics import Severity
from catalogctl.model.entities import ConfigurationItem

EXPIRY_WARNING_DAYS = 30


@rule("ci-expiry", Severity.WARNING)
def ci_expiry(ctx: RuleContext) -> Iterable[Finding]:
    """A CI's `expires` date (certificate, licence, contract) is near or past.

    Warns 30 days ahead; an in-service CI that has already expired is an error.
    Renew it and move `spec.expires`, or retire the CI."""
    for entity in ctx.catalog.of_kind(kinds.CI.name):
        assert isinstance(entity, ConfigurationItem)
        if entity.status == "retired" or not entity.expires:
            continue
        try:
            expires = dt.date.fromisoformat(entity.expires)
        except ValueError:
            continue  # the schema rule reports impossible dates
        days = (expires - ctx.today).days
        if days < 0 and entity.status == "in-service":
            yield Finding(
                entity,
                ("spec", "expires"),
                f"spec.expires: in-service CI expired on {expires} ({days_ago(-days)}); "
                "renew it or retire the CI",
                severity=Severity.ERROR,
            )
        elif days < 0:
            yield Finding(
                entity,
                ("spec", "expires"),
                f"spec.expires: expired on {expires} ({days_ago(-days)})",
            )
        elif days <= EXPIRY_WARNING_DAYS:
            yield Finding(
                entity,
                ("spec", "expires"),
                f"spec.expires: expires on {expires}, in {days_count(days)}; plan the renewal",
            )
