"""What `catalogctl diff` found: the value every diff renderer receives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from catalogctl.load.gitsides import Problem
from catalogctl.model.impact import Impact
from catalogctl.review.diff import EntityChange
from catalogctl.review.signals import Signal


@dataclass(frozen=True)
class DiffReport:
    base: str  # commit SHA
    head: str | None  # commit SHA, None for the working tree
    changes: tuple[EntityChange, ...]
    signals: tuple[Signal, ...]
    problems: tuple[Problem, ...]
    other_files: tuple[str, ...]  # changed files that are not catalog data
    impact: Impact | None  # None with --no-impact
    impacts: Mapping[str, Impact] | None  # per change, keyed by "Kind/id"
