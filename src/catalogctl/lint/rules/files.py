"""Rules reported while reading files: they run before any entity exists."""

from catalogctl.lint.rules.registry import declare
from catalogctl.load.diagnostics import Severity

declare(
    "yaml-syntax",
    Severity.ERROR,
    """The file is not well-formed YAML.

    The message gives libyaml's reason and the line and column where parsing
    stopped. Nothing else is checked in the file until it parses.""",
    fatal=True,
)
declare(
    "yaml-duplicate-key",
    Severity.ERROR,
    """A mapping has the same key twice.

    Most YAML readers silently keep the last value, so two people reading the
    file see different things. Remove one of the keys.""",
    fatal=True,
)
declare(
    "yaml-unsafe",
    Severity.ERROR,
    """The file uses a YAML feature that catalog files may not use.

    Anchors and aliases (`&a`, `*a`), merge keys (`<<`), explicit tags
    (`!!python/object`, `!!binary`, `!!set`, `!Ref`), keys that are not strings,
    and NaN or infinity. They make a file mean different things to different
    readers or can be abused (alias bombs, object construction).""",
    fatal=True,
)
declare(
    "file-invalid",
    Severity.ERROR,
    """The file cannot be read as one catalog document.

    Over 1 MiB, not UTF-8, control or bidirectional-override characters, a
    symbolic link or submodule (never followed), nesting deeper than 64 levels,
    more than one YAML document, an empty file, a document that is not a
    mapping, or a `.yml` extension (use `.yaml`).

    Control and bidirectional-override characters are refused as raw bytes and
    also when a double-quoted string spells them as escapes (`"\\e[2J"`,
    `"\\0"`, `"\\x85"`, `"\\u202e"`), at the line and column of the string:
    printed in a terminal they would clear or rewrite what the reviewer sees.
    Tab and line breaks (`"\\t"`, `"\\n"`) stay allowed in values.""",
    fatal=True,
)
declare(
    "schema",
    Severity.ERROR,
    """The document does not match the JSON Schema of its kind.

    The message names the field path and what was expected; unknown fields are
    errors, with a suggestion when the name is close to a known one.""",
)
declare(
    "invalid-suppression",
    Severity.ERROR,
    """A `# catalogctl: disable=...` comment is malformed.

    Suppressions must name known rule ids and give a reason after `--`:
    `# catalogctl: disable=sla-review-overdue -- review moved to Q3 by the SLM`.""",
    fatal=True,
)
declare(
    "hidden-file",
    Severity.WARNING,
    """A hidden file or folder under `catalog/` or `changes/` is not read.

    Names starting with a dot (`.draft.yaml`, `.drafts/svc.yaml`) are never
    read as catalog data, and file browsers and editors easily hide them from
    the reviewers of a pull request: each such file is listed, at line 1, so
    that nothing arrives unseen. Rename it without the dot, move it out of the
    hidden folder, or delete it. An empty `.gitkeep` (the placeholder that keeps
    an empty folder in git) is not reported; one with content is. Hidden files
    cannot carry a suppression comment: set the rule's severity in
    `catalogctl.yaml` instead (`rules: {hidden-file: error}` makes them fail).""",
)
