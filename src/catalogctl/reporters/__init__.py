"""Output formats, chosen by name from one table.

Owns: the lint reporters (`REPORTERS`: text, json, github, sarif, junit)
and the renderers of the other commands' results (`renderer(command,
format)`). The CLI chooses one and hands it to the command; commands never
import this package.

Imports: every package before it; never cli.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module

from catalogctl.reporters.base import Report, Reporter

# name -> (module in this package, class)
_LINT_REPORTERS = {
    "text": ("text", "TextReporter"),
    "json": ("jsonfmt", "JsonReporter"),
    "github": ("github", "GithubReporter"),
    "sarif": ("sarif", "SarifReporter"),
    "junit": ("junit", "JunitReporter"),
}


class _Reporters(Mapping[str, type[Reporter]]):
    """The lint reporters by name, each module imported when its reporter is
    chosen: `diff` or `report` load none of them (SARIF's imports the whole
    rule registry, a fifth of a small command's start-up)."""

    def __getitem__(self, name: str) -> type[Reporter]:
        module, cls = _LINT_REPORTERS[name]
        found: type[Reporter] = getattr(import_module(f"catalogctl.reporters.{module}"), cls)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(_LINT_REPORTERS)

    def __len__(self) -> int:
        return len(_LINT_REPORTERS)


REPORTERS: Mapping[str, type[Reporter]] = _Reporters()

__all__ = ["REPORTERS", "Report", "Reporter", "renderer"]


# The other commands' renderers, by command and format: (module, function) in
# this package, imported only when chosen, so `lint` loads none of them. The
# CLI picks one and hands it to the command, which never imports reporters.
_RENDERERS: dict[str, dict[str, tuple[str, str]]] = {
    "diff": {
        "text": ("difftext", "render"),
        "json": ("diffjson", "render"),
        "markdown": ("diffmd", "render"),
    },
    "gate": {fmt: ("gatereport", f"render_{fmt}") for fmt in ("text", "json", "markdown")},
    "report": {
        fmt: (f"report_{short}", "render")
        for fmt, short in (("text", "text"), ("json", "json"), ("markdown", "md"))
    },
    "calendar": {"text": ("calendar", "render_text"), "json": ("calendar", "render_json")},
    "scorecard": {fmt: ("scorecard", f"render_{fmt}") for fmt in ("text", "json", "markdown")},
    "import": {fmt: ("interop", f"render_{fmt}") for fmt in ("text", "json")},
    "sla": {fmt: ("sla", f"render_{fmt}") for fmt in ("text", "json", "markdown")},
    "cache": {"text": ("cachereport", "render_text"), "json": ("cachereport", "render_json")},
}


def renderer(command: str, fmt: str) -> Callable[..., str]:
    """The function that renders `command`'s result in `fmt`."""
    module, function = _RENDERERS[command][fmt]
    found: Callable[..., str] = getattr(import_module(f"catalogctl.reporters.{module}"), function)
    return found
