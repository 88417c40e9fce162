"""Runs a Markdown page's shell session: the doc test of docs/getting-started.md.

A ```console block holds commands (`$ ` lines; a line ending in `\\` or a
heredoc continues the command) each followed by the output it prints. The
commands run in order, in one folder of their own, with bash; the cwd carries
over from one command to the next (`cd` works as on the page). Output is
compared line by line, stdout and stderr together as a terminal shows them;
in the expected text a line `...` stands for any number of lines and `...`
inside a line for any text (commit ids, timings). A command is expected to
exit 0 unless it says `# exits N`. Blocks in other languages (`sh`) are shown,
not run: installing, pushing to GitHub.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

_HEREDOC = re.compile(r"<<-?\s*'?\"?([A-Za-z_]+)'?\"?")
_EXITS = re.compile(r"#\s*exits\s+(\d+)\s*$", re.M)


@dataclass(frozen=True)
class Step:
    line: int  # where the command starts on the page, for failure messages
    command: str
    expected: tuple[str, ...]

    @property
    def exit_code(self) -> int:
        found = _EXITS.search(self.command.splitlines()[0])
        return int(found.group(1)) if found else 0


def steps(markdown: str) -> Iterator[Step]:
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            if not lines[i].startswith("$ "):
                raise ValueError(f"line {i + 1}: output before any command")
            start = i
            command = [lines[i][2:]]
            delimiter = _HEREDOC.search(command[0])
            while command[-1].endswith("\\") or delimiter:
                i += 1
                command.append(lines[i])
                if delimiter and lines[i] == delimiter.group(1):
                    delimiter = None
                elif not delimiter and not command[-1].endswith("\\"):
                    break
            i += 1
            expected = []
            while i < len(lines) and not lines[i].startswith("$ ") and lines[i].strip() != "```":
                expected.append(lines[i])
                i += 1
            yield Step(start + 1, "\n".join(command), tuple(expected))
        i += 1


def pattern(expected: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for line in expected:
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(p) for p in line.split("...")) + r"\n")
    return re.compile("".join(parts))


def run(step: Step, cwd: Path, env: Mapping[str, str], state: Path) -> tuple[int, str, Path]:
    """Runs one command in `cwd`; returns its exit code, its output and the
    folder it ended in (written to `state`, outside the tutorial's folders)."""
    state.unlink(missing_ok=True)
    script = f"{step.command}\n__rc=$?\npwd > '{state}'\nexit $__rc\n"
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    moved = Path(state.read_text(encoding="utf-8").strip()) if state.exists() else cwd
    return result.returncode, result.stdout, moved


def environment(home: Path, bin_dir: Path) -> dict[str, str]:
    """A user's shell with catalogctl on PATH and nothing of this machine's own
    git configuration or colours."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TMPDIR")}
    return {
        **keep,
        "PATH": os.pathsep.join([str(bin_dir), keep.get("PATH", "/usr/bin:/bin")]),
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_COLOR": "1",
        "TERM": "dumb",
    }
