"""`catalogctl report --format markdown`: for a service review document or a PR comment.

Everything from the catalog and from commits (ids, author names) is escaped
as diffmd escapes it: no HTML, no table breaks, no @mentions or #links. Id
lists are capped so that a large catalog still fits a GitHub comment.
"""

from __future__ import annotations

from collections.abc import Sequence

from catalogctl.csi.kpis import ChangeKpis, Durations, Report
from catalogctl.reporters.diffmd import escape
from catalogctl.reporters.report_text import (
    TREND_HEADER,
    by_type,
    history_line,
    hours,
    listed,
    operation_rows,
    outcomes,
    pct,
    trend_row,
)

MARKER = "<!-- catalogctl:report -->"
LIST_CAP = 25  # ids named per cell; the JSON output has them all


def _ids(ids: Sequence[str]) -> str:
    return listed(ids, LIST_CAP, escape) if ids else "-"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
    ]


def _changes(report: Report) -> list[str]:
    k: ChangeKpis = report.changes
    rows = [
        ["Changes raised", str(k.raised), by_type(k)],
        ["Emergency ratio", pct(k.emergency_ratio), ""],
        ["Standard ratio", pct(k.standard_ratio), ""],
        ["Changes closed", str(k.closed), outcomes(k)],
        ["Change success rate", pct(k.success_rate), "successful and with issues, of closed"],
        ["Failed (unsuccessful)", str(k.failed), _ids(report.failed)],
        ["Backed out", str(k.backed_out), _ids(report.backed_out)],
        ["Canceled", str(k.canceled), ""],
        [
            "Ran outside their window",
            f"{k.outside_window} of {k.implemented}",
            _ids(report.outside_window),
        ],
    ]
    return ["### Changes", "", *_table(["KPI", "value", "detail"], rows)]


def _durations(report: Report) -> list[str]:
    rows: list[list[str]] = []
    for label, table in (
        ("Lead time (new → closed)", report.changes.lead_time),
        ("Time to authorise (assess → scheduled)", report.changes.time_to_authorise),
    ):
        d: Durations
        for key, d in table.items():
            rows.append([label, key, str(d.count), hours(d.median), hours(d.p90)])
    return [
        "### Lead time and time to authorise (hours)",
        "",
        *_table(["measure", "type", "changes", "median", "p90"], rows),
    ]


def _volumes(report: Report) -> list[str]:
    out: list[str] = []
    for label, pairs in (("service", report.per_service), ("team", report.per_team)):
        rows = [[escape(i), str(n)] for i, n in pairs[:LIST_CAP]]
        if len(pairs) > LIST_CAP:
            rows.append([f"... and {len(pairs) - LIST_CAP} more", ""])
        out += [f"### Changes per {label}", "", *_table([label, "changes"], rows or [["-", "0"]])]
    return out


def _health(report: Report) -> list[str]:
    h = report.health
    rows = [
        ["Live services without an SLA", f"{len(h.without_sla)} of {h.live_services}",
         _ids(h.without_sla)],
        ["Live services without a runbook link", f"{len(h.without_runbook)} of {h.live_services}",
         _ids(h.without_runbook)],
        ["SLAs past their review date", f"{len(h.review_overdue)} of {h.slas}",
         _ids(h.review_overdue)],
        ["CIs expired", f"{len(h.expired)} of {h.cis}", _ids(h.expired)],
        *([f"CIs expiring within {d} days", f"{len(ids)} of {h.cis}", _ids(ids)]
          for d, ids in h.expiring.items()),
        ["Retired services still referenced", str(len(h.retired_in_use)),
         "; ".join(f"{escape(r.id)} (by {listed(r.by, 5, escape)})"
                   for r in h.retired_in_use[:LIST_CAP]) or "-"],
        ["Ownership coverage", pct(h.ownership_coverage),
         f"services {h.services_owned}/{h.services}, CIs {h.cis_owned}/{h.cis}"],
    ]  # fmt: skip
    return [
        f"### Catalog health (as of {report.today})",
        "",
        *_table(["check", "count", "ids"], rows),
    ]


def render(report: Report) -> str:
    out = [
        MARKER,
        f"## Service review: {report.period.since} to {report.period.until}",
        "",
        f"History: {escape(history_line(report))}",
        "",
        *_changes(report),
        *_durations(report),
        *_volumes(report),
    ]
    if report.edited_after_close:
        rows = [
            [escape(e.id), f"`{c.sha[:12]}`", str(c.time.date()), escape(c.author)]
            for e in report.edited_after_close
            for c in e.commits
        ]
        out += [
            "### Edited after closing or canceling",
            "",
            "The gate forbids it; these commits changed a closed or canceled change.",
            "",
            *_table(["change", "commit", "date", "author"], rows),
        ]
    if report.not_in_catalog:
        out += [
            f"In the history but not in the working tree (not counted): "
            f"{_ids(report.not_in_catalog)}",
            "",
        ]
    out += [
        "### Service operation",
        "",
        *_table(
            ["KPI", "value", "detail"],
            [
                [label[0].upper() + label[1:], value or "-", detail]
                for label, value, detail in operation_rows(report.operation, escape)
            ],
        ),
    ]
    out += _health(report)
    out += [
        "### Trend by month",
        "",
        *_table(TREND_HEADER, [trend_row(m.month, m.kpis) for m in report.trend]),
    ]
    return "\n".join(out)
