"""`catalogctl cache info|clear` as text or JSON."""

from __future__ import annotations

import json

from catalogctl.workspace.cache_command import CacheInfo


def _size(count: int) -> str:
    if count < 1 << 20:
        return f"{count / 1024:.1f} KiB"
    return f"{count / (1 << 20):.1f} MiB"


def render_text(result: CacheInfo) -> str:
    usage = result.usage
    lines = []
    if result.cleared is not None:
        lines.append(f"cleared {_size(result.cleared)} from {usage.directory}")
    lines += [
        f"cache folder: {usage.directory}",
        f"this build: {result.build}" + ("" if result.enabled else " (cache turned off)"),
        f"entries: {usage.entries:,} in {usage.builds} build folder(s), {_size(usage.bytes)}",
    ]
    if usage.corrupt_shards:
        lines.append(
            f"damaged shards: {usage.corrupt_shards} (ignored; the next run rewrites them)"
        )
    return "\n".join(lines) + "\n"


def render_json(result: CacheInfo) -> str:
    usage = result.usage
    document = {
        "directory": str(usage.directory),
        "build": result.build,
        "enabled": result.enabled,
        "builds": usage.builds,
        "entries": usage.entries,
        "bytes": usage.bytes,
        "damaged_shards": usage.corrupt_shards,
        "cleared_bytes": result.cleared,
    }
    return json.dumps(document, indent=2) + "\n"
