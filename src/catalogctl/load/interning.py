"""One copy of each repeated string value among the loaded documents.

A decoded document holds a new string object for every value, and a
catalog repeats most of its values thousands of times: kinds, states,
types, environments, owners, tags, the ids every reference names. At 50,000
entities the duplicates are about 45 of the 160 MB the documents take
(docs/benchmarks.md, "Memory at 50,000"), held for the whole run because the
entities keep their `spec` as parsed. Interning them in place, as each batch
of documents arrives, drops the copies before the next batch is decoded.

Dictionary keys need nothing: the JSON decoder already shares them within
one call. Values are interned with `sys.intern`, whose strings are freed
with their last user, so nothing outlives the run that read it.
"""

from __future__ import annotations

import sys
from typing import Any

_intern = sys.intern


def intern_strings(value: Any) -> Any:
    """`value` (a document as the loader or JSON produced it: dicts, lists,
    strings, numbers) with every string value interned, changed in place;
    equal in every other way. Returned for convenience."""
    if type(value) is dict:
        for key, item in value.items():
            kind = type(item)
            if kind is str:
                value[key] = _intern(item)  # the same key: no resize while iterating
            elif kind is dict or kind is list:
                intern_strings(item)
    elif type(value) is list:
        for index, item in enumerate(value):
            kind = type(item)
            if kind is str:
                value[index] = _intern(item)
            elif kind is dict or kind is list:
                intern_strings(item)
    return value


# Below this many parsed files the heap a run frees is too small to matter,
# and importing ctypes (a few milliseconds) would be most of a small run.
TRIM_AFTER = 5000


def release_freed_heap() -> None:
    """Hand the C heap's free pages back to the system (glibc's malloc_trim;
    nothing elsewhere). Files' bytes and JSON texts are larger than Python's
    small-object allocator takes, so they live on the C heap; once the
    per-file stage lets go of them the pages stay with the process, and the
    documents and model that follow live elsewhere (Python's arenas) and
    cannot reuse them: about 20 MB of a 50,000-file run's peak."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim  # absent from other C libraries (musl)
    except (OSError, AttributeError):
        return
    trim(0)
