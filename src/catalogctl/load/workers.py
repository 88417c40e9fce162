"""Running the per-file stage over many files, in forked worker processes.

Workers inherit the inputs and the compiled schemas through fork, so only
batch indices go out; results come back as one JSON text per batch (the
loader only produces JSON types), which unpickles several times faster than
the equivalent Python objects.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from catalogctl.load import loader
from catalogctl.load.diagnostics import Diagnostic
from catalogctl.load.filecheck import check_file
from catalogctl.load.loader import LoadedFile, Suppression
from catalogctl.load.sources import SourceFile

if TYPE_CHECKING:
    from catalogctl.load.schemas import SchemaSet

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400
Progress = Callable[[int, int], None]  # (files done, files in all)
_Batch = tuple[str, list[tuple[tuple[Diagnostic, ...], tuple[Suppression, ...]]]]

# Set in the parent just before forking; the children read them, nothing is sent.
_INPUT: list[tuple[str, bytes]] = []
_SCHEMAS: SchemaSet | None = None


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects.

    Every document adds thousands of nodes and dicts that live until the end of
    the run, and each full collection walks all of them again: measured on a
    10,000-file catalog this halved the per-file cost. Reference counting still
    frees everything that is not in a cycle; cycles are collected on resume."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def default_jobs() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _check_slice(bounds: tuple[int, int]) -> _Batch:
    """Every `step`-th file from `start`: interleaving spreads the expensive kinds
    (services, changes, which sort together) evenly over the workers."""
    start, step = bounds
    with gc_paused():
        results = [check_file(path, raw, _SCHEMAS) for path, raw in _INPUT[start::step]]
    data = json.dumps([r.data for r in results], ensure_ascii=False, separators=(",", ":"))
    return data, [(r.diagnostics, r.suppressions) for r in results]


def check_all(
    files: Sequence[SourceFile],
    schemas: SchemaSet | None,
    jobs: int,
    progress: Progress | None = None,
) -> list[LoadedFile]:
    """check_file for every file, in `jobs` processes when it pays; in order."""
    global _INPUT, _SCHEMAS
    readable = [(f.path, f.raw) for f in files if f.raw is not None]
    results = {
        f.path: loader.refused(f.path, f"{f.path.rsplit('/', 1)[-1]} {f.refusal}", f.rule)
        for f in files
        if f.raw is None
    }
    parallel = jobs > 1 and len(readable) >= PARALLEL_THRESHOLD
    if parallel and "fork" in multiprocessing.get_all_start_methods():
        _INPUT, _SCHEMAS = readable, schemas
        step = jobs * 4
        slices = [(start, step) for start in range(min(step, len(readable)))]
        context = multiprocessing.get_context("fork")
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                for (start, _), (data, rest) in zip(
                    slices, pool.map(_check_slice, slices), strict=True
                ):
                    for offset, (doc, (diagnostics, sups)) in enumerate(
                        zip(json.loads(data), rest, strict=True)
                    ):
                        path = readable[start + offset * step][0]
                        results[path] = LoadedFile(path, doc, diagnostics, sups)
                    if progress:
                        progress(len(results), len(files))
        finally:
            _INPUT, _SCHEMAS = [], None
    else:
        results.update((path, check_file(path, raw, schemas)) for path, raw in readable)
    return [results[f.path] for f in files]
