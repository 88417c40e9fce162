"""`catalogctl cache info` and `cache clear`: the result cache of a catalog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from catalogctl.load import cache, cached
from catalogctl.load.errors import EXIT_OK, UsageError
from catalogctl.load.output import write_output
from catalogctl.workspace.workspace import find_root


@dataclass(frozen=True)
class CacheInfo:
    usage: cache.Usage
    build: str  # the folder this build of the tool reads and writes
    enabled: bool  # false when CATALOGCTL_NO_CACHE turns it off
    cleared: int | None = None  # bytes removed, for `cache clear`


def _directory(start: Path) -> Path:
    """The catalog's cache; outside a catalog, the one a catalog here would use."""
    try:
        root = find_root(start)
    except UsageError:
        root = start.resolve()
    found = cache.locate(root)
    if found is None:
        raise UsageError(
            "no folder for the cache: not in a git repository, and neither "
            "XDG_CACHE_HOME nor HOME is set; set CATALOGCTL_CACHE_DIR"
        )
    return found


def info(*, start: Path, render: Callable[[CacheInfo], str]) -> int:
    directory = _directory(start)
    write_output(
        render(CacheInfo(cache.usage(directory), cached.tool_build(), cache.enabled())), None
    )
    return EXIT_OK


def clear(*, start: Path, render: Callable[[CacheInfo], str]) -> int:
    directory = _directory(start)
    freed = cache.clear(directory)
    write_output(
        render(CacheInfo(cache.usage(directory), cached.tool_build(), cache.enabled(), freed)),
        None,
    )
    return EXIT_OK
