"""Service operation on the site: availability achieved, incident history, problems.

Public: each service page shows its availability achieved against each
covering SLA's target for the last three complete periods of that SLA
(months, or quarters for a quarterly target), and its incident
history (date, impact, duration, state, the public `summary`); the page
`status.md`, "Service status history", shows the same for every service the
edition shows. An incident's id, priority, `cause` and `review` never reach
the public edition: the review is the team's candid account, the cause may
name internal changes and CIs. The internal edition adds every record in
full (`internal/incidents.md`) and the problem list (`internal/problems.md`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from catalogctl.load import kinds
from catalogctl.model.entities import Incident, Problem, Service, dig
from catalogctl.ops.attainment import SlaReport, attainment, measured_over, percent_text
from catalogctl.ops.hours import ScheduleError
from catalogctl.ops.period import last_months, last_quarters, quarter
from catalogctl.site.html import bullets, code, front_matter, heading, href, para, table
from catalogctl.site.pages import service_link
from catalogctl.site.safehtml import markdown_block, text
from catalogctl.site.view import View

PAGE = "status.md"
INCIDENTS_PAGE = "internal/incidents.md"
PROBLEMS_PAGE = "internal/problems.md"
PERIODS = 3
SHOWN_PER_SERVICE = 10  # the status history page has them all


@dataclass(frozen=True)
class History:
    """SLA attainment of the last periods, and each service's share of it and
    of the incident record, indexed once: a page per service looking through
    every SLA's results and every incident made a site's generation grow with
    services times SLAs (31 ms a page at 31,000 entities)."""

    reports: tuple[SlaReport, ...] = ()
    rows: Mapping[str, list[list[str]]] = field(default_factory=dict)  # service id -> rows
    incidents: Mapping[str, list[Incident]] = field(default_factory=dict)  # newest first


def history(view: View) -> History:
    """SLA attainment over the last PERIODS complete periods before `view.now`:
    months for monthly SLAs, quarters for quarterly ones (only when there is
    one), oldest first; no reports when a schedule cannot be laid out (lint
    says why)."""
    today = view.now.date()
    try:
        periods = last_months(today, PERIODS)
        if any(measured_over(sla) == "quarterly" for sla in view.slas):
            periods += last_quarters(today, PERIODS)
        reports = tuple(attainment(view.catalog, view.policy.schedules, p) for p in periods)
    except (ScheduleError, ValueError, OverflowError):  # or a --now in year 1
        reports = ()
    by_service: dict[str, list[Incident]] = {}
    for incident in _reported(view):
        for service_id in dict.fromkeys(incident.services):
            by_service.setdefault(service_id, []).append(incident)
    return History(
        reports,
        _attainment_rows(reports),
        {s: _newest_first(found) for s, found in by_service.items()},
    )


def _kind(report: SlaReport) -> str:
    return "quarterly" if quarter(report.period.start.date()) == report.period else "monthly"


def _reported(view: View) -> list[Incident]:
    return [
        i
        for i in view.catalog.of_kind(kinds.INCIDENT.name)
        if isinstance(i, Incident) and i.instant("reported") is not None
    ]


def _newest_first(incidents: list[Incident]) -> list[Incident]:
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(incidents, key=lambda i: (i.instant("reported") or never, i.id), reverse=True)


def incidents_of(view: View) -> list[Incident]:
    """Incidents on shown services, newest first."""
    return _newest_first([i for i in _reported(view) if any(s in view.by_id for s in i.services)])


def _when(instant: dt.datetime | None) -> str:
    try:
        return instant.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if instant else "-"
    except OverflowError:  # the first or last hours of the calendar (lint allows them)
        return text(instant.isoformat()) if instant else "-"


def _duration(incident: Incident) -> str:
    """How long users were affected: the outage, else reported to resolved."""
    start, end = incident.instant("outage", "start"), incident.instant("outage", "end")
    if start is None or end is None:
        start, end = incident.instant("reported"), incident.instant("resolved")
    if start is None or end is None or end < start:
        return "ongoing" if incident.state == "open" else "-"
    minutes = round((end - start).total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"


def _attainment_rows(reports: Sequence[SlaReport]) -> dict[str, list[list[str]]]:
    """Each service's rows: by period, then SLA, in the reports' order."""
    rows: dict[str, list[list[str]]] = {}
    for report in reports:
        kind = _kind(report)
        for sla in report.slas:
            if sla.measured != kind:  # a quarterly target is not a month's
                continue
            for result in sla.services:
                verdict = "met" if result.met else "missed"
                rows.setdefault(result.service, []).append(
                    [
                        text(report.period.label),
                        text(sla.name),
                        percent_text(result.target),
                        percent_text(result.achieved),
                        verdict,
                    ]
                )
    return rows


def _incident_rows(view: View, incidents: Sequence[Incident], page: str) -> list[list[str]]:
    rows = []
    for incident in incidents:
        services = ", ".join(
            service_link(view, page, s) for s in dict.fromkeys(incident.services) if s in view.by_id
        )
        rows.append(
            [
                _when(incident.instant("reported")),
                services,
                text(incident.spec.get("impact") or "-"),
                _duration(incident),
                text(incident.state or "-"),
                markdown_block(str(incident.spec.get("summary") or "")),
            ]
        )
    return rows


HEADER = ["reported", "services", "impact", "duration", "state", "summary"]
ATTAINMENT = ["period", "agreement", "target", "achieved", "result"]


def service_section(view: View, service: Service, history: History) -> str:
    """The service page's "Availability and incidents" section."""
    page = view.paths[service.id]
    out = [heading(2, "Availability and incidents", "availability-and-incidents")]
    rows = history.rows.get(service.id)
    if rows:
        out.append(table(ATTAINMENT, rows))
    else:
        out.append(para("No service-level agreement measured this service in the last months."))
    incidents = history.incidents.get(service.id)
    if not incidents:
        out.append(para("No incidents are recorded for this service."))
        return "".join(out)
    shown = incidents[:SHOWN_PER_SERVICE]
    out.append(table(HEADER, _incident_rows(view, shown, page)))
    if len(incidents) > len(shown):
        out.append(para(f'Older incidents: <a href="{href(page, PAGE)}">status history</a>.'))
    return "".join(out)


def status_page(view: View, history: History) -> str:
    out = [front_matter("Service status history")]
    out.append(
        para(
            "Availability achieved against each agreement's target in its last three "
            "complete periods (planned maintenance does not count as downtime), and every "
            "recorded incident, newest first."
        )
    )
    out.append(heading(2, "Availability", "availability"))
    rows = [
        [service_link(view, PAGE, service.id), *row]
        for service in view.services
        for row in history.rows.get(service.id, ())
    ]
    out.append(table(["service", *ATTAINMENT], rows) if rows else para("Nothing was measured."))
    out.append(heading(2, "Incidents", "incidents"))
    incidents = incidents_of(view)
    if incidents:
        out.append(table(HEADER, _incident_rows(view, incidents, PAGE)))
    else:
        out.append(para("No incidents are recorded."))
    return "".join(out)


def _review(incident: Incident) -> str:
    review = incident.spec.get("review")
    if not isinstance(review, Mapping):
        return "-"
    actions = [text(a) for a in review.get("actions") or [] if isinstance(a, str)]
    return (
        markdown_block(str(review.get("timeline") or ""))
        + markdown_block(str(review.get("factors") or ""))
        + (bullets(actions) if actions else "")
    )


def incidents_page(view: View) -> str:
    """Every incident in full (internal edition)."""
    incidents = [i for i in view.catalog.of_kind(kinds.INCIDENT.name) if isinstance(i, Incident)]
    rows = []
    for incident in sorted(incidents, key=lambda i: i.id, reverse=True):
        cause = incident.spec.get("cause")
        rows.append(
            [
                code(incident.id),
                text(incident.name),
                text(incident.priority or "-"),
                text(", ".join(incident.services)),
                text(incident.state or "-"),
                "<br>".join(
                    f"{k} {_when(incident.instant(k))}"
                    for k in ("reported", "responded", "resolved")
                ),
                _duration(incident),
                text(", ".join(f"{k} {v}" for k, v in cause.items()))
                if isinstance(cause, Mapping)
                else "-",
                markdown_block(str(incident.spec.get("summary") or "")) + _review(incident),
            ]
        )
    header = [
        "id",
        "title",
        "priority",
        "services",
        "state",
        "times",
        "duration",
        "cause",
        "record",
    ]
    return front_matter("Incidents") + table(header, rows)


def problems_page(view: View) -> str:
    problems = [p for p in view.catalog.of_kind(kinds.PROBLEM.name) if isinstance(p, Problem)]
    rows = [
        [
            code(p.id),
            text(p.name),
            text(p.state or "-"),
            text(", ".join(p.incidents)),
            markdown_block(str(p.spec.get("rootCause") or "")),
            markdown_block(str(p.spec.get("workaround") or "")),
            text(dig(p.spec, "fix") or "-"),
        ]
        for p in sorted(problems, key=lambda p: p.id, reverse=True)
    ]
    header = ["id", "title", "state", "incidents", "root cause", "workaround", "fix"]
    return front_matter("Problems") + table(header, rows)
