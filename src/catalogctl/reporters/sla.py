"""`catalogctl sla report` as text, markdown or JSON (shape in docs/operation.md).

Percentages keep four decimals (99.8611), minutes four; the JSON carries
every figure the text shows and the incidents behind each miss. Markdown
escapes everything from the catalog as diffmd does (it may become a pull
request comment); the text's control characters are made visible by
`write_output`.
"""

from __future__ import annotations

import json
from typing import Any

from catalogctl.ops.attainment import (
    PriorityResult,
    ServiceResult,
    SlaReport,
    SlaResult,
    percent_text,
)
from catalogctl.reporters.diffmd import escape

VERSION = 1


def _service_json(s: ServiceResult) -> dict[str, Any]:
    return {
        "target": s.target,
        "achieved": s.achieved,
        "downtimeMinutes": s.downtime_minutes,
        "plannedMinutes": s.planned_minutes,
        "serviceMinutes": s.service_minutes,
        "met": s.met,
        "incidents": list(s.incidents),
    }


def _priority_json(p: PriorityResult) -> dict[str, Any]:
    return {
        "response": p.response,
        "resolution": p.resolution,
        "incidents": p.incidents,
        "responseMet": p.response_met,
        "resolutionMet": p.resolution_met,
        "missed": list(p.missed),
        "pending": list(p.pending),
    }


def _sla_json(sla: SlaResult) -> dict[str, Any]:
    return {
        "id": sla.id,
        "name": sla.name,
        "file": sla.file,
        "hours": sla.hours,
        "target": sla.target,
        "availabilityPeriod": sla.measured,
        "met": sla.met,
        "services": {s.service: _service_json(s) for s in sla.services},
        "priorities": {p.priority: _priority_json(p) for p in sla.priorities},
        "credit": sla.credit,
    }


def render_json(report: SlaReport) -> str:
    data = {
        "version": VERSION,
        "period": {"start": report.period.start.isoformat(), "end": report.period.end.isoformat()},
        "met": all(s.met for s in report.slas),
        "slas": [_sla_json(s) for s in report.slas],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _verdict(met: bool) -> str:
    return "met" if met else "BREACHED"


def _priority_line(p: PriorityResult) -> str:
    missed = f"; missed: {', '.join(p.missed)}" if p.missed else ""
    missed += f"; pending: {', '.join(p.pending)}" if p.pending else ""
    return (
        f"{p.priority} {p.incidents} incident(s), response {p.response_met}/{p.incidents} "
        f"within {p.response or '-'}, resolution {p.resolution_met}/{p.incidents} "
        f"within {p.resolution or '-'}{missed}"
    )


def render_text(report: SlaReport) -> str:
    lines = [f"SLA report {report.period.label} ({len(report.slas)} SLA(s) in force)", ""]
    for sla in report.slas:
        lines.append(f"{sla.id}: {_verdict(sla.met)} ({sla.name}, hours {sla.hours})")
        for s in sla.services:
            planned = f", {s.planned_minutes:g} min planned" if s.planned_minutes else ""
            lines.append(
                f"  {s.service}: {percent_text(s.achieved)} of {percent_text(s.target)} "
                f"{_verdict(s.met)} ({s.downtime_minutes:g} min down{planned})"
            )
        for p in sla.priorities:
            if p.incidents:
                lines.append(f"  {_priority_line(p)}")
        if sla.credit:
            lines.append(f"  credit owed: {sla.credit:g} % of the monthly fee")
        lines.append("")
    if not report.slas:
        lines.append("no SLA is in force in this period")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_markdown(report: SlaReport) -> str:
    lines = [f"# SLA report {report.period.label}", ""]
    if not report.slas:
        lines.append("No SLA is in force in this period.")
    for sla in report.slas:
        lines += [f"## {escape(sla.name)} ({escape(sla.id)}): {_verdict(sla.met)}", ""]
        lines += ["| Service | Target | Achieved | Downtime (min) | Planned (min) | Result |"]
        lines += ["|---|---:|---:|---:|---:|---|"]
        for s in sla.services:
            lines.append(
                f"| {escape(s.service)} | {percent_text(s.target)} | {percent_text(s.achieved)} | "
                f"{s.downtime_minutes:g} | {s.planned_minutes:g} | {_verdict(s.met)} |"
            )
        lines.append("")
        counted = [p for p in sla.priorities if p.incidents]
        if counted:
            lines += ["| Priority | Incidents | Response met | Resolution met | Missed |"]
            lines += ["|---|---:|---:|---:|---|"]
            for p in counted:
                lines.append(
                    f"| {p.priority} | {p.incidents} | "
                    f"{p.response_met} (≤ {escape(p.response or '-')}) | "
                    f"{p.resolution_met} (≤ {escape(p.resolution or '-')}) | "
                    f"{escape(', '.join(p.missed))} |"
                )
            lines.append("")
        lines += [f"Credit owed: {sla.credit:g} % of the monthly fee.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
