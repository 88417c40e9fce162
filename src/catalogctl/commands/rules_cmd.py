"""`catalogctl rules`: every rule with its severity and summary."""

from __future__ import annotations

import json
from pathlib import Path

from catalogctl import kinds
from catalogctl.commands import EXIT_OK
from catalogctl.commands.workspace import UsageError, find_root
from catalogctl.loader import load
from catalogctl.policy import read_policy
from catalogctl.rules import REGISTRY


def execute(*, start: Path, fmt: str) -> int:
    """List rules; inside a catalog, show the severity its policy configures."""
    configured: dict[str, str] = {}
    try:
        root = find_root(start)
    except UsageError:
        root = None
    if root is not None:
        loaded, _ = load(kinds.POLICY_FILE, (root / kinds.POLICY_FILE).read_bytes())
        configured = {k: v.value for k, v in read_policy(loaded.data).rules.items()}
    rows: list[dict[str, str]] = [
        {
            "id": rule.id,
            "default": rule.severity.value,
            "severity": configured.get(rule.id, rule.severity.value),
            "fatal": "yes" if rule.fatal else "no",
            "summary": rule.summary,
            "doc": rule.doc,
        }
        for rule in sorted(REGISTRY.values(), key=lambda r: r.id)
    ]
    if fmt == "json":
        print(json.dumps({"version": 1, "rules": rows}, indent=2))
        return EXIT_OK
    width = max(len(r["id"]) for r in rows)
    for row in rows:
        severity = row["severity"] + ("" if row["severity"] == row["default"] else "*")
        print(f"{row['id']:<{width}}  {severity:<8}  {row['summary']}")
    if any(r["severity"] != r["default"] for r in rows):
        print("\n* set in catalogctl.yaml")
    return EXIT_OK
