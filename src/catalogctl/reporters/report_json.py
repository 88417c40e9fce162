"""`catalogctl report --format json`: the documented, versioned shape (docs/kpis.md).

Durations are hours (two decimals), ratios fractions of 1 (four decimals);
a value that is undefined for the period (nothing to divide by, no change
went through both states) is null, never 0.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from catalogctl.change.history import Commit
from catalogctl.csi.health import Health
from catalogctl.csi.kpis import ChangeKpis, Durations, Period, Report
from catalogctl.csi.operation_kpis import OperationKpis

VERSION = 1


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _durations(by_type: Mapping[str, Durations]) -> dict[str, Any]:
    return {
        key: {"count": d.count, "median": _hours(d.median), "p90": _hours(d.p90)}
        for key, d in by_type.items()
    }


def _period(period: Period) -> dict[str, str]:
    return {"since": period.since.isoformat(), "until": period.until.isoformat()}


def _commit(commit: Commit) -> dict[str, str]:
    return {
        "sha": commit.sha,
        "time": commit.time.isoformat(),
        "author": commit.author,
        "email": commit.email,
    }


def change_json(kpis: ChangeKpis) -> dict[str, Any]:
    return {
        "raised": kpis.raised,
        "raisedByType": dict(kpis.raised_by_type),
        "emergencyRatio": _ratio(kpis.emergency_ratio),
        "standardRatio": _ratio(kpis.standard_ratio),
        "closed": kpis.closed,
        "outcomes": dict(kpis.outcomes),
        "successRate": _ratio(kpis.success_rate),
        "failed": kpis.failed,
        "backedOut": kpis.backed_out,
        "canceled": kpis.canceled,
        "leadTimeHours": _durations(kpis.lead_time),
        "timeToAuthoriseHours": _durations(kpis.time_to_authorise),
        "implemented": kpis.implemented,
        "outsideWindow": kpis.outside_window,
        "outsideWindowRatio": _ratio(kpis.outside_window_ratio),
    }


def health_json(health: Health) -> dict[str, Any]:
    return {
        "liveServices": health.live_services,
        "withoutSla": list(health.without_sla),
        "withoutRunbook": list(health.without_runbook),
        "slas": health.slas,
        "reviewOverdue": list(health.review_overdue),
        "cis": health.cis,
        "expired": list(health.expired),
        "expiring": {str(days): list(ids) for days, ids in health.expiring.items()},
        "retiredInUse": [{"id": r.id, "by": list(r.by)} for r in health.retired_in_use],
        "ownership": {
            "services": health.services,
            "servicesOwned": health.services_owned,
            "cis": health.cis,
            "cisOwned": health.cis_owned,
            "coverage": _ratio(health.ownership_coverage),
        },
    }


def operation_json(op: OperationKpis) -> dict[str, Any]:
    return {
        "incidents": op.incidents,
        "deployedChanges": op.deployed,
        "failedChanges": list(op.failed_changes),
        "changeFailureRate": _ratio(op.change_failure_rate),
        "meanTimeToRestoreHours": {
            p: {"count": r.count, "mean": _hours(r.mean_hours)} for p, r in op.restore.items()
        },
        "perService": [{"id": i, "incidents": n} for i, n in op.per_service],
        "perCi": [{"id": i, "incidents": n} for i, n in op.per_ci],
        "problemsOpened": list(op.problems_opened),
        "problemsResolved": list(op.problems_resolved),
        "repeatIncidents": [{"problem": p, "incidents": list(ids)} for p, ids in op.repeats],
    }


def to_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data: `"version": 1`, stable keys."""
    history = report.history
    return {
        "version": VERSION,
        "period": _period(report.period),
        "today": report.today.isoformat(),
        "history": {
            "head": history.head,
            "commits": history.commits,
            "changes": len(history.timelines),
            "shallow": history.shallow,
            "note": history.note,
            "notInCatalog": list(report.not_in_catalog),
            "withoutHistory": list(report.without_history),
        },
        "changes": change_json(report.changes),
        "flagged": {
            "failed": list(report.failed),
            "backedOut": list(report.backed_out),
            "outsideWindow": list(report.outside_window),
            "editedAfterClose": [
                {"id": e.id, "commits": [_commit(c) for c in e.commits]}
                for e in report.edited_after_close
            ],
        },
        "perService": [{"id": i, "changes": n} for i, n in report.per_service],
        "perTeam": [{"id": i, "changes": n} for i, n in report.per_team],
        "operation": operation_json(report.operation),
        "health": health_json(report.health),
        "trend": [
            {"month": m.month, **_period(m.period), "changes": change_json(m.kpis)}
            for m in report.trend
        ],
    }


def render(report: Report) -> str:
    return json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n"
