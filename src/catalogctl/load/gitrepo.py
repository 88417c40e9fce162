"""Git, through GitPython: every git command, and our own blob reader.

Every git command runs through GitPython's command runner (`git.Git`), with
fixed arguments: user text only ever follows `--end-of-options` or `--`, so
it can never be read as an option. GitPython is imported on first use, not
when the command line starts (it costs tens of milliseconds).

Blobs are the one exception: `stream_blobs` feeds all object names to one
`git cat-file --batch` from a thread while it reads the answers, where
GitPython's persistent `cat-file` waits for each answer before asking the
next question. Ours reads a 10,000-file catalog 1.2 times as fast or more
(docs/decisions.md, "Git access", has the figures; benchmarks/bench_git.py
measures them). Neither reads an object over the size limit: the header
gives the size first.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import git as gitpython


class SourceError(Exception):
    """The source cannot be read at all (not a catalog, unknown ref): exit 2."""


class _NoFolder(SourceError):
    """The folder to run git in cannot be entered (said as it is, whatever the command)."""


# Literal pathspecs: a folder named `[ab]*` must not act as a glob. GitPython
# adds LC_ALL=C and LANGUAGE=C itself, so git's messages are in English.
_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_LITERAL_PATHSPECS": "1"}


def _runner(cwd: Path) -> gitpython.Git:
    """GitPython's command runner in `cwd`.

    Given a missing or closed folder, GitPython would quietly run git in the
    process's current folder instead (perhaps another repository): refused
    here. A `Path` (not a string) keeps it from expanding `$NAME` in it."""
    try:
        import git as gitpython
    except ImportError as error:  # GitPython checks for git when imported
        first = (str(error).splitlines() or ["GitPython cannot be imported"])[0]
        raise SourceError(f"git cannot be run: {first}") from None
    folder = Path(cwd)
    if not folder.is_dir() or not os.access(folder, os.X_OK):
        raise _NoFolder(f"{folder} is not a folder git can work in")
    runner = gitpython.Git(folder)
    runner.update_environment(**_ENV)
    return runner


def git(cwd: Path, *args: str) -> bytes:
    """Run git with fixed arguments; its output, or SourceError with git's
    own words. Never pass user text except after --end-of-options or --."""
    runner = _runner(cwd)
    import git as gitpython

    command = [os.fspath(gitpython.Git.GIT_PYTHON_GIT_EXECUTABLE or "git"), *args]
    try:
        status, out, err = runner.execute(
            command,
            with_extended_output=True,
            with_exceptions=False,
            stdout_as_string=False,
            strip_newline_in_stdout=False,
        )
    except gitpython.GitCommandNotFound as error:
        raise SourceError(f"git cannot be run: {error.status}") from None
    if status != 0:
        # GitPython keeps undecodable bytes as surrogates, which cannot be printed
        text = err.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        raise SourceError(text.strip() or "git failed")
    return out


def top_and_prefix(root: Path) -> tuple[Path, str]:
    """The work tree's top folder and `root`'s place in it ('' or 'sub/dir/')."""
    try:
        top = git(root, "rev-parse", "--show-toplevel").decode().strip()
        prefix = git(root, "rev-parse", "--show-prefix").decode().strip()
    except SourceError:
        raise SourceError(f"{root} is not inside a git repository") from None
    return Path(top), prefix


def resolve_ref(root: Path, ref: str) -> str:
    """A user-supplied ref -> full commit SHA, or SourceError naming what to do.

    git's own `rev-parse --verify` decides, not GitPython's `Repo.rev_parse`:
    that one re-implements the revision syntax in Python and, for one, takes
    forty zeros for a commit (docs/decisions.md, "Git access")."""
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n\r"):
        raise SourceError(f"'{ref}' is not a valid git ref")
    try:
        out = git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}")
    except _NoFolder:
        raise
    except SourceError:
        raise SourceError(
            f"unknown git ref '{ref}': no commit by that name (try a branch, tag or SHA)"
        ) from None
    return out.decode().strip()


_CHUNK = 1 << 20


def stream_blobs(
    top: Path, oids: list[str], limit: int | None = None
) -> Iterator[tuple[str, int | None, bytes | None]]:
    """(oid, size, content) for many objects through one `git cat-file
    --batch`, in order. A missing object has no size and no content; with
    `limit`, one larger than `limit` bytes has no content: it is read past in
    chunks and dropped, never held in memory. A separate thread feeds the
    object names so that neither pipe can fill up and block both processes."""
    if not oids:
        return
    proc = subprocess.Popen(
        ["git", "cat-file", "--batch"],
        cwd=top,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
    )
    assert proc.stdin is not None and proc.stdout is not None
    stdin, stdout = proc.stdin, proc.stdout

    def feed() -> None:
        try:
            stdin.write(b"".join(oid.encode() + b"\n" for oid in oids))
            stdin.close()
        except OSError:  # git went away; the reader reports it
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for oid in oids:
            header = stdout.readline().split()
            if len(header) == 2 and header[1] == b"missing":
                yield oid, None, None
                continue
            if len(header) != 3 or not header[2].isdigit():
                raise SourceError("git cat-file returned an unexpected answer")
            size = int(header[2])
            if limit is not None and size > limit:
                left = size + 1
                while left > 0:
                    chunk = stdout.read(min(left, _CHUNK))
                    if not chunk:
                        raise SourceError("git cat-file stopped in the middle of an object")
                    left -= len(chunk)
                yield oid, size, None
            else:
                yield oid, size, stdout.read(size + 1)[:-1]
    finally:
        writer.join(timeout=1)
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        stdout.close()


def read_blobs(top: Path, oids: list[str]) -> list[bytes]:
    """Many blobs through one `git cat-file --batch` process, all of them
    (the caller has checked their sizes). A missing object is a SourceError."""
    blobs: list[bytes] = []
    for oid, _, blob in stream_blobs(top, oids):
        if blob is None:
            raise SourceError(f"git object {oid} is missing from the repository")
        blobs.append(blob)
    return blobs
