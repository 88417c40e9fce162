"""`catalogctl site build`: the catalog site, generated and built with MkDocs.

Pages are generated into a temporary build folder (a copy of the `site/`
template plus the generated docs), never into the repository. `build` runs
MkDocs into a temporary output folder next to `--out` and only when MkDocs
succeeds swaps it in: the old folder is renamed aside, the new one renamed
into place, the old one deleted. A failed build leaves the previous output as
it was.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from catalogctl.load import kinds
from catalogctl.load.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from catalogctl.load.output import folder_mode
from catalogctl.load.workers import Progress
from catalogctl.model.entities import parse_instant
from catalogctl.site.project import CONFIG_NAME, MARKER, TEMPLATE_DIR, mkdocs_command, prepare
from catalogctl.workspace.workspace import open_workspace


def parse_now(text: str | None) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.UTC)
    value = parse_instant(text)
    if value is None:
        raise UsageError(f"--now {text}: not a date-time with offset (2027-01-01T00:00:00Z)")
    return value


OWN_FOLDERS = (
    kinds.CATALOG_DIR,
    kinds.CHANGES_DIR,
    "schemas",
    TEMPLATE_DIR,
    kinds.INCIDENTS_DIR,
    kinds.PROBLEMS_DIR,
    ".git",
    ".github",
)


def _identity(path: Path) -> tuple[int, int] | None:
    """The file system's identity of an existing path (device, inode): the same
    folder under another spelling (case-insensitive file systems, bind mounts)
    is still the same folder."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _check_out(out: Path, root: Path) -> None:
    """Refuse an --out whose replacement would delete what is not a site: the
    catalog root or a folder holding it, one of the catalog's own folders or a
    folder inside one, and any non-empty folder without our marker. Symbolic
    links are resolved first: `out -> changes` is the changes folder."""
    resolved = out.resolve()
    holding = {root, *root.parents}
    identity = _identity(resolved)
    if resolved in holding or (identity and identity in {_identity(p) for p in holding}):
        raise UsageError(
            f"--out {out}: this folder holds the catalog and a build replaces --out as a "
            "whole; choose a folder of its own, such as site-build"
        )
    # Each own folder by path and, when it exists, by identity.
    own: dict[object, str] = {}
    for name in OWN_FOLDERS:
        folder = (root / name).resolve()
        own[folder] = own[_identity(folder) or folder] = name
    for candidate in (resolved, *resolved.parents):
        found = own.get(candidate) or own.get(_identity(candidate))
        if found is not None:
            raise UsageError(
                f"--out {out}: this is the catalog's {found}/ folder or inside it, and a build "
                "replaces --out as a whole; choose a folder of its own, such as site-build"
            )
    if out.exists():
        if not out.is_dir():
            raise UsageError(f"--out {out}: exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise UsageError(
                f"--out {out}: the folder exists and was not built by `catalogctl site build` "
                f"(no {MARKER} in it); choose another folder or remove it yourself"
            )


# MkDocs runs silently (its output is kept for when it fails): say that it
# still runs at least this often, so a long build never looks hung.
HEARTBEAT_SECONDS = 4.0


def build(
    *,
    start: Path,
    out: Path | None,
    internal: bool,
    strict: bool,
    now: dt.datetime,
    jobs: int = 1,
    stage: Callable[[str], None] | None = None,
    progress: Progress | None = None,
    pages: Progress | None = None,
) -> int:
    """Build the site into `out`. A relative `out` is relative to the working
    directory (the CLI has already put it under -C DIR); it is made absolute
    here because MkDocs resolves a relative site folder against its
    configuration file, which lives in a temporary folder. `stage` hears each
    step, `progress` the files checked, `pages` the pages generated."""
    say = stage or (lambda _message: None)
    workspace_root = open_workspace(start).root
    out = out if out is not None else workspace_root / "site-build"
    _check_out(out, workspace_root)
    target = out.absolute()
    if not target.parent.is_dir():
        raise UsageError(f"--out {out}: the folder {out.parent} does not exist")
    with tempfile.TemporaryDirectory(prefix="catalogctl-site-") as tmp:
        build_dir = Path(tmp)
        code = prepare(
            workspace_root,
            build_dir,
            internal=internal,
            strict=strict,
            now=now,
            jobs=jobs,
            progress=progress,
            pages=pages,
            stage=say,
        )
        if code != EXIT_OK:
            return code
        count = sum(1 for _ in (build_dir / "docs").rglob("*.md"))
        say(f"MkDocs is building {count:,} pages")
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        try:
            # mkdtemp's folder is private (0o700); the site is for a web server to read.
            os.chmod(staging, folder_mode())
            args = ["build", "-f", str(build_dir / CONFIG_NAME), "-d", str(staging), "-q"]
            if strict:
                args.append("--strict")
            ran = time.monotonic()
            returncode, output = _run_mkdocs(mkdocs_command(*args), say)
            ran = time.monotonic() - ran
            if returncode != 0:
                sys.stderr.write(output)
                print(
                    f"catalogctl: mkdocs build failed (exit {returncode}); {out} is unchanged",
                    file=sys.stderr,
                )
                return EXIT_FINDINGS
            if ran >= HEARTBEAT_SECONDS:
                # The last heartbeat may be 4 s old, and replacing a large
                # previous site takes seconds more; a short build says nothing.
                say(f"MkDocs is done; putting the site in place ({out})")
            (staging / MARKER).write_text(
                "Built by `catalogctl site build`; replaced as a whole on the next build.\n",
                encoding="utf-8",
            )
            _swap(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    edition = "internal" if internal else "public"
    print(f"catalogctl: {edition} site written to {out}")
    return EXIT_OK


def _run_mkdocs(command: list[str], say: Callable[[str], None]) -> tuple[int, str]:
    """Run MkDocs with its output kept; every HEARTBEAT_SECONDS, say it still runs."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    while True:
        try:
            output, _ = process.communicate(timeout=HEARTBEAT_SECONDS)
        except subprocess.TimeoutExpired:
            say(f"MkDocs is still building ({time.monotonic() - started:.0f} s)")
            continue
        except BaseException:
            process.kill()
            process.wait()
            raise
        return process.returncode, output


def _swap(new: Path, out: Path) -> None:
    """Move `new` into `out`: the old folder aside, the new one in, the old one deleted."""
    old: Path | None = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rmdir(old)
        os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        if old is not None:
            os.rename(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
