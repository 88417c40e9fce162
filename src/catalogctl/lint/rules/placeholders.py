"""Text that `catalogctl new` and `catalogctl init` write for a person to replace.

This module is the one list of it: the skeleton writer takes its fallbacks
from here, the `placeholder-text` rule looks for every entry, and a test over
the templates fails when a template holds text that is neither listed here
nor a real default.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from catalogctl.lint.rules.registry import Finding, RuleContext, rule
from catalogctl.load import kinds
from catalogctl.load.diagnostics import Severity, format_path
from catalogctl.model.entities import Entity

OWNER = "my-team"
SERVICE = "my-service"
CHANGE_NAME = "Describe the change"
INCIDENT = "inc-0000-0000"
# Records are named for what happened, which no id tells.
NAMES = {
    kinds.CHANGE.name: CHANGE_NAME,
    kinds.INCIDENT.name: "Describe the incident",
    kinds.PROBLEM.name: "Describe the problem",
}

# Whole values, compared without surrounding whitespace.
TEXTS = frozenset(
    {
        *NAMES.values(),
        "What customers saw and for how long, in one paragraph (published).",
        "Why this change is needed.",
        "1. ...",
        "1. Steps that are always the same.",
        "1. How to undo them.",
        "1. How to tell it worked.",
        "What the service does for its users, in a sentence or two (Markdown).",
        "What this team looks after and how to reach it.",
    }
)
# Parts of values: a GitHub login, an organisation, a mail domain.
FRAGMENTS = ("your-github-login", "your-org/", "@your-domain.example")
# Ids stand in for a reference only while no entity of that kind has them:
# `catalogctl new service my-service` is a real service.
IDS = {OWNER: kinds.TEAM.name, SERVICE: kinds.SERVICE.name, INCIDENT: kinds.INCIDENT.name}


_FRAGMENT = re.compile("|".join(re.escape(fragment) for fragment in FRAGMENTS))


def is_placeholder(value: str) -> bool:
    """Whether a text value is one a skeleton wrote (ids in IDS aside)."""
    return value.strip() in TEXTS or _FRAGMENT.search(value) is not None


# Every placeholder leaves one of these in the JSON text of its entity: the
# fragments and whole texts as JSON writes them, the ids as whole strings.
_NEEDLES = (
    *(json.dumps(text)[1:-1] for text in (*TEXTS, *FRAGMENTS)),
    *(json.dumps(entity_id) for entity_id in IDS),
)


def _suspect(value: Any) -> bool:
    """Whether `value` may hold a placeholder: a search of its JSON text, in C,
    that clears almost every entity before any path is built. A false alarm
    only costs the full look; a value JSON cannot write is always looked at."""
    try:
        text = json.dumps(value)  # ASCII-escaped: several times faster to write
    except (TypeError, ValueError):
        return True
    return any(needle in text for needle in _NEEDLES)


Path = tuple[str | int, ...]


def _strings(value: Any, path: Path) -> Iterable[tuple[Path, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


@rule("placeholder-text", Severity.WARNING)
def placeholder_text(ctx: RuleContext) -> Iterable[Finding]:
    """A value is still the placeholder that `catalogctl new` or `init` wrote.

    Skeletons hold text for a person to replace: `your-github-login`,
    `your-org/...`, `...@your-domain.example`, "Describe the change", "What the
    service does for its users...", plan steps `1. ...`, and the ids `my-team`
    `my-service` and `inc-0000-0000` while no Team, Service or Incident has
    them. Each is reported until
    it is edited: a warning, so a fresh skeleton passes `lint`, but not
    `lint --strict`, which a catalog's CI can run to keep them out of main."""
    every = ctx.catalog.entities
    for start in range(0, len(every), _SLICE):
        entities = every[start : start + _SLICE]
        if _suspect([[e.name, e.description, e.spec] for e in entities]):
            yield from _placeholders(ctx, entities)


# Entities looked at in one JSON text: one text for the whole catalog would
# cost tens of megabytes at 50,000 entities.
_SLICE = 1000


def _placeholders(ctx: RuleContext, entities: Iterable[Entity]) -> Iterable[Finding]:
    for entity in entities:
        fields = {"name": entity.name, "description": entity.description}
        if not _suspect([fields, entity.spec]):
            continue
        for path, value in (
            *_strings(fields, ("metadata",)),
            *_strings(dict(entity.spec), ("spec",)),
        ):
            kind = IDS.get(value)
            if kind is not None and ctx.catalog.get(kind, value) is None:
                yield Finding(
                    entity,
                    path,
                    f"{format_path(path)}: '{value}' is a placeholder; name a real {kind} id",
                )
            elif is_placeholder(value):
                shown = value.strip().splitlines()[0]
                yield Finding(
                    entity,
                    path,
                    f"{format_path(path)}: '{shown}' is placeholder text; replace it",
                )
