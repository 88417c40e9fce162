"""Rules of the operational record: incidents and problems (no git history needed;
the gate keeps closed records final)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from catalogctl.lint.rules.registry import Finding, RuleContext, rule
from catalogctl.load import kinds
from catalogctl.load.diagnostics import Severity
from catalogctl.model.entities import Incident, Problem, dig

# the times of an incident, in the order they must follow
_ORDER = (("reported",), ("responded",), ("resolved",))
DONE = frozenset({"resolved", "closed"})


def _incidents(ctx: RuleContext) -> Iterable[Incident]:
    return (i for i in ctx.catalog.of_kind(kinds.INCIDENT.name) if isinstance(i, Incident))


@rule("incident-times", Severity.ERROR)
def incident_times(ctx: RuleContext) -> Iterable[Finding]:
    """An incident's times are out of order.

    `reported` ≤ `responded` ≤ `resolved`, and `outage.start` before
    `outage.end`. The times are compared as instants, offsets included. SLA
    attainment reads these times, so an impossible order would be counted
    as a target met (or an outage of negative length)."""
    for incident in _incidents(ctx):
        seen: list[tuple[str, dt.datetime]] = []
        for (key,) in _ORDER:
            instant = incident.instant(key)
            if instant is None:
                continue
            later = [(k, t) for k, t in seen if t > instant]
            if later:
                name = later[-1][0]
                yield Finding(
                    incident,
                    ("spec", key),
                    f"spec.{key}: {incident.spec[key]} is before spec.{name} "
                    f"{incident.spec[name]}; times run reported ≤ responded ≤ resolved",
                )
            seen.append((key, instant))
        start, end = incident.instant("outage", "start"), incident.instant("outage", "end")
        if start is not None and end is not None and end <= start:
            yield Finding(
                incident,
                ("spec", "outage", "end"),
                f"spec.outage.end: {dig(incident.spec, 'outage', 'end')} is not after the "
                f"start {dig(incident.spec, 'outage', 'start')}",
            )


@rule("incident-record", Severity.ERROR)
def incident_record(ctx: RuleContext) -> Iterable[Finding]:
    """An incident record lacks what its impact or state requires.

    An incident with `impact: outage` needs `spec.outage` {start, end}: the
    SLA report counts that interval as downtime. A `resolved` or `closed`
    incident needs `responded` and `resolved` times, and a `closed` incident
    needs its post-incident `review` (timeline, factors, actions): closing
    is the step that says the review was held."""
    for incident in _incidents(ctx):
        spec = incident.spec
        if spec.get("impact") == "outage" and not isinstance(spec.get("outage"), dict):
            yield Finding(
                incident,
                ("spec", "impact"),
                "spec.outage: an incident with impact outage needs spec.outage "
                "{start, end}, the interval the services were unavailable",
                at_key=True,
            )
        if incident.state in DONE:
            for key in ("responded", "resolved"):
                if key not in spec:
                    yield Finding(
                        incident,
                        ("spec", "state"),
                        f"spec.{key}: a {incident.state} incident needs spec.{key}, "
                        "the time with its UTC offset",
                        at_key=True,
                    )
        if incident.state == "closed" and not isinstance(spec.get("review"), dict):
            yield Finding(
                incident,
                ("spec", "state"),
                "spec.review: a closed incident needs its post-incident review "
                "(timeline, factors, actions); add it or keep the incident resolved",
                at_key=True,
            )


@rule("problem-incidents", Severity.WARNING)
def problem_incidents(ctx: RuleContext) -> Iterable[Finding]:
    """An incident and a problem disagree about their link.

    An incident whose `cause.problem` names a problem should be listed in
    that problem's `incidents`, and the other way round: repeat incidents are
    counted from these links, so both sides must say the same."""
    catalog = ctx.catalog
    for incident in _incidents(ctx):
        problem_id = dig(incident.spec, "cause", "problem")
        problem = (
            catalog.get(kinds.PROBLEM.name, problem_id) if isinstance(problem_id, str) else None
        )
        if isinstance(problem, Problem) and incident.id not in problem.incidents:
            yield Finding(
                incident,
                ("spec", "cause", "problem"),
                f"spec.cause.problem: {problem.id} does not list {incident.id} in its "
                f"spec.incidents; add it there ({problem.file})",
            )
    for problem in catalog.of_kind(kinds.PROBLEM.name):
        if not isinstance(problem, Problem):
            continue
        for index, incident_id in enumerate(problem.incidents):
            record = catalog.get(kinds.INCIDENT.name, incident_id)
            cause = dig(record.spec, "cause", "problem") if record is not None else None
            if record is not None and cause != problem.id:
                yield Finding(
                    problem,
                    ("spec", "incidents", index),
                    f"spec.incidents[{index}]: {incident_id} does not name {problem.id} as "
                    f"its spec.cause.problem; set it there ({record.file})",
                )


@rule("problem-record", Severity.ERROR)
def problem_record(ctx: RuleContext) -> Iterable[Finding]:
    """A problem record lacks what its state requires, or its times are out of order.

    A `known-error` has a known `rootCause` and `workaround` (that is what
    the ITIL term means); a `resolved` or `closed` problem has its `fix` (the
    change request that removed the cause) and its `resolved` time, which is
    not before `opened`."""
    needs = {
        "known-error": ("rootCause", "workaround"),
        "resolved": ("rootCause", "fix", "resolved"),
        "closed": ("rootCause", "fix", "resolved"),
    }
    for problem in ctx.catalog.of_kind(kinds.PROBLEM.name):
        if not isinstance(problem, Problem):
            continue
        for key in needs.get(problem.state or "", ()):
            if key not in problem.spec:
                yield Finding(
                    problem,
                    ("spec", "state"),
                    f"spec.{key}: a {problem.state} problem needs spec.{key}",
                    at_key=True,
                )
        opened, resolved = problem.instant("opened"), problem.instant("resolved")
        if opened is not None and resolved is not None and resolved < opened:
            yield Finding(
                problem,
                ("spec", "resolved"),
                f"spec.resolved: {problem.spec['resolved']} is before spec.opened "
                f"{problem.spec['opened']}",
            )
