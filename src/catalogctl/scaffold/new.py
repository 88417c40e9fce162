"""`catalogctl new KIND [ID]`: write a schema-valid skeleton, never overwriting.

`new change` is not a second way to create a change: it runs `change new`
(scaffold/change.py) with that command's defaults, a normal change.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from catalogctl.load import kinds
from catalogctl.scaffold.change import new_change
from catalogctl.scaffold.skeleton import write_skeleton


def execute(
    *, start: Path, kind_name: str, entity_id: str | None, owner: str | None, today: dt.date
) -> int:
    if kinds.kind_from_user(kind_name) is kinds.CHANGE:
        return new_change(
            start=start,
            entity_id=entity_id,
            change_type=None,
            template=None,
            owner=owner,
            today=today,
        )
    return write_skeleton(
        start=start, kind_name=kind_name, entity_id=entity_id, owner=owner, today=today
    )
