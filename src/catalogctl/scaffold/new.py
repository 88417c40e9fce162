"""`catalogctl new KIND [ID]`: write a schema-valid skeleton, never overwriting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from catalogctl.scaffold.skeleton import write_skeleton


def execute(
    *, start: Path, kind_name: str, entity_id: str | None, owner: str | None, today: dt.date
) -> int:
    return write_skeleton(
        start=start, kind_name=kind_name, entity_id=entity_id, owner=owner, today=today
    )
