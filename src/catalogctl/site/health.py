"""The internal site's "Service health" page: scorecards and the service-review KPIs.

Continual service improvement on the site, for IT staff only: each service's
scorecard level against the minimum for its tier, with the checks it fails
and what to do next (`scorecard`), and the change, service operation and
catalog KPIs of `catalogctl report` (`kpis`) with a monthly trend drawn as inline SVG
(`sitecharts`). Nothing here is in the public build: failure counts and
maturity levels are not for customers, whose pages already show each
service's availability target (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from catalogctl.csi.kpis import Durations, Report
from catalogctl.model.scorecard import ServiceScore
from catalogctl.site.charts import bar_chart
from catalogctl.site.html import a, front_matter, heading, href, para, table
from catalogctl.site.safehtml import text
from catalogctl.site.view import View

PAGE = "internal/health.md"


def level_badge(score: ServiceScore) -> str:
    """A service's level, marked when it is below the minimum for its tier."""
    level = f'<span class="catalog-level">{text(score.level)}</span>'
    if score.below_minimum and score.required:
        level += f" (below {text(score.required)})"
    return level


def level_cell(page: str, score: ServiceScore) -> str:
    """For a service page's facts: the level, linked to the health page's row."""
    return a(level_badge(score), href(page, PAGE, f"score-{score.service.id}"))


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


def _hours(d: Durations | None) -> str:
    if d is None or d.median is None:
        return "-"
    p90 = "-" if d.p90 is None else f"{d.p90:.1f}"
    return f"{d.median:.1f} h (p90 {p90} h, {d.count} changes)"


def scorecard_section(view: View, scores: Sequence[ServiceScore]) -> str:
    out = [heading(2, "Scorecards", "scorecards")]
    levels: dict[str, int] = {}
    for score in scores:
        levels[score.level] = levels.get(score.level, 0) + 1
    below = sum(1 for s in scores if s.below_minimum)
    summary = ", ".join(f"{n} {text(level)}" for level, n in sorted(levels.items()))
    out.append(
        para(f"{len(scores)} services scored: {summary or 'none'}; {below} below their minimum.")
    )
    rows = []
    for score in scores:
        service = score.service
        path = view.paths.get(service.id)
        name = a(text(service.name), href(PAGE, path)) if path else text(service.name)
        failed = ", ".join(text(r.check.id) for r in score.failed) or "-"
        steps = score.to_minimum or score.next_steps
        rows.append(
            [
                f'<span id="score-{text(service.id)}"></span>{name}',
                text(service.tier or "-"),
                level_badge(score),
                text(score.required or "-"),
                failed,
                text(steps[0].check.remedy) if steps else "-",
            ]
        )
    out.append(table(["service", "tier", "level", "required", "failing", "next step"], rows))
    return "".join(out)


def kpi_section(report: Report | None) -> str:
    out = [heading(2, "Change KPIs", "change-kpis")]
    if report is None or report.history.note:
        note = report.history.note if report else "the KPIs could not be read"
        out.append(para(f"No change history: {text(note)}."))
        return "".join(out)
    k = report.changes
    period = f"{report.period.since.isoformat()} to {report.period.until.isoformat()}"
    out.append(para(f"Period {text(period)}, from the git history of the change records."))
    rows = [
        ["changes raised", str(k.raised)],
        ["changes closed", str(k.closed)],
        ["success rate", _percent(k.success_rate)],
        ["failed / backed out", f"{k.failed} / {k.backed_out}"],
        ["emergency changes", _percent(k.emergency_ratio)],
        ["standard changes", _percent(k.standard_ratio)],
        ["lead time (new to closed)", _hours(k.lead_time.get("all"))],
        ["time to authorise (assess to scheduled)", _hours(k.time_to_authorise.get("all"))],
        ["ran outside their window", f"{k.outside_window} of {k.implemented}"],
    ]
    out.append(table(["KPI", "value"], rows))
    months = [m.month for m in report.trend]
    out.append(heading(3, "Trend", "trend"))
    out.append(bar_chart("Changes raised per month", months, [m.kpis.raised for m in report.trend]))
    out.append(
        bar_chart(
            "Change success rate per month (%)",
            months,
            [
                None if m.kpis.success_rate is None else m.kpis.success_rate * 100
                for m in report.trend
            ],
            " %",
        )
    )
    out.append(
        bar_chart(
            "Median lead time per month (hours)",
            months,
            [
                d.median if (d := m.kpis.lead_time.get("all")) is not None else None
                for m in report.trend
            ],
            " h",
        )
    )
    return "".join(out)


def operation_section(report: Report | None) -> str:
    """The incident record's KPIs (csi/operation_kpis.py); they need no history
    but the days changes started, so a report without one still has them."""
    if report is None:
        return ""
    op = report.operation
    restore = ", ".join(
        f"{p} {r.mean_hours:.1f} h ({r.count})" if r.mean_hours is not None else f"{p} -"
        for p, r in op.restore.items()
    )
    rows = [
        ["incidents reported", str(op.incidents)],
        ["change failure rate", f"{_percent(op.change_failure_rate)} of {op.deployed} deployed"],
        ["mean time to restore", text(restore)],
        ["repeat incidents", str(sum(len(ids) for _, ids in op.repeats))],
        ["problems opened / resolved", f"{len(op.problems_opened)} / {len(op.problems_resolved)}"],
        ["most incidents", _ids(tuple(f"{i} ({n})" for i, n in op.per_service[:5]))],
    ]
    return heading(2, "Service operation", "service-operation") + table(["KPI", "value"], rows)


def health_section(report: Report | None) -> str:
    if report is None:
        return ""  # the catalog health checks come with the report
    h = report.health
    expiring = ", ".join(
        f"{len(ids)} within {days} days" for days, ids in sorted(h.expiring.items())
    )
    rows = [
        ["live services without an SLA", _ids(h.without_sla)],
        ["live services without a runbook link", _ids(h.without_runbook)],
        ["SLAs past their review date", _ids(h.review_overdue)],
        ["CIs expired", _ids(h.expired)],
        ["CIs expiring", text(expiring or "-")],
        ["retired services still referenced", _ids(tuple(r.id for r in h.retired_in_use))],
        ["ownership coverage", _percent(h.ownership_coverage)],
    ]
    return heading(2, "Catalog health", "catalog-health") + table(["check", "found"], rows)


def _ids(ids: Sequence[str]) -> str:
    if not ids:
        return "none"
    shown = ", ".join(f"<code>{text(i)}</code>" for i in ids[:20])
    return f"{len(ids)}: {shown}" + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")


def health_page(view: View, scores: Sequence[ServiceScore], report: Report | None) -> str:
    out = [front_matter("Service health")]
    out.append(
        para(
            "Continual service improvement: where each service stands against the "
            "scorecard, and how the change process performs. The same figures as "
            "<code>catalogctl scorecard</code> and <code>catalogctl report</code>."
        )
    )
    out.append(scorecard_section(view, scores))
    out.append(kpi_section(report))
    out.append(operation_section(report))
    out.append(health_section(report))
    return "".join(out)
