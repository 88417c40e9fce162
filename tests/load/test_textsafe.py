"""Control and bidi characters: refused in decoded YAML scalars, escaped in every report.

The raw bytes are refused before parsing (tests/cases/file-invalid-control-char,
file-invalid-bidi); these tests cover the same characters written as escapes
in double-quoted scalars, where the bytes on disk are plain ASCII, and the
escaping of whatever reaches an output anyway.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.load import loader
from catalogctl.load.output import write_output
from catalogctl.load.textsafe import visible
from catalogctl.load.yamlsafe import parse
from paths import CASES

BASE_DIR = CASES / "_base"

# --------------------------------------------------------------------------- the loader


def refused(text: str) -> list[tuple[int, int, str, str]]:
    data, problems, _ = parse(text)
    assert data is None
    return [(p.line, p.column, p.rule, p.message) for p in problems]


# (document, line, column, code point, "value" or "key")
ESCAPES = [
    ('name: "Wiki \\e[2J"\n', 1, 7, "U+001B", "value"),
    ('a:\n  b:\n    c: "x\\x1b[31m"\n', 3, 8, "U+001B", "value"),
    ('a: "\\0"\n', 1, 4, "U+0000", "value"),
    ('a: "\\a"\n', 1, 4, "U+0007", "value"),
    ('a: "over\\rwrite"\n', 1, 4, "U+000D", "value"),
    ('a: "\\x7f"\n', 1, 4, "U+007F", "value"),
    ('a: "\\x85"\n', 1, 4, "U+0085", "value"),
    ('a: "\\N"\n', 1, 4, "U+0085", "value"),
    ('a: "\\u009b2J"\n', 1, 4, "U+009B", "value"),
    ('a: "\\L"\n', 1, 4, "U+2028", "value"),
    ('a: "\\u202e"\n', 1, 4, "U+202E", "value"),
    ('a: "\\U00002066"\n', 1, 4, "U+2066", "value"),
    # flow collections
    ('a: [ok, "fine", "\\u202b"]\n', 1, 17, "U+202B", "value"),
    ('a: {b: 1, c: "\\e"}\n', 1, 14, "U+001B", "value"),
    ('a:\n  - x\n  - {k: "\\0"}\n', 3, 9, "U+0000", "value"),
    # the scalar's start, also when the escape is on a later line
    ('a: "first line\n  second \\e line"\n', 1, 4, "U+001B", "value"),
    # keys: block, flow, nested; a key may not hold a line break either
    ('"k\\e": v\n', 1, 1, "U+001B", "key"),
    ('a:\n  "\\u2069b": v\n', 2, 3, "U+2069", "key"),
    ('a: {"\\x85": v}\n', 1, 5, "U+0085", "key"),
    ('"two\\nlines": v\n', 1, 1, "U+000A", "key"),
]


@pytest.mark.parametrize(("text", "line", "column", "code", "where"), ESCAPES)
def test_an_escaped_control_or_bidi_character_is_refused_at_its_scalar(
    text: str, line: int, column: int, code: str, where: str
) -> None:
    [(got_line, got_column, rule, message)] = refused(text)
    assert (got_line, got_column, rule) == (line, column, "file-invalid")
    assert f" {code} in a quoted {where} (written as an escape) is not allowed" in message


def test_only_the_forbidden_escape_is_reported() -> None:
    """Tab and line breaks stay allowed in values (multi-line text), and so does
    everything that is not an escape: a backslash in a plain, single-quoted or
    block scalar is text, and so is an escaped backslash."""
    text = (
        "plain: C:\\e\\x1b\n"
        "single: 'x\\e\\0'\n"
        'escaped-backslash: "\\\\e[2J"\n'
        'tab-and-newline: "col1\\tcol2\\nrow2"\n'
        '"key\\twith tab": v\n'
        "block: |\n"
        "  first\tline \\e\n"
        "  second line\n"
        "folded: >\n"
        "  a \\u202e b\n"
        'marks: "\\u200f \\u200e \\u061c \\u200b"\n'
        'bad: ["ok", "\\e[2J"]\n'
    )
    assert refused(text) == [
        (
            12,
            13,
            "file-invalid",
            "control character U+001B in a quoted value (written as an escape) "
            "is not allowed; remove it",
        )
    ]
    data, problems, _ = parse(text.rsplit("bad:", 1)[0])
    assert problems == []
    assert data["tab-and-newline"] == "col1\tcol2\nrow2"
    assert data["block"] == "first\tline \\e\nsecond line\n"
    assert data["escaped-backslash"] == "\\e[2J"
    assert data["marks"] == "\u200f \u200e \u061c \u200b"  # marks, not overrides: allowed


def test_the_loader_reports_the_decoded_character_like_a_raw_one() -> None:
    text = b'apiVersion: catalogctl/v1\nkind: Team\nmetadata:\n  id: ops\n  name: "Ops \\e[2J"\n'
    loaded, _ = loader.load("catalog/teams/ops.yaml", text)
    assert loaded.data is None
    [diagnostic] = loaded.diagnostics
    assert (diagnostic.rule, diagnostic.line, diagnostic.column) == ("file-invalid", 5, 9)
    assert diagnostic.path == "metadata.name"


# --------------------------------------------------------------------------- visible


def test_visible_escapes_what_is_not_printable_and_keeps_the_rest() -> None:
    assert visible("a\x1b[2Jb\x07") == "a\\u001b[2Jb\\u0007"
    assert visible("x\x7f\x85\x9by\r") == "x\\u007f\\u0085\\u009by\\u000d"
    assert visible("\u202eevil\u2066\u200f\u200b\ufeff") == (
        "\\u202eevil\\u2066\\u200f\\u200b\\ufeff"
    )
    assert visible("flag\U000e0067") == "flag\\udb40\\udc67"  # a tag character
    kept = "Müller, 日本語, emoji 🙂, a\u00a0non-breaking space,\ttab\nnext line\n"
    assert visible(kept) == kept
    tricky = "x\x1b\u202e\U000e0001"
    assert visible(visible(tricky)) == visible(tricky)


def test_visible_keeps_json_valid_and_its_data_unchanged() -> None:
    data = {"name": "a\x1b[2J\x85\x9b\u202e\u2028\U000e0001\u200f z"}
    document = json.dumps(data, ensure_ascii=False)
    shown = visible(document)
    assert shown.isascii() or all(c.isprintable() for c in shown)
    assert json.loads(shown) == data


def test_write_output_escapes_unless_told_the_text_is_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write_output("name: Wiki \x1b[2J\u202e\n", None)
    assert capsys.readouterr().out == "name: Wiki \\u001b[2J\\u202e\n"
    write_output("\x1b[31merror\x1b[0m\n", None, escaped=True)
    assert capsys.readouterr().out == "\x1b[31merror\x1b[0m\n"
    target = tmp_path / "report.txt"
    write_output("x\x9by\n", target)
    assert target.read_text(encoding="utf-8") == "x\\u009by\n"


# --------------------------------------------------------------------------- commands

# Allowed in data (marks and zero-width characters are not overrides), but
# invisible: every command shows them escaped.
HIDDEN_MARKS = "\u200f\u200b"


def run(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["-C", str(root), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(name="root")
def root_fixture(tmp_path: Path) -> Path:
    root = shutil.copytree(BASE_DIR, tmp_path / "catalog")
    for rel, old in (
        ("catalog/services/identity.yaml", "  name: Identity\n"),
        ("changes/2026/chg-2026-0001.yaml", "  name: Patch the payroll VM\n"),
    ):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1
        path.write_text(text.replace(old, old[:-1] + f" {HIDDEN_MARKS}x\n"), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "args",
    [
        ("show", "service/identity"),
        ("show", "service/payroll"),  # names its dependency, identity
        ("change", "list"),
        ("change", "show", "chg-2026-0001"),
        ("impact", "service/identity"),
        ("graph", "service/identity"),
    ],
)
def test_commands_show_invisible_characters_escaped(root: Path, args: tuple[str, ...]) -> None:
    result = run(root, *args)
    assert result.exit_code == 0, result.output
    assert "\u200f" not in result.stdout and "\u200b" not in result.stdout
    assert "\\u200f\\u200bx" in result.stdout


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("show", "service/identity", "--format", "json"), "name"),
        (("change", "show", "chg-2026-0001", "--format", "json"), "title"),
    ],
)
def test_json_output_escapes_them_and_keeps_the_data(
    root: Path, args: tuple[str, ...], key: str
) -> None:
    result = run(root, *args)
    assert result.exit_code == 0, result.output
    assert "\u200f" not in result.stdout
    assert json.loads(result.stdout)[key].endswith(f" {HIDDEN_MARKS}x")


def test_the_site_is_not_built_from_an_escaped_control_character(tmp_path: Path) -> None:
    """Page titles and the search index come from lint-clean catalogs only."""
    root = shutil.copytree(BASE_DIR, tmp_path / "catalog")
    service = root / "catalog/services/identity.yaml"
    service.write_text(
        service.read_text(encoding="utf-8").replace(
            "  name: Identity\n", '  name: "Identity \\e]0;owned\\a \\u202e"\n'
        ),
        encoding="utf-8",
    )
    out = tmp_path / "site-out"
    result = run(root, "site", "build", "--out", str(out), "--now", "2027-01-01T00:00:00Z")
    assert result.exit_code == 1, result.output
    assert "site not built" in result.output
    assert "catalog/services/identity.yaml:5:9: control character U+001B" in result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert not out.exists()
