"""`catalogctl report` for a terminal; also the number formats the Markdown shares.

Ids, names and commit authors come from pull requests: control characters
are escaped so that they cannot move the cursor or forge lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from catalogctl.csi.kpis import TYPES, ChangeKpis, Durations, Report
from catalogctl.csi.operation_kpis import PRIORITIES, OperationKpis

LIST_CAP = 10  # ids named per line; the JSON output has them all
NO_HISTORY = "no history"


def clean(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def hours(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def listed(ids: Sequence[str], cap: int, show: Callable[[str], str] = clean) -> str:
    text = ", ".join(show(i) for i in ids[:cap])
    return text + (f" and {len(ids) - cap} more" if len(ids) > cap else "")


def history_line(report: Report) -> str:
    history = report.history
    if history.note is not None:
        return f"{NO_HISTORY}: {history.note}"
    line = (
        f"{history.commits:,} commit{'s' if history.commits != 1 else ''} touching changes/ "
        f"up to {(history.head or '')[:12]}, {len(history.timelines):,} change "
        f"request{'s' if len(history.timelines) != 1 else ''}"
    )
    if history.shallow:
        line += "; SHALLOW CLONE: history before the graft is missing (fetch with depth 0)"
    return line


def by_type(kpis: ChangeKpis) -> str:
    return ", ".join(f"{t} {kpis.raised_by_type.get(t, 0)}" for t in TYPES)


def outcomes(kpis: ChangeKpis) -> str:
    o = kpis.outcomes
    text = (
        f"successful {o['successful']}, with issues {o['successful-with-issues']}, "
        f"unsuccessful {o['unsuccessful']}"
    )
    return text + (f", no closure code {o['none']}" if o["none"] else "")


def _ids(ids: Sequence[str]) -> str:
    return f"  {listed(ids, LIST_CAP)}" if ids else ""


def _durations(label: str, table: dict[str, Durations]) -> list[str]:
    lines = [f"  {label}"]
    for key, d in table.items():
        lines.append(f"    {key:<26}{d.count:>5}{hours(d.median):>10}{hours(d.p90):>10}")
    return lines


def _changes(report: Report) -> list[str]:
    k = report.changes
    return [
        "Changes",
        f"  {'raised':<22}{k.raised:>8}  ({by_type(k)})",
        f"  {'emergency ratio':<22}{pct(k.emergency_ratio):>8}",
        f"  {'standard ratio':<22}{pct(k.standard_ratio):>8}",
        f"  {'closed':<22}{k.closed:>8}  ({outcomes(k)})",
        f"  {'success rate':<22}{pct(k.success_rate):>8}",
        f"  {'failed':<22}{k.failed:>8}{_ids(report.failed)}",
        f"  {'backed out':<22}{k.backed_out:>8}{_ids(report.backed_out)}",
        f"  {'canceled':<22}{k.canceled:>8}",
        f"  {'outside window':<22}{f'{k.outside_window} of {k.implemented}':>8}"
        f"{_ids(report.outside_window)}",
        "",
        f"  {'hours':<28}{'n':>5}{'median':>10}{'p90':>10}",
        *_durations("lead time (new -> closed)", dict(k.lead_time)),
        *_durations("time to authorise (assess -> scheduled)", dict(k.time_to_authorise)),
    ]


def _health(report: Report) -> list[str]:
    h = report.health

    def row(label: str, ids: Sequence[str], whole: int) -> str:
        return f"  {label:<36}{f'{len(ids)} of {whole}':>10}{_ids(ids)}"

    retired = [f"{clean(r.id)} (by {listed(r.by, 5)})" for r in h.retired_in_use]
    return [
        f"Catalog health (as of {report.today})",
        row("live services without an SLA", h.without_sla, h.live_services),
        row("live services without a runbook link", h.without_runbook, h.live_services),
        row("SLAs past their review date", h.review_overdue, h.slas),
        row("CIs expired", h.expired, h.cis),
        *(row(f"CIs expiring within {d} days", ids, h.cis) for d, ids in h.expiring.items()),
        f"  {'retired services still referenced':<36}{len(retired):>10}"
        + (f"  {'; '.join(retired[:LIST_CAP])}" if retired else ""),
        f"  {'ownership coverage':<36}{pct(h.ownership_coverage):>10}  "
        f"(services {h.services_owned}/{h.services}, CIs {h.cis_owned}/{h.cis})",
    ]


def operation_rows(op: OperationKpis, show: Callable[[str], str]) -> list[tuple[str, str, str]]:
    """(label, value, detail) of the service operation KPIs, for text and Markdown."""
    means = {p: op.restore[p].mean_hours for p in PRIORITIES}
    restore = ", ".join(
        f"{p} {hours(m)}{' h' if m is not None else ''} ({op.restore[p].count})"
        for p, m in means.items()
    )

    def ids(values: Sequence[str]) -> str:
        return listed(values, LIST_CAP, show) or "-"

    return [
        ("incidents reported", str(op.incidents), ""),
        (
            "change failure rate",
            pct(op.change_failure_rate),
            f"{len(op.failed_changes)} of {op.deployed} deployed: {ids(op.failed_changes)}",
        ),
        ("mean time to restore", "", restore),
        ("incidents per service", "", ids([f"{show(i)} {n}" for i, n in op.per_service])),
        ("incidents per CI (cause)", "", ids([f"{show(i)} {n}" for i, n in op.per_ci])),
        ("problems opened", str(len(op.problems_opened)), ids(op.problems_opened)),
        ("problems resolved", str(len(op.problems_resolved)), ids(op.problems_resolved)),
        (
            "repeat incidents",
            str(sum(len(i) for _, i in op.repeats)),
            "; ".join(f"{show(p)}: {ids(i)}" for p, i in op.repeats) or "-",
        ),
    ]


def _operation(op: OperationKpis) -> list[str]:
    return ["Service operation"] + [
        f"  {label:<36}{value:>10}" + (f"  {detail}" if detail else "")
        for label, value, detail in operation_rows(op, clean)
    ]


TREND_HEADER = (
    "month", "raised", "emergency", "standard", "closed", "success",
    "failed", "backed out", "lead median h", "lead p90 h", "outside window",
)  # fmt: skip


def trend_row(month: str, k: ChangeKpis) -> list[str]:
    lead = k.lead_time["all"]
    return [
        month, str(k.raised), pct(k.emergency_ratio), pct(k.standard_ratio), str(k.closed),
        pct(k.success_rate), str(k.failed), str(k.backed_out), hours(lead.median),
        hours(lead.p90), f"{k.outside_window}/{k.implemented}",
    ]  # fmt: skip


def _trend(report: Report) -> list[str]:
    rows = [list(TREND_HEADER), *(trend_row(m.month, m.kpis) for m in report.trend)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(TREND_HEADER))]
    return ["Trend by month"] + [
        "  "
        + "  ".join(
            c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]


def render(report: Report) -> str:
    lines = [
        f"catalogctl report: {report.period.since} to {report.period.until}",
        f"History: {history_line(report)}",
        "",
        *_changes(report),
        "",
    ]
    if report.per_service or report.per_team:
        for label, pairs in (("service", report.per_service), ("team", report.per_team)):
            shown = ", ".join(f"{clean(i)} {n}" for i, n in pairs[:LIST_CAP])
            more = f" and {len(pairs) - LIST_CAP} more" if len(pairs) > LIST_CAP else ""
            lines.append(f"Changes per {label}: {shown or '-'}{more}")
        lines.append("")
    if report.edited_after_close:
        lines.append("Edited after closing or canceling (the gate forbids it)")
        for edited in report.edited_after_close:
            for commit in edited.commits:
                lines.append(
                    f"  {clean(edited.id)}  {commit.sha[:12]}  {commit.time.date()}  "
                    f"{clean(commit.author)} <{clean(commit.email)}>"
                )
        lines.append("")
    if report.not_in_catalog:
        lines += [
            f"In the history but not in the working tree (not counted): "
            f"{listed(report.not_in_catalog, LIST_CAP)}",
            "",
        ]
    lines += [*_operation(report.operation), ""]
    lines += [*_health(report), "", *_trend(report)]
    return "\n".join(lines) + "\n"
