"""`catalogctl site serve`: a live preview that follows catalog edits.

The MkDocs project is generated once into a temporary folder (`project.prepare`)
and served by `mkdocs serve`; a watcher thread polls the catalog, policy and
template once a second and, on a change, regenerates the project and brings
the served folder in line file by file, so MkDocs rebuilds and reloads.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from catalogctl.load.errors import EXIT_FINDINGS, EXIT_OK
from catalogctl.site.project import CONFIG_NAME, TEMPLATE_DIR, mkdocs_command, prepare
from catalogctl.workspace.workspace import open_workspace

WATCHED = ("catalog", "changes", TEMPLATE_DIR, "catalogctl.yaml")


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Paths, modification times and sizes of everything the site is made from."""
    found = []
    for name in WATCHED:
        top = root / name
        for path in [top, *sorted(top.rglob("*"))] if top.is_dir() else [top]:
            try:
                info = path.lstat()
            except OSError:
                continue
            found.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(found)


def _regenerate(root: Path, build_dir: Path, internal: bool, now: dt.datetime) -> None:
    """Generate into a fresh folder, then bring the served folder in line file
    by file (MkDocs watches those paths, so it rebuilds and reloads)."""
    fresh = Path(tempfile.mkdtemp(prefix="next-", dir=build_dir.parent))
    try:
        if prepare(root, fresh, internal=internal, strict=False, now=now) != EXIT_OK:
            return  # the findings are on stderr; keep serving the last good pages
        new = {p.relative_to(fresh): p for p in fresh.rglob("*") if p.is_file()}
        old = {p.relative_to(build_dir): p for p in build_dir.rglob("*") if p.is_file()}
        for relative, source in new.items():
            target = build_dir / relative
            if relative not in old or target.read_bytes() != source.read_bytes():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
        for relative, stale in old.items():
            if relative not in new:
                stale.unlink(missing_ok=True)
        print("catalogctl: catalog changed; pages regenerated", file=sys.stderr)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _watch(
    root: Path, build_dir: Path, internal: bool, now: dt.datetime, stop: threading.Event
) -> None:
    last = fingerprint(root)
    while not stop.wait(1.0):
        current = fingerprint(root)
        if current != last:
            last = current
            _regenerate(root, build_dir, internal, now)


def serve(*, start: Path, internal: bool, now: dt.datetime, address: str | None) -> int:
    """Generate the project into a temporary folder and run `mkdocs serve` on it.

    A watcher regenerates the pages whenever the catalog, the policy or the
    site template changes; MkDocs then rebuilds and reloads the browser."""
    root = open_workspace(start).root
    with tempfile.TemporaryDirectory(prefix="catalogctl-serve-") as tmp:
        build_dir = Path(tmp) / "project"
        build_dir.mkdir()
        code = prepare(root, build_dir, internal=internal, strict=False, now=now)
        if code != EXIT_OK:
            return code
        stop = threading.Event()
        watcher = threading.Thread(
            target=_watch, args=(root, build_dir, internal, now, stop), daemon=True
        )
        watcher.start()
        args = ["serve", "-f", str(build_dir / CONFIG_NAME)]
        if address:
            args += ["-a", address]
        # SIGTERM (a CI job's timeout, `kill`) ends the preview like Ctrl-C does,
        # so the temporary folder is removed and MkDocs is not left running.
        previous = signal.signal(signal.SIGTERM, _interrupt)
        child = subprocess.Popen(mkdocs_command(*args))
        try:
            returncode = child.wait()
        except KeyboardInterrupt:
            child.terminate()
            child.wait()
            return EXIT_OK
        finally:
            stop.set()
            signal.signal(signal.SIGTERM, previous)
        return EXIT_OK if returncode in (0, -2, -15, 130) else EXIT_FINDINGS


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
