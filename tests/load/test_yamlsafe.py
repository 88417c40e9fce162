"""Unit tests for catalogctl.yamlsafe: the strict YAML dialect, its problems and `locate`."""

from __future__ import annotations

import math
import time
from typing import Any

import pytest

from catalogctl.load import yamlsafe
from catalogctl.load.yamlsafe import MAX_DEPTH, Problem, locate, parse, resolve_plain

# --------------------------------------------------------------------------- resolve_plain

PLAIN: list[tuple[str, Any]] = [
    # null: YAML 1.2 core spellings, and the empty plain scalar (`key:`)
    ("", None),
    ("~", None),
    ("null", None),
    ("Null", None),
    ("NULL", None),
    ("nULL", "nULL"),
    ("none", "none"),
    # booleans: only true/false in three casings
    ("true", True),
    ("True", True),
    ("TRUE", True),
    ("false", False),
    ("False", False),
    ("FALSE", False),
    ("tRUE", "tRUE"),
    # YAML 1.1 booleans stay text
    ("yes", "yes"),
    ("Yes", "Yes"),
    ("YES", "YES"),
    ("no", "no"),
    ("No", "No"),
    ("NO", "NO"),
    ("on", "on"),
    ("On", "On"),
    ("ON", "ON"),
    ("off", "off"),
    ("Off", "Off"),
    ("OFF", "OFF"),
    ("y", "y"),
    ("n", "n"),
    ("Y", "Y"),
    ("N", "N"),
    # integers: canonical decimal only
    ("0", 0),
    ("-0", 0),
    ("+0", 0),
    ("7", 7),
    ("42", 42),
    ("-17", -17),
    ("+3", 3),
    ("123456789012345678901234567890", 123456789012345678901234567890),
    # YAML 1.1 integers stay text: octal, leading zeros, hex, binary, underscores, base 60
    ("0755", "0755"),
    ("00", "00"),
    ("007", "007"),
    ("-012", "-012"),
    ("0o17", "0o17"),
    ("0x1F", "0x1F"),
    ("0b101", "0b101"),
    ("1_000", "1_000"),
    ("12:30", "12:30"),
    ("08:00", "08:00"),
    ("190:20:30", "190:20:30"),
    # floats: YAML 1.2 core forms
    ("1.5", 1.5),
    ("-2.25", -2.25),
    ("+0.5", 0.5),
    (".5", 0.5),
    ("-.5", -0.5),
    ("1.", 1.0),
    ("0.0", 0.0),
    ("99.95", 99.95),
    ("1e3", 1000.0),
    ("1E3", 1000.0),
    ("2.5e-3", 0.0025),
    ("-1.0E+2", -100.0),
    # not numbers
    ("01.5", "01.5"),
    ("1.2.3", "1.2.3"),
    ("1_000.5", "1_000.5"),
    ("1e", "1e"),
    ("e3", "e3"),
    (".", "."),
    ("-", "-"),
    ("+", "+"),
    ("-a", "-a"),
    ("1h", "1h"),
    ("15m", "15m"),
    ("24x7", "24x7"),
    ("4.2.0-rc1", "4.2.0-rc1"),
    ("+49 40 1234567", "+49 40 1234567"),
    # dates and times are text (the schema's formats check them)
    ("2026-01-01", "2026-01-01"),
    ("2026-03-01T22:00:00+01:00", "2026-03-01T22:00:00+01:00"),
    ("2026-03-01 22:00:00", "2026-03-01 22:00:00"),
    # NaN and infinity spellings that are not YAML 1.2 core ones are text
    ("+.nan", "+.nan"),
    ("-.nan", "-.nan"),
    (".NAn", ".NAn"),
    ("nan", "nan"),
    ("NaN", "NaN"),
    ("inf", "inf"),
    ("-inf", "-inf"),
    ("Infinity", "Infinity"),
    (".infinity", ".infinity"),
    # ordinary words, including ones starting with a "special" letter
    ("payroll", "payroll"),
    ("team", "team"),
    ("fri", "fri"),
    ("notes", "notes"),
    ("~user", "~user"),
    ("tilde~", "tilde~"),
]


@pytest.mark.parametrize(("text", "expected"), PLAIN, ids=[repr(t) for t, _ in PLAIN])
def test_resolve_plain(text: str, expected: Any) -> None:
    value = resolve_plain(text)
    assert value == expected
    assert type(value) is type(expected)


NON_FINITE = [".inf", ".Inf", ".INF", "+.inf", "-.inf", "-.Inf", "+.INF", ".nan", ".NaN", ".NAN"]


@pytest.mark.parametrize("text", [*NON_FINITE, "1e400", "-1e400", "1.0e999"])
def test_resolve_plain_refuses_nan_and_infinity(text: str) -> None:
    with pytest.raises(ValueError):
        resolve_plain(text)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("a: true\nb: 'true'\nc: \"true\"\n", {"a": True, "b": "true", "c": "true"}),
        ("a: 0755\nb: '0755'\nc: 755\n", {"a": "0755", "b": "0755", "c": 755}),
        ("a: NO\nb: no\nc: false\n", {"a": "NO", "b": "no", "c": False}),
        ("a: 12:30\nb: 1.5\n", {"a": "12:30", "b": 1.5}),
        ("a: 2026-02-30\n", {"a": "2026-02-30"}),
        ("a: |\n  one\n  two\nb: >\n  x\n  y\n", {"a": "one\ntwo\n", "b": "x y\n"}),
        ("a: |\n  123\n", {"a": "123\n"}),
        ("a: [1, '1', yes, ~, '']\n", {"a": [1, "1", "yes", None, ""]}),
        ("a: {b: {c: [d]}}\n", {"a": {"b": {"c": ["d"]}}}),
        ("'1': quoted key\n\"true\": other\n", {"1": "quoted key", "true": "other"}),
        ("a: ~\nb: null\n", {"a": None, "b": None}),
        ("a:\nb: x\n", {"a": None, "b": "x"}),
        ("a:\n  b:\n", {"a": {"b": None}}),
        ("- x\n-\n", None),  # a list is refused as a document, see test_not_a_mapping
        ("name: A & B\nnote: 2 * 3\n", {"name": "A & B", "note": "2 * 3"}),
        ("name: 'R&D *team*'\n", {"name": "R&D *team*"}),
        ("a: b # a comment\n# another\n", {"a": "b"}),
        ("a: 'it''s'\n", {"a": "it's"}),
        ('a: "\\u00e9\\t"\n', {"a": "\u00e9\t"}),
    ],
)
def test_parse_values(document: str, expected: Any) -> None:
    data, problems, _ = parse(document)
    if expected is None:
        assert data is None
        return
    assert problems == []
    assert data == expected


def test_parse_keeps_key_order() -> None:
    data, _, _ = parse("z: 1\na: 2\nm: 3\n")
    assert list(data) == ["z", "a", "m"]


def test_parse_returns_the_root_node_for_locating() -> None:
    data, problems, root = parse("a: 1\n")
    assert problems == [] and data == {"a": 1}
    assert root is not None
    assert locate(root, ("a",)) == (1, 4)


# --------------------------------------------------------------------------- problems


def problems_of(document: str) -> list[tuple[str, int, int, str]]:
    data, problems, _ = parse(document)
    if problems:
        assert data is None
    return [(p.rule, p.line, p.column, p.message) for p in problems]


def test_duplicate_key_top_level() -> None:
    assert problems_of("kind: Service\nkind: Team\n") == [
        (
            "yaml-duplicate-key",
            2,
            1,
            "duplicate key 'kind' (first defined on line 1); remove one of them",
        )
    ]


def test_duplicate_key_nested_has_line_column_and_path() -> None:
    document = "spec:\n  support:\n    hours: 24x7\n    email: a@b.c\n    hours: x\n"
    _, problems, _ = parse(document)
    assert problems == [
        Problem(
            "yaml-duplicate-key",
            "duplicate key 'hours' (first defined on line 3); remove one of them",
            5,
            5,
            ("spec", "support", "hours"),
        )
    ]


def test_duplicate_key_in_flow_mapping_and_in_list_item() -> None:
    assert problems_of("a: {x: 1, y: 2, x: 3}\nb:\n  - {k: 1}\n  - k: 1\n    k: 2\n") == [
        (
            "yaml-duplicate-key",
            1,
            17,
            "duplicate key 'x' (first defined on line 1); remove one of them",
        ),
        (
            "yaml-duplicate-key",
            5,
            5,
            "duplicate key 'k' (first defined on line 4); remove one of them",
        ),
    ]


def test_duplicate_key_quoted_and_plain_are_the_same_key() -> None:
    assert problems_of("name: a\n'name': b\n") == [
        (
            "yaml-duplicate-key",
            2,
            1,
            "duplicate key 'name' (first defined on line 1); remove one of them",
        )
    ]


def test_same_key_in_different_mappings_is_fine() -> None:
    assert problems_of("a: {x: 1}\nb: {x: 1}\n") == []


def test_anchor_and_alias() -> None:
    assert problems_of("a: &x 1\nb: *x\n") == [
        ("yaml-unsafe", 1, 4, "anchor &x is not allowed; remove it"),
        ("yaml-unsafe", 2, 4, "alias *x is not allowed; write the value out in full"),
    ]


def test_anchor_on_a_collection() -> None:
    assert problems_of("base: &base\n  a: 1\n") == [
        ("yaml-unsafe", 1, 7, "anchor &base is not allowed; remove it"),
    ]


def test_merge_key() -> None:
    assert problems_of("a:\n  <<: {b: 1}\n  c: 2\n") == [
        ("yaml-unsafe", 2, 3, "merge keys (<<) are not allowed; write the fields out"),
    ]


def test_merge_key_with_alias_is_refused_before_composing() -> None:
    assert problems_of("base: &b {x: 1}\nother:\n  <<: *b\n") == [
        ("yaml-unsafe", 1, 7, "anchor &b is not allowed; remove it"),
        ("yaml-unsafe", 3, 7, "alias *b is not allowed; write the value out in full"),
    ]


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    data, problems, _ = parse("'<<': x\n")
    assert problems == [] and data == {"<<": "x"}


@pytest.mark.parametrize(
    ("document", "line", "column", "tag"),
    [
        ("a: !!python/object:os.system {}\n", 1, 4, "!!python/object:os.system"),
        ("a: !!python/object/apply:os.system [ls]\n", 1, 4, "!!python/object/apply:os.system"),
        ("a: !!python/name:os.system ''\n", 1, 4, "!!python/name:os.system"),
        ("a: !!binary aGVsbG8=\n", 1, 4, "!!binary"),
        ("a: !!set {x, y}\n", 1, 4, "!!set"),
        ("a: !!omap [{x: 1}]\n", 1, 4, "!!omap"),
        ("a: !!timestamp 2026-01-01\n", 1, 4, "!!timestamp"),
        ("a: !!str 12\n", 1, 4, "!!str"),
        ("a: !!int '3'\n", 1, 4, "!!int"),
        ("a: !!float 1\n", 1, 4, "!!float"),
        ("a: !Ref Bucket\n", 1, 4, "!Ref"),
        ("a: !GetAtt [x, y]\n", 1, 4, "!GetAtt"),
        ("a:\n  - !Sub 'x'\n", 2, 5, "!Sub"),
        ("a: !<tag:example.com,2026:thing> x\n", 1, 4, "tag:example.com,2026:thing"),
        ("!!map {a: 1}\n", 1, 1, "!!map"),
        ("a: ! x\n", 1, 4, "!"),
    ],
)
def test_tags(document: str, line: int, column: int, tag: str) -> None:
    assert problems_of(document) == [
        (
            "yaml-unsafe",
            line,
            column,
            f"tag {tag} is not allowed; remove it (quote the value if it must be a string)",
        )
    ]


def test_tagged_key() -> None:
    assert problems_of("!!str 1: x\n") == [
        (
            "yaml-unsafe",
            1,
            1,
            "tag !!str is not allowed; remove it (quote the value if it must be a string)",
        )
    ]


@pytest.mark.parametrize(
    ("key", "type_name"),
    [
        ("1", "a number"),
        ("-3", "a number"),
        ("1.5", "a number"),
        ("true", "a boolean"),
        ("False", "a boolean"),
        ("~", "null"),
        ("null", "null"),
        (".nan", "a number"),
        (".inf", "a number"),
    ],
)
def test_non_string_keys(key: str, type_name: str) -> None:
    assert problems_of(f"a:\n  {key}: x\n") == [
        (
            "yaml-unsafe",
            2,
            3,
            f"key {key!r} is read as {type_name}, not text; keys must be strings (quote it)",
        )
    ]


@pytest.mark.parametrize("key", ["yes", "no", "on", "0755", "12:30", "2026-01-01", "'1'"])
def test_keys_that_stay_text(key: str) -> None:
    data, problems, _ = parse(f"{key}: x\n")
    assert problems == []
    assert data == {key.strip("'"): "x"}


def test_empty_key_is_null_and_refused() -> None:
    """`? ` with nothing after it is a null key, like `~:`."""
    assert [(rule, message) for rule, _, _, message in problems_of("? \n: x\n")] == [
        ("yaml-unsafe", "key '' is read as null, not text; keys must be strings (quote it)")
    ]


def test_quoted_empty_key_is_text() -> None:
    data, problems, _ = parse("'': x\n")
    assert problems == [] and data == {"": "x"}


def test_collection_keys() -> None:
    message = "a mapping or list used as a key is not allowed; keys must be plain strings"
    assert problems_of("[a, b]: x\n{c: d}: y\n? - e\n: z\n") == [
        ("yaml-unsafe", 1, 1, message),
        ("yaml-unsafe", 2, 1, message),
        ("yaml-unsafe", 3, 3, message),
    ]


@pytest.mark.parametrize(
    ("value", "column"),
    [(".nan", 4), (".NaN", 4), (".inf", 4), ("-.inf", 4), ("+.INF", 4), ("1e999", 4)],
)
def test_nan_and_infinity_values(value: str, column: int) -> None:
    assert problems_of(f"a: {value}\n") == [
        (
            "yaml-unsafe",
            1,
            column,
            f"{value} (NaN or infinity) is not allowed; use a finite number",
        )
    ]


def test_quoted_nan_is_text() -> None:
    data, problems, _ = parse("a: '.nan'\nb: \".inf\"\n")
    assert problems == [] and data == {"a": ".nan", "b": ".inf"}


def test_all_problems_of_a_document_are_reported_together() -> None:
    document = "a: !Ref x\nb: .nan\nc: 1\nc: 2\n1: d\n"
    assert [(rule, line) for rule, line, _, _ in problems_of(document)] == [
        ("yaml-unsafe", 1),
        ("yaml-unsafe", 2),
        ("yaml-duplicate-key", 4),
        ("yaml-unsafe", 5),
    ]


@pytest.mark.parametrize(
    ("document", "line", "column", "message"),
    [
        (
            "a: [b, c\nd: e\n",
            2,
            2,
            "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)",
        ),
        (
            "a: b\n c: d\n",
            2,
            3,
            "YAML syntax error: mapping values are not allowed in this context",
        ),
        (
            "a: 'open\n",
            2,
            1,
            "YAML syntax error: found unexpected end of stream (while scanning a quoted scalar)",
        ),
        (
            "a:\n\tb: c\n",
            2,
            1,
            "YAML syntax error: found character that cannot start any token "
            "(while scanning for the next token)",
        ),
        (
            "a: @b\n",
            1,
            4,
            "YAML syntax error: found character that cannot start any token "
            "(while scanning for the next token)",
        ),
        (
            "- a\nb: c\n",
            2,
            1,
            "YAML syntax error: did not find expected '-' indicator "
            "(while parsing a block collection)",
        ),
    ],
)
def test_syntax_errors(document: str, line: int, column: int, message: str) -> None:
    assert problems_of(document) == [("yaml-syntax", line, column, message)]


@pytest.mark.parametrize(
    ("document", "line"),
    [
        ("a: 1\n---\nb: 2\n", 2),
        ("---\na: 1\n---\nb: 2\n", 3),
        ("a: 1\n...\n---\nb: 2\n", 3),
        ("a: 1\n--- b\n", 2),
    ],
)
def test_more_than_one_document(document: str, line: int) -> None:
    assert problems_of(document) == [
        (
            "file-invalid",
            line,
            1,
            "more than one YAML document; keep one document per file",
        )
    ]


@pytest.mark.parametrize("document", ["", "\n\n", "# just a comment\n", "   \n# c\n  \n"])
def test_empty_document(document: str) -> None:
    assert problems_of(document) == [
        ("file-invalid", 1, 1, "the file is empty; write one YAML mapping")
    ]


@pytest.mark.parametrize(
    ("document", "line", "column"),
    [
        ("- a\n- b\n", 1, 1),
        ("# comment\n- a\n", 2, 1),
        ("just text\n", 1, 1),
        ("42\n", 1, 1),
        ("~\n", 1, 1),
        ("'quoted'\n", 1, 1),
        ("|\n  block\n", 1, 1),
        ("[a: 1]\n", 1, 1),
    ],
)
def test_not_a_mapping(document: str, line: int, column: int) -> None:
    assert problems_of(document) == [
        (
            "file-invalid",
            line,
            column,
            "the document must be a mapping (apiVersion, kind, metadata, spec)",
        )
    ]


# --------------------------------------------------------------------------- nesting depth

DEEP = "nesting deeper than 64 levels; flatten the document"


def test_max_depth_is_64() -> None:
    assert MAX_DEPTH == 64


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_flow_nesting_at_the_limit_is_fine(opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    # the top-level mapping is level 1, so 63 flow collections reach level 64
    document = "x: " + opener * 63 + "1" + closer * 63 + "\n"
    data, problems, _ = parse(document)
    assert problems == []
    assert data is not None


def test_flow_sequence_nesting_over_the_limit() -> None:
    document = "x: " + "[" * 64 + "]" * 64 + "\n"
    assert problems_of(document) == [("file-invalid", 1, 3 + 64, DEEP)]


def test_flow_mapping_nesting_over_the_limit() -> None:
    document = "x: " + "{a: " * 64 + "1" + "}" * 64 + "\n"
    assert problems_of(document) == [("file-invalid", 1, 4 + 4 * 63, DEEP)]


@pytest.mark.parametrize("depth", [1001, 5000])
def test_flow_nesting_past_libyamls_own_limit_is_still_a_nesting_problem(depth: int) -> None:
    """libyaml stops at 1000 flow levels with its own error; that is still
    'too deep', not a syntax error, and must say so."""
    [(rule, line, _, message)] = problems_of("x: " + "[" * depth + "]" * depth + "\n")
    assert (rule, line, message) == ("file-invalid", 1, DEEP)


def test_block_mapping_nesting() -> None:
    ok = "".join(f"{'  ' * i}k{i}:\n" for i in range(64)) + "  " * 64 + "leaf\n"
    data, problems, _ = parse(ok)
    assert problems == [] and data is not None
    deep = "".join(f"{'  ' * i}k{i}:\n" for i in range(65)) + "  " * 65 + "leaf\n"
    # the mapping holding k64 (line 65, column 129) is level 65
    assert problems_of(deep) == [("file-invalid", 65, 129, DEEP)]


def test_compact_block_sequence_nesting() -> None:
    data, problems, _ = parse("x:\n  " + "- " * 63 + "leaf\n")
    assert problems == [] and data is not None
    assert problems_of("x:\n  " + "- " * 64 + "leaf\n") == [("file-invalid", 2, 3 + 2 * 63, DEEP)]


def test_deep_nesting_with_indentation_one_space_per_level() -> None:
    deep = "".join(f"{' ' * i}k{i}:\n" for i in range(100)) + " " * 100 + "leaf\n"
    assert problems_of(deep) == [("file-invalid", 65, 65, DEEP)]


def test_deep_nesting_of_mixed_block_and_flow() -> None:
    document = "".join(f"{'  ' * i}k{i}:\n" for i in range(40)) + "  " * 40 + "[" * 30 + "]" * 30
    # 40 block mappings, then the 25th "[" is level 65
    assert problems_of(document + "\n") == [("file-invalid", 41, 80 + 25, DEEP)]


def test_the_builder_also_bounds_depth() -> None:
    """The composer path has its own check, whatever the cheap pre-scan decides."""
    node = yamlsafe.compose("x: " + "[" * 70 + "]" * 70 + "\n")
    assert node is not None
    builder = yamlsafe._Builder()
    builder.build(node, (), 0)
    assert [(p.rule, p.line, p.column, p.message) for p in builder.problems] == [
        ("file-invalid", 1, 3 + 64, DEEP)
    ]


# --------------------------------------------------------------------------- resource safety


def test_alias_bomb_is_refused_quickly_without_expansion() -> None:
    lines = ['a0: &a0 ["lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 30)]
    document = "\n".join(lines) + "\n"
    started = time.perf_counter()
    data, problems, root = parse(document)
    assert time.perf_counter() - started < 5
    assert data is None and root is None
    assert problems[0] == Problem("yaml-unsafe", "anchor &a0 is not allowed; remove it", 1, 5)
    assert {p.rule for p in problems} == {"yaml-unsafe"}
    assert sum(p.message.startswith("alias") for p in problems) == 29 * 10


def test_long_document_without_specials_is_parsed() -> None:
    document = "".join(f"key{i}: value {i}\n" for i in range(20_000))
    data, problems, _ = parse(document)
    assert problems == []
    assert data is not None and len(data) == 20_000


# --------------------------------------------------------------------------- locate

SERVICE = """\
apiVersion: catalogctl/v1
kind: Service
metadata:
  id: payroll
  name: Payroll
spec:
  owner: hr
  dependsOn:
    - identity
    - dns
  support: {hours: 24x7, email: a@b.c}
  offerings:
    - id: access
      name: Access
"""


@pytest.fixture(scope="module")
def root() -> Any:
    node = yamlsafe.compose(SERVICE)
    assert node is not None
    return node


@pytest.mark.parametrize(
    ("path", "key", "expected"),
    [
        ((), False, (1, 1)),
        (("kind",), False, (2, 7)),
        (("kind",), True, (2, 1)),
        (("metadata",), False, (4, 3)),
        (("metadata",), True, (3, 1)),
        (("metadata", "id"), False, (4, 7)),
        (("metadata", "id"), True, (4, 3)),
        (("spec", "owner"), False, (7, 10)),
        (("spec", "dependsOn"), False, (9, 5)),
        (("spec", "dependsOn"), True, (8, 3)),
        (("spec", "dependsOn", 0), False, (9, 7)),
        (("spec", "dependsOn", 1), False, (10, 7)),
        (("spec", "dependsOn", 1), True, (10, 7)),
        (("spec", "support", "hours"), False, (11, 20)),
        (("spec", "support", "email"), True, (11, 26)),
        (("spec", "offerings", 0, "name"), False, (14, 13)),
        (("spec", "offerings", 0, "name"), True, (14, 7)),
        # missing parts: the deepest existing ancestor
        (("spec", "missing"), False, (7, 3)),
        (("spec", "missing", "deeper"), False, (7, 3)),
        (("spec", "dependsOn", 5), False, (9, 5)),
        (("spec", "dependsOn", "x"), False, (9, 5)),
        (("spec", "owner", 0), False, (7, 10)),
        (("nothing",), False, (1, 1)),
        (("nothing",), True, (1, 1)),
    ],
)
def test_locate(
    root: Any, path: tuple[str | int, ...], key: bool, expected: tuple[int, int]
) -> None:
    assert locate(root, path, key=key) == expected


def test_locate_without_a_root() -> None:
    assert locate(None, ("spec", "owner")) == (1, 1)
    assert locate(None, (), key=True) == (1, 1)


def test_locate_an_empty_value_points_after_the_colon() -> None:
    node = yamlsafe.compose("a:\n  b:\n  c: 1\n")
    assert locate(node, ("a", "b")) == (2, 5)
    assert locate(node, ("a", "b"), key=True) == (2, 3)


def test_locate_counts_characters_not_bytes() -> None:
    node = yamlsafe.compose("name: \u00e9t\u00e9 \u2014 x\nkey: v\nother: [\u00fc, w]\n")
    assert locate(node, ("other", 1)) == (3, 12)
    assert locate(node, ("key",)) == (2, 6)


def test_locate_crlf_document() -> None:
    node = yamlsafe.compose("a: 1\r\nb:\r\n  c: 2\r\n")
    assert locate(node, ("b", "c")) == (3, 6)


# --------------------------------------------------------------------------- misc


def test_problem_path_defaults_to_empty() -> None:
    problem = Problem("yaml-syntax", "m", 1, 2)
    assert problem.path == ()


def test_nan_is_never_returned() -> None:
    for value in ["1.5", "1e3", "-0.0", "1e308"]:
        number = resolve_plain(value)
        assert isinstance(number, float) and math.isfinite(number)
