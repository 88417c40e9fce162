"""Seeded synthetic catalogs for the fictional Fabrikam Freight (see ../generate.py).

Entities are split like a real catalog: about 2% teams, 20% services, 5% SLAs,
55% configuration items, 1% change templates and the rest change requests.
References only point "down" (a service depends on services generated before
it, a CI relates to CIs generated before it), so the graph has no cycles, and
nothing in use depends on anything retired. Every live tier-1/2 service is in
an SLA; change windows never overlap and avoid the policy's freezes; dates
that lint checks against today (``expires``, ``review``) lie years ahead.

One module per kind (`teams`, `cis`, `infrastructure`, `services`, `slas`,
`templates`, `changes`), each writing into a shared `draft.CatalogDraft`;
`build.build_files` runs them in order. The words come from `vocabulary`, the
policy from `policy`, and YAML is written by `yaml_writer`. Only the standard
library is used.
"""

from __future__ import annotations

from .build import DEFAULT_SEED, build_files
from .model import Counts, split_counts
from .policy import TODAY

__all__ = ["DEFAULT_SEED", "TODAY", "Counts", "build_files", "split_counts"]
