"""How every benchmark runs and measures the tools: real subprocesses, timed.

The executables (catalogctl and the interpreter it runs on), the bytecode
cache the measured interpreters share, one child run to completion (wall
seconds from spawn to exit, its peak RSS from ``wait4()``, its output), the
sampled peak memory of a whole process tree, and best-of-N bookkeeping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchcli import BenchError


@dataclass
class Run:
    seconds: float
    peak_mb: float
    exit_code: int
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0  # user + system, of it and its waited-for children


@dataclass
class Measure:
    """Best-of-N wall time and worst peak memory of one configuration."""

    label: str
    runs: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return min(self.runs)

    @property
    def peak_mb(self) -> float:
        return max(self.peaks)


def find_catalogctl(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    beside = Path(sys.executable).parent / "catalogctl"
    if beside.exists():
        return beside
    found = shutil.which("catalogctl")
    if found is None:
        raise BenchError("catalogctl not found; run with the project's venv python or --catalogctl")
    return Path(found)


def python_for(catalogctl: Path) -> str:
    """The interpreter catalogctl runs on (its venv), so the floors use the same one."""
    for name in ("python", "python3"):
        candidate = catalogctl.parent / name
        if candidate.exists():
            return str(candidate)
    return sys.executable


def usable_cpus() -> int | None:
    """The CPUs this process may run on (its affinity where the platform has one)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


@contextmanager
def bytecode_cache(enabled: bool) -> Iterator[None]:
    """Let the measured interpreters cache bytecode, in a private folder.

    An installed tool runs from cached bytecode (pip compiles it). When
    PYTHONDONTWRITEBYTECODE is set, modules without a .pyc next to them are
    compiled from source on every start, which would be measured as the tool's
    cost. PYTHONPYCACHEPREFIX sends the cache to a temporary folder, so nothing
    is written next to the sources; one untimed warm-up run fills it.
    """
    if not enabled:
        yield
        return
    saved = {k: os.environ.get(k) for k in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    with tempfile.TemporaryDirectory(prefix="catalogctl-bench-pycache-") as cache:
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = cache
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def _maxrss_mb(ru_maxrss: int) -> float:
    # Linux reports KiB, macOS bytes.
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


def run_child(
    argv: Sequence[str], cwd: Path, on_start: Callable[[int], threading.Thread] | None = None
) -> Run:
    """Run a command to completion: wall seconds, its peak RSS, exit code, output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, stdout=out, stderr=err)
        sampler = on_start(proc.pid) if on_start else None
        # wait4 reaps the child and returns its own resource usage (the max RSS
        # of it and of its waited-for descendants), unlike RUSAGE_CHILDREN,
        # which is a running maximum over every child this process ever had.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler is not None:
            sampler.join()
        out.seek(0)
        err.seek(0)
        return Run(
            seconds,
            _maxrss_mb(usage.ru_maxrss),
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            usage.ru_utime + usage.ru_stime,
        )


class TreeSampler(threading.Thread):
    """Polls /proc for the summed PSS (or RSS) of a process and its descendants."""

    def __init__(self, pid: int, interval: float = 0.01) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0

    @staticmethod
    def _children(pid: int) -> list[int]:
        found: list[int] = []
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return found
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    found.extend(int(c) for c in handle.read().split())
            except OSError:
                continue
        return found

    @staticmethod
    def _memory_kb(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        except OSError:
            pass
        try:
            with open(f"/proc/{pid}/statm") as handle:
                return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            return 0

    def run(self) -> None:
        while os.path.exists(f"/proc/{self.pid}/stat"):
            try:
                with open(f"/proc/{self.pid}/stat") as handle:
                    if handle.read().rsplit(")", 1)[-1].split()[0] == "Z":
                        return  # exited, waiting to be reaped
            except OSError:
                return
            tree, frontier = [self.pid], [self.pid]
            while frontier:
                children = [c for p in frontier for c in self._children(p)]
                tree.extend(children)
                frontier = children
            self.peak_kb = max(self.peak_kb, sum(self._memory_kb(p) for p in tree))
            time.sleep(self.interval)
