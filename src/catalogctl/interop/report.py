"""The result of an import, as a value: what was created, updated, left, skipped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalogctl.interop.apply import Applied
from catalogctl.interop.backstage_read import Skipped
from catalogctl.load.errors import EXIT_FINDINGS, EXIT_OK


@dataclass(frozen=True)
class ImportReport:
    source: str  # backstage | csv
    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    notes: tuple[str, ...]

    @classmethod
    def of(
        cls, source: str, applied: Applied, skipped: list[Skipped], notes: list[str]
    ) -> ImportReport:
        return cls(
            source,
            applied.created,
            applied.updated,
            applied.unchanged,
            (*skipped, *applied.skipped),
            tuple(notes),
        )

    @property
    def exit_code(self) -> int:
        """0 when everything mapped, 1 when something was skipped."""
        return EXIT_FINDINGS if self.skipped else EXIT_OK

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "created": list(self.created),
            "updated": list(self.updated),
            "unchanged": list(self.unchanged),
            "skipped": [{"what": s.what, "reason": s.reason} for s in self.skipped],
            "notes": list(self.notes),
        }
