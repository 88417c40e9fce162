"""The command line: click collects options, then calls a command's function.

Owns: the `catalogctl` group (`base`) and one module per audience
(`catalog`, `review`, `change`, `operation`, `interop`, `site`) whose commands parse options into
plain values, pick a reporter by name, and call one function of the domain
package that returns the exit code. No logic lives here. Domain modules are
imported inside each command: `diff` must not pay for jsonschema, and
`--help` should not pay for anything.

Imports: any package.
"""

from catalogctl.cli import (  # noqa: F401  # register commands
    catalog,
    change,
    interop,
    operation,
    review,
    site,
)
from catalogctl.cli.base import main

__all__ = ["main"]
