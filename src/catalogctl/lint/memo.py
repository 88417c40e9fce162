"""The findings of a whole `lint` run, kept for the next run over the same inputs.

A run's findings are a function of every file's path and bytes (and why a
file was refused unread), the policy's bytes, the schemas, the date rules'
`today` and the tool's code (the cache folder). When none of them changed
since a run, its findings are the answer, and the model, the graph and the
cross-file rules need not run again: that is the common case of a second
`catalogctl lint` or a pre-commit hook on an unchanged catalog. The key holds
all of them; anything else is a new key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from catalogctl.load import cached
from catalogctl.load.diagnostics import Diagnostic


@dataclass(frozen=True)
class LintSummary:
    """What `catalogctl lint` reports from a run."""

    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]
    entities: int
    suppressed: tuple[Diagnostic, ...]


def run_key(
    identified: cached.Identified, policy: bytes | None, schemas: str, today: dt.date
) -> str:
    digest = hashlib.sha256()
    head = {"today": today.isoformat(), "schemas": schemas, "policy": policy is not None}
    digest.update(json.dumps(head, sort_keys=True).encode())
    digest.update(hashlib.sha256(policy or b"").digest())
    # One JSON text of every file: a dumps() call per file cost more than the hash.
    files = [[f.path, oid or "", f.refusal or "", f.rule] for f, oid in identified]
    digest.update(json.dumps(files, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def encode(summary: LintSummary) -> str:
    document = {
        "diagnostics": [cached.encode_diag(d) for d in summary.diagnostics],
        "files": list(summary.files),
        "entities": summary.entities,
        "suppressed": [cached.encode_diag(d) for d in summary.suppressed],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> LintSummary | None:
    """The summary, or None for anything this module did not write."""
    try:
        document: Any = json.loads(text)
        files = document["files"]
        entities = document["entities"]
        if not (isinstance(files, list) and all(isinstance(f, str) for f in files)):
            return None
        if type(entities) is not int:
            return None
        return LintSummary(
            tuple(cached.decode_diag(d) for d in document["diagnostics"]),
            tuple(files),
            entities,
            tuple(cached.decode_diag(d) for d in document["suppressed"]),
        )
    except (ValueError, TypeError, KeyError):
        return None
