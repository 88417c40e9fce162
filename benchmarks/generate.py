"""Seeded generator of synthetic catalogctl catalogs, for benchmarks and tests.

    python benchmarks/generate.py OUT_DIR --entities 10000 [--seed 1] [--incidents 0]

writes a complete catalog repository (``catalogctl.yaml``, ``catalog/``,
``changes/``, with --incidents also ``incidents/`` and ``problems/``) for the
fictional Fabrikam Freight into OUT_DIR. The same seed
always gives the same files, byte for byte. The result lints with zero errors
and zero warnings::

    cd OUT_DIR && catalogctl lint --today 2026-11-28

Import it to build catalogs in tests::

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate
    generate(tmp_path / "catalog", entities=200, seed=3)

How the catalog is made, kind by kind, is in the `synthetic` package next
to this script.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from synthetic import DEFAULT_SEED, TODAY, Counts, build_files, split_counts

__all__ = ["DEFAULT_SEED", "TODAY", "Counts", "generate", "split_counts"]


def generate(out_dir: Path, entities: int, seed: int = DEFAULT_SEED, incidents: int = 0) -> None:
    """Write a synthetic catalog of `entities` entities into `out_dir`, plus
    `incidents` incidents and their problems (which change no other file).

    Raises FileExistsError when `out_dir` exists and is not empty, ValueError
    when `entities` is below the minimum a consistent catalog needs."""
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise FileExistsError(f"{out_dir} exists and is not empty")
    files = build_files(split_counts(entities), seed, incidents)
    made: set[Path] = set()
    for rel, text in files.items():
        path = out_dir / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a synthetic, lint-clean catalogctl catalog into OUT_DIR."
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--entities", type=int, required=True, help="how many entities in all")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 1)")
    parser.add_argument(
        "--incidents", type=int, default=0, help="incidents on top of the entities (default 0)"
    )
    args = parser.parse_args(argv)
    try:
        counts = split_counts(args.entities)
        generate(args.out_dir, args.entities, args.seed, args.incidents)
    except (FileExistsError, ValueError) as error:
        print(f"generate.py: {error}", file=sys.stderr)
        return 2
    print(
        f"wrote {counts.total} entities to {args.out_dir}: {counts.teams} teams, "
        f"{counts.services} services, {counts.slas} SLAs, {counts.cis} CIs, "
        f"{counts.templates} templates, {counts.changes} change requests"
        + (f"; and {args.incidents} incidents" if args.incidents else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
