"""`catalogctl scorecard` as text, Markdown and JSON (docs/scorecards.md has the JSON shape)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from catalogctl.csi.scorecard_command import Scorecards
from catalogctl.load import kinds
from catalogctl.model.rubric import FAIL, PASS, SKIP, Check, Condition, Rubric
from catalogctl.model.scorecard import CheckResult, ServiceScore
from catalogctl.reporters.diffmd import escape as md_escape

STATUS = {PASS: "pass", FAIL: "FAIL", SKIP: "n/a"}


def _plain(text: str) -> str:
    """Catalog and policy text on one terminal line, control characters escaped."""
    text = " ".join(text.split())
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def escape(text: str) -> str:
    """Inline Markdown that can neither break a table nor carry a terminal sequence."""
    return md_escape(_plain(text))


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


# --------------------------------------------------------------------------- text


def _summary(rubric: Rubric, scores: list[ServiceScore]) -> str:
    counts = Counter(s.level for s in scores)
    levels = [level for level in (*reversed(rubric.levels), "none") if counts[level]]
    parts = ", ".join(f"{counts[level]} {level}" for level in levels)
    below = sum(s.below_minimum for s in scores)
    noun = "service" if len(scores) == 1 else "services"
    return (
        f"{len(scores)} {noun}: {parts or 'none scored'}; {below} below the minimum for their tier"
    )


def _source(rubric: Rubric) -> str:
    return (
        "rubric: built-in (catalogctl.yaml declares no levels and checks)"
        if rubric.source == "default"
        else f"rubric: {kinds.POLICY_FILE}"
    ) + f"; levels {' < '.join(rubric.levels)}"


def _required(score: ServiceScore) -> str:
    if score.required is None:
        return "-"
    return score.required + (" (below)" if score.below_minimum else "")


def _text(rubric: Rubric, scores: list[ServiceScore], single: bool) -> str:
    if single:
        return _text_one(rubric, scores[0])
    header = ("service", "tier", "level", "required", "failed checks")
    rows = [
        (
            _plain(s.service.id),
            str(s.service.tier or "-"),
            s.level,
            _required(s),
            ", ".join(r.check.id for r in s.failed) or "-",
        )
        for s in scores
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(4)]
    lines = [
        "  ".join([*(row[i].ljust(widths[i]) for i in range(4)), row[4]]) for row in (header, *rows)
    ]
    return "\n".join([_source(rubric), "", *lines, "", _summary(rubric, scores)]) + "\n"


def _wanted(result: CheckResult) -> str:
    condition = result.check.condition
    return f"got {_plain(_show(result.actual))}, wanted {_plain(str(condition))}"


def _text_one(rubric: Rubric, score: ServiceScore) -> str:
    service = score.service
    lines = [f"{service.ref}: {_plain(service.name)}", f"  file: {service.file}"]
    facts = f"tier {service.tier or '-'}, {service.lifecycle or 'no lifecycle'}"
    lines.append(f"  {facts}; level: {score.level}; required: {_required(score)}")
    lines.append(f"  {_source(rubric)}")
    width = max((len(r.check.id) for r in score.results), default=0)
    level_width = max((len(level) for level in rubric.levels), default=0)
    lines.append("")
    for result in score.results:
        check = result.check
        line = f"  {STATUS[result.status]:<4}  {check.level:<{level_width}}  {check.id:<{width}}"
        line += f"  {_plain(check.title)}"
        if result.status == FAIL:
            line += f" ({_wanted(result)})"
        lines.append(line)
    lines.append("")
    if score.next_level is None:
        lines.append(f"Top level reached: {score.level}.")
    else:
        lines.append(f"Next steps to {score.next_level}:")
        lines += [f"  - {r.check.id}: {_plain(r.check.remedy)}" for r in score.next_steps]
    extra = [r for r in score.to_minimum if r not in score.next_steps]
    if extra:
        lines.append(f"Also needed for the required {score.required}:")
        lines += [f"  - {r.check.id}: {_plain(r.check.remedy)}" for r in extra]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- markdown


def _markdown(rubric: Rubric, scores: list[ServiceScore], today: dt.date, single: bool) -> str:
    levels = " < ".join(rubric.levels)
    source = "built-in" if rubric.source == "default" else f"`{kinds.POLICY_FILE}`"
    out = [
        "# Service scorecards" if not single else f"# Scorecard: {escape(scores[0].service.name)}",
        "",
        f"Rubric: {source}; levels {levels}; as of {today.isoformat()}.",
        "",
    ]
    if single:
        return "\n".join(out + _markdown_one(scores[0])) + "\n"
    out += ["| service | tier | level | required | failed checks |", "|---|---|---|---|---|"]
    for s in scores:
        failed = ", ".join(f"`{r.check.id}`" for r in s.failed) or "-"
        name = f"{escape(s.service.name)} ({escape(s.service.id)})"
        out.append(f"| {name} | {s.service.tier or '-'} | {s.level} | {_required(s)} | {failed} |")
    out += ["", _summary(rubric, scores) + "."]
    return "\n".join(out) + "\n"


def _markdown_one(score: ServiceScore) -> list[str]:
    service = score.service
    out = [
        f"- service: {escape(service.id)}, tier {service.tier or '-'}, "
        f"{escape(service.lifecycle or 'no lifecycle')}",
        f"- level: **{score.level}**; required: {_required(score)}",
        "",
        "| result | level | check | title |",
        "|---|---|---|---|",
    ]
    for r in score.results:
        title = escape(r.check.title)
        if r.status == FAIL:
            title += f" ({escape(_wanted(r))})"
        out.append(f"| {STATUS[r.status]} | {r.check.level} | `{r.check.id}` | {title} |")
    out.append("")
    if score.next_level is None:
        out.append(f"Top level reached: {score.level}.")
    else:
        out += [f"## Next steps to {score.next_level}", ""]
        out += [f"- `{r.check.id}`: {escape(r.check.remedy)}" for r in score.next_steps]
    extra = [r for r in score.to_minimum if r not in score.next_steps]
    if extra:
        out += ["", f"## Also needed for the required {score.required}", ""]
        out += [f"- `{r.check.id}`: {escape(r.check.remedy)}" for r in extra]
    return out


# --------------------------------------------------------------------------- json


def _condition(condition: Condition) -> dict[str, Any]:
    value = list(condition.value) if isinstance(condition.value, tuple) else condition.value
    out: dict[str, Any] = {"fact" if condition.is_fact else "field": condition.subject}
    out["op"] = condition.op
    if condition.op not in ("exists", "absent"):
        out["value"] = value
    return out


def _check(check: Check) -> dict[str, Any]:
    return {
        "id": check.id,
        "level": check.level,
        "title": check.title,
        "remedy": check.remedy,
        **_condition(check.condition),
        "when": [_condition(c) for c in check.when],
    }


def _score(score: ServiceScore) -> dict[str, Any]:
    service = score.service
    return {
        "id": service.id,
        "name": service.name,
        "file": service.file,
        "tier": service.tier,
        "lifecycle": service.lifecycle,
        "level": score.level,
        "required": score.required,
        "belowMinimum": score.below_minimum,
        "nextLevel": score.next_level,
        "checks": [
            {"id": r.check.id, "level": r.check.level, "status": r.status, "actual": r.actual}
            for r in score.results
        ],
        "failed": [r.check.id for r in score.failed],
        "nextSteps": [
            {"id": r.check.id, "title": r.check.title, "remedy": r.check.remedy}
            for r in score.next_steps
        ],
        "toMinimum": [r.check.id for r in score.to_minimum],
    }


def _json(rubric: Rubric, scores: list[ServiceScore], today: dt.date) -> str:
    counts = Counter(s.level for s in scores)
    document = {
        "version": 1,
        "today": today.isoformat(),
        "rubric": {
            "source": rubric.source,
            "levels": list(rubric.levels),
            "minimum": {f"tier{tier}": level for tier, level in sorted(rubric.minimum.items())},
            "emergencyMaxAge": rubric.emergency_max_age,
            "checks": [_check(c) for c in rubric.checks],
        },
        "services": [_score(s) for s in scores],
        "summary": {
            "services": len(scores),
            "levels": {level: counts[level] for level in ("none", *rubric.levels)},
            "belowMinimum": sum(s.below_minimum for s in scores),
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_text(found: Scorecards) -> str:
    return _text(found.rubric, list(found.scores), found.single)


def render_markdown(found: Scorecards) -> str:
    return _markdown(found.rubric, list(found.scores), found.today, found.single)


def render_json(found: Scorecards) -> str:
    return _json(found.rubric, list(found.scores), found.today)
