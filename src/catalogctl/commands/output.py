"""Writing command output: stdout, or a file replaced atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def write_output(text: str, output: Path | None) -> None:
    """Write to `output` via a temporary file and rename, so a reader never sees
    half a report and a failure leaves the previous file intact."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    folder = output.parent if str(output.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
