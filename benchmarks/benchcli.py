"""The command line every benchmark shares: options, errors, output, exit code.

Each bench_*.py adds its own options, then hands `run()` a function that
measures and returns (result, missed). Exit codes: 0 measured (targets missed
are reported, not fatal), 1 a target missed under --check or the benchmark
itself failed (BenchError), 2 bad arguments or an existing --keep folder.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any


class BenchError(Exception):
    """The benchmark cannot produce a valid measurement."""


def parser(description: str, repeat: int) -> argparse.ArgumentParser:
    """An ArgumentParser with --repeat, --json, --catalogctl and --check."""
    out = argparse.ArgumentParser(description=description)
    out.add_argument(
        "--repeat", type=int, default=repeat, help=f"runs of each; best counts ({repeat})"
    )
    out.add_argument("--json", action="store_true", help="print JSON instead of the table")
    out.add_argument("--catalogctl", help="the catalogctl executable (default: the venv's)")
    out.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    return out


def add_bytecode_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="run the tools with the inherited environment (PYTHONDONTWRITEBYTECODE "
        "makes them compile uncached modules on every start)",
    )


def sizes(minimum: int, unit: str) -> Callable[[str], list[int]]:
    """An argparse type: a comma-separated list of sizes, each at least `minimum`."""

    def parse(text: str) -> list[int]:
        try:
            found = sorted({int(part) for part in text.split(",") if part.strip()})
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"not a comma-separated list of sizes: {text}"
            ) from None
        if not found or found[0] < minimum:
            raise argparse.ArgumentTypeError(f"sizes must be at least {minimum} {unit}")
        return found

    return parse


def run(
    name: str,
    parser: argparse.ArgumentParser,
    argv: Sequence[str] | None,
    measure: Callable[[argparse.Namespace], tuple[dict[str, Any], bool]],
    render: Callable[[dict[str, Any]], str],
) -> int:
    """Parse, measure, print the table (or JSON); the exit code as above."""
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    try:
        result, missed = measure(args)
    except (BenchError, FileExistsError, ValueError) as error:
        print(f"{name}: {error}", file=sys.stderr)
        return 1 if isinstance(error, BenchError) else 2
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 1 if args.check and missed else 0
