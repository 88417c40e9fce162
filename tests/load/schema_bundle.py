"""Keeps schemas/ self-contained: every schema has an absolute `$id` under
NAMESPACE and carries a copy of defs.schema.json as an embedded resource.

Why: a `$ref` to `defs.schema.json` resolves against the schema's `$id`. With
relative `$id`s it resolved against the current folder, so other tools
(check-jsonschema, yaml-language-server) worked only from inside schemas/.
With an absolute `$id` the reference names a URL; the embedded copy, which
declares that same URL as its own `$id`, answers it without a download.
catalogctl itself registers schemas/defs.schema.json under that URL first, so
an organisation's edited defs win over the stale embedded copy in lint.

`python tests/load/schema_bundle.py` rewrites schemas/ after an edit to
defs.schema.json or a new schema; tests/load/test_schema_ids.py fails until
that is done.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

NAMESPACE = "https://catalogctl.io/schemas/v1/"
DEFS = "defs.schema.json"
EMBEDDED = "catalogctl-defs"  # the key under $defs holding the copy
SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def bundle(texts: dict[str, str]) -> dict[str, str]:
    """Every schema file as it should be written: absolute ids, defs embedded."""
    defs = json.loads(texts[DEFS])
    defs["$id"] = NAMESPACE + DEFS
    out = {DEFS: dump(defs)}
    for name, text in sorted(texts.items()):
        if name == DEFS:
            continue
        document = json.loads(text)
        document["$id"] = NAMESPACE + name
        embedded = dict(document.get("$defs", {}))
        embedded[EMBEDDED] = {
            "$comment": f"A copy of {DEFS}, so that its $id answers this schema's "
            "$refs without a download. Regenerated, never edited here.",
            **{k: v for k, v in defs.items() if k != "$comment"},
        }
        document["$defs"] = embedded
        out[name] = dump(document)
    return out


def current() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SCHEMAS.glob("*.schema.json"))}


if __name__ == "__main__":
    for file_name, new_text in bundle(current()).items():
        (SCHEMAS / file_name).write_text(new_text, encoding="utf-8")
    sys.exit(0)
