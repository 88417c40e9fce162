"""Git access: our own `cat-file --batch` reader against GitPython's, same run.

    python benchmarks/bench_git.py [--entities 10000] [--repeat 7] [--pack] [--json]

Generates a synthetic catalog (benchmarks/generate.py, seed 1), commits it to
a fresh repository, then measures, best of --repeat runs each, the runs of
the two readers interleaved so that a busy machine slows both alike:

blobs
    Every blob of the commit's tree (one per catalog file), read into memory
    with the 1 MiB limit checked on the object header first, as the diff and
    the change history read them:
    ``ours``, `catalogctl.load.gitrepo.stream_blobs` (one `git cat-file
    --batch`, object names fed from a thread while the answers are read);
    ``GitPython``, `git.Git.stream_object_data` on its persistent `git
    cat-file --batch` (one name written, its answer read, then the next).
    Each run starts its own `cat-file` process and ends it.
refs
    Eight refs (branch, tag, annotated tag, HEAD~1, short SHA...) resolved to
    full commit SHAs: ``subprocess``, `git rev-parse --verify` run by hand
    (as catalogctl did before GitPython); ``GitPython runner``, the same
    command through `git.Git`, as `catalogctl.load.gitrepo.resolve_ref` does;
    ``GitPython Repo.rev_parse``, its Python implementation of the revision
    syntax (no process for most names).
import
    What `import git` adds to a process that has imported the command line:
    a fresh interpreter per run (it runs `git version` once, too).

Ratios are GitPython / ours (blobs) and GitPython / subprocess (refs): above
1.10 means GitPython measurably costs more.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import benchcli
from benchcli import BenchError
from diff_repo import run_git
from generate import generate

SEED = 1
LIMIT = 1 << 20  # the loader's size limit
SLOWER = 1.10  # GitPython / ours above this: measurably slower
_IMPORT_SCRIPT = """\
import time
import catalogctl.cli, catalogctl.load.gitsides, catalogctl.change.history
started = time.perf_counter()
import git
print(time.perf_counter() - started)
"""


def build_repo(root: Path, entities: int, pack: bool) -> tuple[list[str], list[str]]:
    """The committed catalog: (blob ids of HEAD's tree, refs to resolve)."""
    generate(root, entities, seed=SEED)
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "--no-verify", "-m", "Catalog as generated")
    first = run_git(root, "rev-parse", "HEAD").strip()
    run_git(root, "tag", "v1")
    run_git(root, "tag", "-a", "v1-annotated", "-m", "annotated")
    (root / "README.md").write_text("second\n", encoding="utf-8")
    run_git(root, "add", "README.md")
    run_git(root, "commit", "-q", "--no-verify", "-m", "Second")
    run_git(root, "branch", "feature/x", first)
    if pack:
        run_git(root, "gc", "-q", "--prune=now")
    listing = run_git(root, "ls-tree", "-r", "HEAD")
    oids = [line.split()[2] for line in listing.splitlines() if line.split()[1] == "blob"]
    refs = ["HEAD", "main", "v1", "v1-annotated", "HEAD~1", "feature/x", first[:10], first]
    return oids, refs


def _best(runs: list[float]) -> float:
    return min(runs)


def _ours_blobs(top: Path, oids: list[str]) -> int:
    from catalogctl.load.gitrepo import stream_blobs

    total = 0
    for _oid, _size, blob in stream_blobs(top, oids, LIMIT):
        if blob is None:
            raise BenchError("a blob is missing or over the limit")
        total += len(blob)
    return total


def _gitpython_blobs(top: Path, oids: list[str]) -> int:
    import git

    runner = git.Git(top)
    total = 0
    try:
        for oid in oids:
            _sha, _kind, size, stream = runner.stream_object_data(oid)
            if size > LIMIT:
                raise BenchError("a blob is missing or over the limit")
            total += len(stream.read(size))
    finally:
        runner.clear_cache()
    return total


def _same_blobs(top: Path, oids: list[str]) -> bool:
    """Both readers give the same bytes for every object (checked once, untimed)."""
    import git

    from catalogctl.load.gitrepo import stream_blobs

    runner = git.Git(top)
    try:
        theirs = [runner.get_object_data(oid)[3] for oid in oids]
    finally:
        runner.clear_cache()
    return [blob for _oid, _size, blob in stream_blobs(top, oids, LIMIT)] == theirs


def _subprocess_refs(top: Path, refs: list[str]) -> list[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_LITERAL_PATHSPECS": "1"}
    return [
        subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"],
            cwd=top,
            capture_output=True,
            check=True,
            env=env,
        )
        .stdout.decode()
        .strip()
        for ref in refs
    ]


def _runner_refs(top: Path, refs: list[str]) -> list[str]:
    from catalogctl.load.gitrepo import resolve_ref

    return [resolve_ref(top, ref) for ref in refs]


def _rev_parse_refs(top: Path, refs: list[str]) -> list[str]:
    import git

    repo = git.Repo(top)
    try:
        return [repo.rev_parse(ref + "^{commit}").hexsha for ref in refs]
    finally:
        repo.close()


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def _import_cost(repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _IMPORT_SCRIPT],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        runs.append(float(out))
    return _best(runs)


def benchmark(entities: int, repeat: int, pack: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-git-") as tmp:
        root = Path(tmp) / "catalog"
        oids, refs = build_repo(root, entities, pack)
        timings: dict[str, list[float]] = {
            "blobs_ours": [],
            "blobs_gitpython": [],
            "refs_subprocess": [],
            "refs_runner": [],
            "refs_rev_parse": [],
        }
        sizes: set[int] = set()
        shas: set[tuple[str, ...]] = set()
        for _ in range(repeat):
            for name, work in (
                ("blobs_ours", lambda: _ours_blobs(root, oids)),
                ("blobs_gitpython", lambda: _gitpython_blobs(root, oids)),
            ):
                seconds, total = _timed(work)
                timings[name].append(seconds)
                sizes.add(total)
            for name, resolve in (
                ("refs_subprocess", lambda: _subprocess_refs(root, refs)),
                ("refs_runner", lambda: _runner_refs(root, refs)),
                ("refs_rev_parse", lambda: _rev_parse_refs(root, refs)),
            ):
                seconds, found = _timed(resolve)
                timings[name].append(seconds)
                shas.add(tuple(found))
        if len(sizes) != 1 or len(shas) != 1 or not _same_blobs(root, oids):
            raise BenchError("the two readers disagree on what they read")
        best = {name: _best(runs) for name, runs in timings.items()}
        return {
            "entities": entities,
            "blobs": len(oids),
            "bytes": sizes.pop(),
            "refs": len(refs),
            "repeat": repeat,
            "objects": "packed" if pack else "loose",
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "git": run_git(root, "version").strip().removeprefix("git version "),
            "seconds": best,
            "blobs_ratio": best["blobs_gitpython"] / best["blobs_ours"],
            "refs_runner_ratio": best["refs_runner"] / best["refs_subprocess"],
            "refs_rev_parse_ratio": best["refs_rev_parse"] / best["refs_subprocess"],
            "import_git_seconds": _import_cost(repeat),
        }


def render(result: dict[str, Any]) -> str:
    seconds = result["seconds"]
    blobs, refs = result["blobs"], result["refs"]
    lines = [
        f"git access benchmark: {result['entities']:,} entities, {blobs:,} blobs "
        f"({result['bytes'] / 1e6:.1f} MB, objects {result['objects']}), best of "
        f"{result['repeat']}, {result['cpus']} CPUs, Python {result['python']}, "
        f"git {result['git']}",
        "",
        f"{'':40}{'seconds':>10}{'us each':>10}",
    ]
    for label, key, count in (
        ("blobs: ours (pipelined cat-file --batch)", "blobs_ours", blobs),
        ("blobs: GitPython stream_object_data", "blobs_gitpython", blobs),
        ("refs: rev-parse, subprocess", "refs_subprocess", refs),
        ("refs: rev-parse, GitPython runner", "refs_runner", refs),
        ("refs: GitPython Repo.rev_parse", "refs_rev_parse", refs),
    ):
        lines.append(f"{label:40}{seconds[key]:10.3f}{seconds[key] / count * 1e6:10.1f}")
    lines.append(f"{'import git (after the CLI)':40}{result['import_git_seconds']:10.3f}")
    lines.append("")
    for label, key in (
        ("blobs: GitPython / ours", "blobs_ratio"),
        ("refs: GitPython runner / subprocess", "refs_runner_ratio"),
        ("refs: Repo.rev_parse / subprocess", "refs_rev_parse_ratio"),
    ):
        verdict = "measurably slower" if result[key] > SLOWER else "not measurably slower"
        lines.append(f"{label} = {result[key]:.2f}x ({verdict})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time reading a committed catalog's blobs and resolving refs, "
        "with our own git plumbing and with GitPython, in the same run."
    )
    parser.add_argument("--entities", type=int, default=10_000, help="catalog size (10000)")
    parser.add_argument("--repeat", type=int, default=7, help="runs of each; best counts (7)")
    parser.add_argument("--pack", action="store_true", help="`git gc` first, as in a clone")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when GitPython is measurably slower"
    )

    def measure(args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
        result = benchmark(args.entities, args.repeat, args.pack)
        return result, result["blobs_ratio"] > SLOWER

    return benchcli.run("bench_git.py", parser, argv, measure, render)


if __name__ == "__main__":
    sys.exit(main())
