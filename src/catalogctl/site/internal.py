"""The internal edition's extra pages (IT staff, `site build --internal`).

Teams with their members, configuration items, change requests with their
computed risk, the rule reference and the current lint findings, plus the
internal facts on each service page. None of this is in the public build.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from catalogctl.change import calendar
from catalogctl.load import kinds
from catalogctl.load.diagnostics import Diagnostic
from catalogctl.model import workflow
from catalogctl.model.entities import ChangeRequest, ConfigurationItem, Service, Team, dig
from catalogctl.site.html import code, front_matter, heading, para, table
from catalogctl.site.pages import duration_text, number_text, team_name
from catalogctl.site.safehtml import text
from catalogctl.site.view import View

CI, TEAM = kinds.CI.name, kinds.TEAM.name
PAGES = (
    ("Teams", "internal/teams.md"),
    ("Configuration items", "internal/cis.md"),
    ("Change requests", "internal/changes.md"),
    ("Rules", "internal/rules.md"),
    ("Lint findings", "internal/lint.md"),
)


def nav() -> list[Any]:
    return [{title: path} for title, path in PAGES]


def pages(view: View, diagnostics: Sequence[Diagnostic]) -> dict[str, str]:
    return {
        "internal/teams.md": teams_page(view),
        "internal/cis.md": cis_page(view),
        "internal/changes.md": changes_page(view),
        "internal/rules.md": rules_page(),
        "internal/lint.md": lint_page(diagnostics),
    }


def internal_facts(service: Service) -> str:
    spec = service.spec
    rows = []
    cost = spec.get("cost")
    if isinstance(cost, Mapping):
        rows.append(
            [
                "cost",
                f"{number_text(cost.get('monthly'))} {text(cost.get('currency') or '')} a month, "
                f"cost centre {text(cost.get('costCenter') or '-')}",
            ]
        )
    classification = dig(spec, "security", "classification")
    if classification:
        rows.append(["classification", text(classification)])
    continuity = spec.get("continuity")
    if isinstance(continuity, Mapping):
        rows.append(
            [
                "continuity",
                f"RTO {duration_text(continuity.get('rto'))}, RPO "
                f"{duration_text(continuity.get('rpo'))}, DR tier "
                f"{text(continuity.get('drTier') or '-')}",
            ]
        )
    if service.cis:
        rows.append(["CIs", ", ".join(text(c) for c in service.cis)])
    rows.append(["file", code(service.file)])
    return heading(2, "Internal", "internal") + table(["field", "value"], rows)


def teams_page(view: View) -> str:
    rows = [
        [
            text(team.name),
            text(team.spec.get("github") or "-"),
            text(team.spec.get("email") or "-"),
            text(team.spec.get("oncall") or "-"),
            ", ".join(text(m) for m in team.members),
        ]
        for team in sorted(view.catalog.of_kind(TEAM), key=lambda t: t.name.casefold())
        if isinstance(team, Team)
    ]
    header = ["team", "GitHub team", "e-mail", "on call", "members"]
    return front_matter("Teams") + table(header, rows)


def cis_page(view: View) -> str:
    rows = [
        [
            code(ci.id),
            text(ci.name),
            text(ci.spec.get("type") or "-"),
            text(ci.spec.get("environment") or "-"),
            text(ci.status or "-"),
            team_name(view, ci.owner),
            ", ".join(f"{text(t)} {text(target)}" for _, t, target in ci.relations),
        ]
        for ci in sorted(view.catalog.of_kind(CI), key=lambda c: c.id)
        if isinstance(ci, ConfigurationItem)
    ]
    header = ["id", "name", "type", "environment", "status", "owner", "relations"]
    return front_matter("Configuration items") + table(header, rows)


def changes_page(view: View) -> str:
    changes = [c for c in view.catalog.of_kind(kinds.CHANGE.name) if isinstance(c, ChangeRequest)]
    rows = []
    for change in sorted(changes, key=lambda c: c.id, reverse=True):
        risk = workflow.risk(change, view.catalog)
        window = calendar.change_window(change)
        rows.append(
            [
                code(change.id),
                text(change.name),
                text(change.change_type or "?"),
                text(change.state or "?"),
                text(str(risk) if risk else "?"),
                text(calendar.show_window(window)) if window else "-",
                "yes" if change.spec.get("outage") is True else "no",
                team_name(view, change.owner),
            ]
        )
    header = ["id", "title", "type", "state", "risk", "window", "outage", "owner"]
    return front_matter("Change requests") + table(header, rows)


def rules_page() -> str:
    """The rule reference: our own registry's text, so left to MkDocs' Markdown
    (no `catalogctl: html` flag), exactly as `catalogctl rules --format markdown`."""
    from catalogctl.lint.rules import REGISTRY
    from catalogctl.workspace.rules_command import markdown

    rows = [
        {
            "id": rule.id,
            "default": rule.severity.value,
            "severity": rule.severity.value,
            "fatal": "yes" if rule.fatal else "no",
            "summary": rule.summary,
            "doc": rule.doc,
        }
        for rule in sorted(REGISTRY.values(), key=lambda r: r.id)
    ]
    body = markdown(rows)
    return '---\ntitle: "Rules"\n---\n\n' + body.split("\n", 1)[1]  # replaces "# Rules"


def lint_page(diagnostics: Sequence[Diagnostic]) -> str:
    out = [front_matter("Lint findings")]
    if not diagnostics:
        out.append(para(f"{code('catalogctl lint')} finds nothing: the catalog is clean."))
        return "".join(out)
    rows = [
        [
            text(d.severity.value if d.severity else "?"),
            code(f"{d.file}:{d.line}:{d.column}"),
            code(d.rule),
            text(d.message),
        ]
        for d in diagnostics
    ]
    out.append(table(["severity", "where", "rule", "message"], rows))
    return "".join(out)
