"""Writing command output and edited files: stdout, or a file replaced atomically.

Every file the tool writes (`-o FILE`, CODEOWNERS, edited change records) goes
through `replace_file`, and every folder it creates for others to read (the
site) gets `folder_mode()`: what the tool writes is readable by whoever the
user's umask lets read it, as with any other tool (a web server serving the
site must not get 403 because a temporary file's private mode leaked out).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from catalogctl.load import textsafe
from catalogctl.load.errors import UsageError


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows.

    Linux (4.7 and later) reports it in /proc/self/status. Elsewhere the only
    way is os.umask(), which sets it and has to set it back: a file another
    thread created between the two calls would get the wrong mode. That is
    acceptable here, at command level, where no other thread creates files."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a new file gets from open(): 0o666 less the umask."""
    return 0o666 & ~current_umask()


def folder_mode() -> int:
    """The mode a new folder gets from mkdir: 0o777 less the umask."""
    return 0o777 & ~current_umask()


def replace_file(
    path: Path,
    data: bytes | Iterable[bytes],
    *,
    durable: bool = True,
    head: tuple[int, Callable[[], bytes]] | None = None,
) -> None:
    """Write `data` (or its chunks, in order: a large file need not be one
    bytes object) to `path` through a temporary file in the same folder, an
    fsync and a rename: a reader sees the old file or the new one, never half
    of either, and a failure leaves the previous file intact. `durable=False`
    skips the fsyncs, for files that may be lost in a crash but never seen
    half-written (the result cache, which checksums what it reads).

    An existing file keeps its permissions; a new one gets the umask's
    (mkstemp's private 0o600 is only for the temporary file).

    `head` (size, function): the file starts with that many bytes, which the
    function gives once every chunk is written (a checksum of what follows,
    made while it streams, so the data need not be made twice or held)."""
    folder = path.parent
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name to write to")
    if not folder.is_dir():
        raise UsageError(f"{path}: the folder {folder} does not exist; create it first")
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = file_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            if head is not None:
                handle.write(bytes(head[0]))
            if isinstance(data, bytes):
                handle.write(data)
            else:
                for chunk in data:
                    handle.write(chunk)
            if head is not None:
                first = head[1]()
                if len(first) != head[0]:
                    raise ValueError(f"a head of {len(first)} bytes where {head[0]} were kept")
                handle.seek(0)
                handle.write(first)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable. POSIX only: Windows cannot open a
    folder; some file systems refuse to fsync one, which is not an error."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes(data: bytes, output: Path | None) -> None:
    """Bytes as they are (CRLF stays CRLF) to stdout or, atomically, to a file."""
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    replace_file(output, data)


def write_output(text: str, output: Path | None, *, escaped: bool = False) -> None:
    """Text to stdout or, atomically, to `output` (UTF-8).

    Reports carry text from pull requests, so every control, bidirectional or
    other invisible character but LF and tab is written as a `\\uXXXX` escape
    (`textsafe.visible`; valid inside JSON strings too): printed, a report
    never clears or rewrites the reader's terminal. `escaped=True` is for text
    whose untrusted parts the caller has escaped itself (coloured lint output,
    whose own colour codes must reach the terminal)."""
    if not escaped:
        text = textsafe.visible(text)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    replace_file(output, text.encode("utf-8"))
