"""Running the per-file stage over many files, in forked worker processes.

Workers inherit the inputs and the compiled schemas through fork, so only
batch indices go out; each file's data comes back as a JSON text (the loader
only produces JSON types), which crosses the pipe and decodes several times
faster than the equivalent pickled objects, and is what the result cache
stores as it is.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from catalogctl.load import loader
from catalogctl.load.diagnostics import Diagnostic
from catalogctl.load.filecheck import check_parts
from catalogctl.load.interning import intern_strings
from catalogctl.load.loader import LoadedFile, Suppression
from catalogctl.load.sources import SourceFile

if TYPE_CHECKING:
    from catalogctl.load.schemaref import SchemaRef

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400
Progress = Callable[[int, int], None]  # (files done, files in all)
_Batch = tuple[
    list[str], list[tuple[tuple[Diagnostic, ...], tuple[Suppression, ...], tuple[Diagnostic, ...]]]
]

# Set in the parent just before forking; the children read them, nothing is sent.
_INPUT: list[tuple[str, bytes]] = []
_SCHEMAS: SchemaRef | None = None


@contextlib.contextmanager
def gc_paused(keep: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects.

    Every document adds thousands of nodes and dicts that live until the end of
    the run, and each full collection walks all of them again: measured on a
    10,000-file catalog this halved the per-file cost. Reference counting still
    frees everything that is not in a cycle; cycles are collected on resume.

    `keep`: what exists at the end lives until the process ends (the catalog
    of a command): it is moved out of the collector's sight (gc.freeze), or
    the first full collection after the pause walks all of it again, which
    was a fifth of the CPU time of `report` and `scorecard` on a warm cache."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()


def default_jobs() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Checked:
    """One file's per-file results, kept apart as the result cache stores them."""

    loaded: LoadedFile  # what loading found: data, its diagnostics, suppressions
    schema: tuple[Diagnostic, ...]  # what the schemas found
    data_json: str | None = None  # `loaded.data` as JSON, when a worker sent it so

    def whole(self) -> LoadedFile:
        if not self.schema:
            return self.loaded
        return replace(self.loaded, diagnostics=(*self.loaded.diagnostics, *self.schema))


def _check_slice(bounds: tuple[int, int]) -> _Batch:
    """The files from `start` to `stop`: one contiguous run, so that results
    come back in order and the parent can finish them as they arrive (its
    caller orders the files by cache shard, which also spreads the expensive
    kinds, services and changes, evenly over the workers)."""
    start, stop = bounds
    with gc_paused():
        results = [check_parts(path, raw, _SCHEMAS) for path, raw in _INPUT[start:stop]]
    data = [json.dumps(r.data, ensure_ascii=False, separators=(",", ":")) for r, _ in results]
    return data, [(r.diagnostics, r.suppressions, found) for r, found in results]


def _checked(path: str, raw: bytes, schemas: SchemaRef | None) -> Checked:
    loaded, found = check_parts(path, raw, schemas)
    intern_strings(loaded.data)
    return Checked(loaded, found)


def check_parts_all(
    readable: Sequence[tuple[str, bytes]],
    schemas: SchemaRef | None,
    jobs: int,
    progress: Progress | None = None,
    done: int = 0,
    total: int | None = None,
    keep_json: bool = True,
) -> list[Checked]:
    """check_parts for every (path, bytes), in `jobs` processes when it pays; in
    order. `done` and `total` place these files in a larger run's progress;
    `keep_json=False` drops the documents' JSON texts once decoded (nothing
    will store them)."""
    return list(check_parts_each(list(readable), schemas, jobs, progress, done, total, keep_json))


def check_parts_each(
    readable: list[tuple[str, bytes]],
    schemas: SchemaRef | None,
    jobs: int,
    progress: Progress | None = None,
    done: int = 0,
    total: int | None = None,
    keep_json: bool = True,
) -> Iterator[Checked]:
    """check_parts_all, one result at a time, in order, as soon as it is back:
    the caller stores and drops each one before the rest arrive. Each file's
    bytes are released from `readable` (replaced by empty bytes) once its
    result is back: the workers hold their own copy since they started."""
    total = len(readable) if total is None else total
    if jobs < 2 or len(readable) < PARALLEL_THRESHOLD:
        yield from _check_here(readable, schemas, progress, done, total)
        return
    # Imported here: a run whose files all come from the result cache starts no
    # process, and these imports cost more than the rest of a small run.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        yield from _check_here(readable, schemas, None, done, total)
        return
    if schemas is not None:
        schemas.checks()  # compiled once, here; the workers inherit them
    global _INPUT, _SCHEMAS
    _INPUT, _SCHEMAS = readable, schemas
    # At least four runs a worker, and runs of at most ~1,000 files so that
    # results, and the progress counter, arrive every fraction of a second.
    size = max(1, min(1000, -(-len(readable) // (jobs * 4))))
    slices = [(start, min(start + size, len(readable))) for start in range(0, len(readable), size)]
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            # Every worker is forked by the first submit, inside map(): from
            # here on the parent may let go of each file's bytes.
            for (start, _), (data, rest) in zip(
                slices, pool.map(_check_slice, slices), strict=True
            ):
                documents = json.loads("[" + ",".join(data) + "]")  # keys shared, one call
                intern_strings(documents)
                for index, (text, document, (diagnostics, sups, found)) in enumerate(
                    zip(data, documents, rest, strict=True), start
                ):
                    path = readable[index][0]
                    readable[index] = (path, b"")
                    loaded = LoadedFile(path, document, diagnostics, sups)
                    yield Checked(loaded, found, text if keep_json else None)
                done += len(data)
                del data, documents, rest
                if progress:
                    progress(done, total)
    finally:
        _INPUT, _SCHEMAS = [], None


def _check_here(
    readable: list[tuple[str, bytes]],
    schemas: SchemaRef | None,
    progress: Progress | None,
    done: int,
    total: int,
) -> Iterator[Checked]:
    for number, (path, raw) in enumerate(readable, 1):
        one = _checked(path, raw, schemas)
        readable[number - 1] = (path, b"")
        yield one
        if progress and (number % 200 == 0 or number == len(readable)):
            progress(done + number, total)


def check_all(
    files: Sequence[SourceFile],
    schemas: SchemaRef | None,
    jobs: int,
    progress: Progress | None = None,
) -> list[LoadedFile]:
    """check_file for every file, in `jobs` processes when it pays; in order."""
    readable = [(f.path, f.raw) for f in files if f.raw is not None]
    results = {
        f.path: loader.refused(f.path, f"{f.path.rsplit('/', 1)[-1]} {f.refusal}", f.rule)
        for f in files
        if f.raw is None
    }
    checked = check_parts_all(readable, schemas, jobs, progress, len(results), len(files))
    results.update((c.loaded.path, c.whole()) for c in checked)
    return [results[f.path] for f in files]
