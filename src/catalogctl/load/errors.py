"""One module per command: each `execute()` takes plain values and returns an exit code."""

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """The command cannot run; the message says what to do. Exit code 2."""
