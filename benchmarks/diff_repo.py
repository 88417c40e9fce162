"""The repository bench_diff.py measures: a generated catalog, commit A, ten
edits as a pull request would make them, commit B.

Each edit records what the semantic diff must report for it (nine entity
changes: one added, one removed, seven modified; the tenth edit is formatting
only, which must not be reported).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchcli import BenchError
from generate import generate

SEED = 1
FILES_EDITED = 10

# Commits must not depend on the user's git configuration (hooks, signing,
# templates); the measured commands run with the ordinary environment (plus
# the bytecode cache, see measure.bytecode_cache()).
GIT_SETUP_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@fabrikam.example",
    "GIT_AUTHOR_DATE": "2026-11-27T10:00:00+01:00",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@fabrikam.example",
    "GIT_COMMITTER_DATE": "2026-11-27T10:00:00+01:00",
    "LC_ALL": "C",
}
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_ID = re.compile(r"^  id: (\S+)$", re.M)


@dataclass(frozen=True)
class Edit:
    file: str  # relative to the catalog root
    what: str
    change: tuple[str, str, str] | None  # expected (op, kind, id); None: no entity change


def run_git(root: Path, *args: str) -> str:
    result = subprocess.run(
        # No automatic gc: a detached `gc --auto` after committing 10,000
        # loose objects would pack them while the benchmark measures.
        ["git", "-c", "gc.auto=0", "-c", "maintenance.auto=false", *args],
        cwd=root,
        env=GIT_SETUP_ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def _commit(root: Path, message: str) -> str:
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "--no-verify", "-m", message)
    return run_git(root, "rev-parse", "HEAD").strip()


class Editor:
    """Picks distinct files (sorted order, so the same seed gives the same
    edits) and rewrites exactly one match in each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.used: set[Path] = set()
        self.edits: list[Edit] = []

    def files(self, folder: str) -> list[Path]:
        return sorted((self.root / folder).rglob("*.yaml"))

    def pick(self, folder: str, pattern: str) -> tuple[Path, str, re.Match[str]]:
        regex = re.compile(pattern, re.M)
        for path in self.files(folder):
            if path in self.used:
                continue
            text = path.read_text(encoding="utf-8")
            found = regex.search(text)
            if found:
                self.used.add(path)
                return path, text, found
        raise BenchError(f"no file under {folder} matches {pattern!r}")

    def record(self, path: Path, what: str, change: tuple[str, str, str] | None) -> None:
        self.edits.append(Edit(path.relative_to(self.root).as_posix(), what, change))

    def replace(
        self,
        folder: str,
        kind: str,
        pattern: str,
        repl: Callable[[re.Match[str]], str],
        what: str,
    ) -> str:
        """Rewrite the first match of `pattern` in the first unused file that has one."""
        path, text, found = self.pick(folder, pattern)
        new = text[: found.start()] + repl(found) + text[found.end() :]
        if new == text:
            raise BenchError(f"{path}: the edit changed nothing")
        path.write_text(new, encoding="utf-8")
        entity = _ID.search(text)
        if entity is None:
            raise BenchError(f"{path}: no metadata id")
        self.record(path, what.format(id=entity[1]), ("modified", kind, entity[1]))
        return entity[1]


def edit_catalog(root: Path) -> list[Edit]:
    """The ten edits of commit B; returns what each should show in the diff."""
    ed = Editor(root)

    def lower_target(m: re.Match[str]) -> str:
        return f"{m[1]}{round(float(m[2]) - 0.4, 2)}"

    ed.replace(
        "catalog/slas",
        "SLA",
        r"^(  availability:\n    target: )([0-9.]+)$",
        lower_target,
        "SLA {id}: availability target lowered by 0.4",
    )
    ed.replace(
        "catalog/services", "Service", r"^  tier: 2$", lambda m: "  tier: 1", "{id}: tier 2 -> 1"
    )
    ed.replace(
        "catalog/cis/network",
        "ConfigurationItem",
        r"^  status: in-service$",
        lambda m: "  status: maintenance",
        "{id}: status in-service -> maintenance",
    )
    teams = [p.stem for p in ed.files("catalog/teams") if p.stem not in ("cab", "ecab")]

    def new_owner(m: re.Match[str]) -> str:
        return "  owner: " + next(t for t in teams if t != m[1])

    ed.replace("catalog/services", "Service", r"^  owner: (\S+)$", new_owner, "{id}: owner changed")
    ed.replace(
        "catalog/services",
        "Service",
        r"^  description: \|\n",
        lambda m: m[0] + "    Since the 2026 re-platforming it also serves the cross-dock hubs.\n",
        "{id}: a line added to the description",
    )
    ed.replace(
        "changes",
        "ChangeRequest",
        r"^(  risk:\n    impact: )medium$",
        lambda m: m[1] + "high",
        "{id}: risk impact medium -> high",
    )
    ed.replace(
        "catalog/templates",
        "ChangeTemplate",
        r"^  maxDuration: (\S+)$",
        lambda m: "  maxDuration: " + ("4h" if m[1] != "4h" else "2h"),
        "{id}: maxDuration changed",
    )

    # A new service, owned by an existing team, depending on an existing service.
    anchor = ed.files("catalog/services/logistics")[0]
    anchor_id = _ID.search(anchor.read_text(encoding="utf-8"))
    if anchor_id is None:
        raise BenchError(f"{anchor}: no metadata id")
    added = root / "catalog/services/logistics/cross-dock-scheduling.yaml"
    added.write_text(
        "apiVersion: catalogctl/v1\n"
        "kind: Service\n"
        "metadata:\n"
        "  id: cross-dock-scheduling\n"
        "  name: Cross-Dock Scheduling\n"
        "  description: |\n"
        "    Slot booking for the cross-dock hubs, for carriers and dock staff.\n"
        "  tags: [logistics, business]\n"
        "spec:\n"
        f"  owner: {teams[0]}\n"
        "  type: business\n"
        "  lifecycle: pipeline\n"
        "  tier: 3\n"
        "  visibility: internal\n"
        "  category: Logistics\n"
        "  dependsOn:\n"
        f"    - {anchor_id[1]}\n"
        "  support:\n"
        "    hours: business-hours\n"
        f"    email: {teams[0]}@fabrikam.example\n",
        encoding="utf-8",
    )
    ed.used.add(added)
    ed.record(
        added, "new service cross-dock-scheduling", ("added", "Service", "cross-dock-scheduling")
    )

    # A CI whose id no other file mentions: deleting it breaks no reference.
    texts = {p: p.read_text(encoding="utf-8") for p in (*ed.files("catalog"), *ed.files("changes"))}
    mentions: Counter[str] = Counter()
    for text in texts.values():
        mentions.update(set(_TOKEN.findall(text)))
    for path in ed.files("catalog/cis"):
        found = _ID.search(texts[path])
        if path not in ed.used and found and mentions[found[1]] == 1:
            path.unlink()
            ed.used.add(path)
            ed.record(
                path,
                f"{found[1]}: unreferenced CI deleted",
                ("removed", "ConfigurationItem", found[1]),
            )
            break
    else:
        raise BenchError("no unreferenced configuration item to delete")

    # Formatting only: a comment and reordered tags are no change.
    def reorder(m: re.Match[str]) -> str:
        return f"  tags: [{', '.join(reversed(m[1].split(', ')))}]"

    path, text, found = ed.pick("catalog/cis", r"^  tags: \[([^\]]+, [^\]]+)\]$")
    path.write_text(
        "# Reviewed in the 2026 CMDB audit.\n"
        + text[: found.start()]
        + reorder(found)
        + text[found.end() :],
        encoding="utf-8",
    )
    ed.record(path, "comment added, tags reordered (no entity change)", None)

    if len(ed.edits) != FILES_EDITED:
        raise BenchError(f"made {len(ed.edits)} edits, expected {FILES_EDITED}")
    return ed.edits


def build_repo(root: Path, entities: int, pack: bool) -> tuple[str, str, list[Edit], float]:
    """Generate, commit A, edit, commit B; returns (A, B, edits, seconds to generate)."""
    started = time.perf_counter()
    generate(root, entities, seed=SEED)
    generate_s = time.perf_counter() - started
    run_git(root, "init", "-q", "-b", "main")
    base = _commit(root, "Catalog as generated")
    edits = edit_catalog(root)
    head = _commit(root, "Ten edits, as a pull request would make them")
    if pack:
        run_git(root, "gc", "-q", "--prune=now")
    return base, head, edits, generate_s
