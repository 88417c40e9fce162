"""Text the generator writes over and over: ids, slugs, tags, Markdown paragraphs."""

from __future__ import annotations

import re

from .yaml_writer import Inline


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def unique_id(base: str, used: dict[str, int], limit: int = 63) -> str:
    """`base`, or `base-2`, `base-3`... the first one not used yet."""
    base = base[:limit].rstrip("-")
    count = used.get(base, 0) + 1
    used[base] = count
    if count == 1:
        return base
    candidate = f"{base[: limit - len(str(count)) - 1].rstrip('-')}-{count}"
    while candidate in used:
        count += 1
        candidate = f"{base[: limit - len(str(count)) - 1].rstrip('-')}-{count}"
    used[candidate] = 1
    used[base] = count
    return candidate


def _wrap(text: str, width: int = 74) -> str:
    """Greedy word wrap (textwrap is slow and we only need this)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "\n".join(lines)


def markdown(*paragraphs: str) -> str:
    """The non-empty paragraphs, wrapped, as one Markdown text."""
    return "\n\n".join(_wrap(p) for p in paragraphs if p) + "\n"


def make_tags(*tags: str) -> Inline:
    """The tags as slugs (at most 41 characters), without empty ones or repeats."""
    out = Inline()
    for tag in tags:
        slug = slugify(tag)[:41].strip("-")
        if slug and slug not in out:
            out.append(slug)
    return out
