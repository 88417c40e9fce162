"""`catalogctl init DIR`: scaffold a new catalog repository that lints without
errors (its placeholders, warnings, say what to edit)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from string import Template

from catalogctl.load import kinds, schemas
from catalogctl.load.errors import EXIT_OK, UsageError

TEMPLATES = Path(__file__).resolve().parent / "templates" / "init"
EMPTY_FOLDERS = ("catalog/services", "catalog/slas", "catalog/cis", "catalog/templates")


def execute(*, directory: Path, name: str | None, today: dt.date) -> int:
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise UsageError(
            f"{directory} exists and is not empty; init only writes into a new or empty folder"
        )
    title = name or directory.resolve().name.replace("-", " ").title()
    planned: dict[Path, str] = {}
    for source in sorted(TEMPLATES.rglob("*")):
        if source.is_file():
            text = Template(source.read_text(encoding="utf-8")).safe_substitute(name=title)
            planned[directory / source.relative_to(TEMPLATES)] = text
    for source in sorted(schemas.bundled_dir().glob("*.schema.json")):
        planned[directory / "schemas" / source.name] = source.read_text(encoding="utf-8")
    for folder in (*EMPTY_FOLDERS, f"{kinds.CHANGES_DIR}/{today.year}"):
        planned[directory / folder / ".gitkeep"] = ""
    for path, text in planned.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    print(
        f"created a catalog in {directory} ({len(planned)} files); next: cd {directory} && "
        "catalogctl new service my-service && catalogctl lint"
    )
    return EXIT_OK
