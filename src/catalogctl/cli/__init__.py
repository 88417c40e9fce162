"""The command line: click collects options, then calls a command's function.

`main` is the `catalogctl` group (cli.base); importing the modules below
registers their commands on it. Command modules of the `commands` package are
imported inside each command: `diff` must not pay for jsonschema, and
`--help` should not pay for anything.
"""

from catalogctl.cli import catalog, change, review, site  # noqa: F401  # register commands
from catalogctl.cli.base import main

__all__ = ["main"]
