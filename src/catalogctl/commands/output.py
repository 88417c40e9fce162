"""Writing command output and edited files: stdout, or a file replaced atomically."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from catalogctl import textsafe


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a
    rename: a reader sees the old file or the new one, never half of either,
    and a failure leaves the previous file intact. An existing file keeps its
    permissions."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
