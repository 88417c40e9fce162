"""Writing a set of exported files under one folder, each replaced atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from catalogctl.change import editing
from catalogctl.load.errors import UsageError
from catalogctl.load.output import replace_file


def yaml_documents(documents: list[dict[str, Any]]) -> str:
    """Documents in the catalog's own YAML dialect, `---` between them."""
    return "---\n".join(editing.render_block(doc, 0) + "\n" for doc in documents)


def write_tree(out: Path, files: dict[str, str]) -> None:
    """Every file (relative path -> text) under `out`; existing files of the
    same names are replaced (the user named the folder), others are left."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file; give --out a folder")
    for relative, text in sorted(files.items()):
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, text.encode("utf-8"))
