"""Characters that must never reach a reader's terminal: refused on the way in,
shown as escapes on the way out.

In: catalog files may not hold C0 or C1 control characters (tab and line
ends aside), DEL, Unicode line and paragraph separators, or the bidirectional
embeddings, overrides and isolates of "Trojan Source" text. The loader refuses
them as raw bytes (`FORBIDDEN`) and, through `refused_char`, in every value
and key that a double-quoted YAML scalar spells with an escape (`"\\e[2J"`,
`"\\0"`, `"\\x85"`, `"\\u202e"`), where the raw bytes look harmless.

Out: `visible` is applied where reports are written (`commands.output`), so
whatever reaches the output anyway (an older file, a ref the loader did not
read, a bug) is shown, never interpreted: an escape clears no screen.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls but tab/LF/CR, DEL, C1 controls, line/paragraph separators, and
# the bidirectional embeddings, overrides (U+202A-202E) and isolates
# (U+2066-2069). The implicit marks LRM, RLM and ALM (U+200E, U+200F, U+061C)
# are allowed: right-to-left names need them and they cannot reorder text
# beyond the neutral characters next to them; `visible` still shows them.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
# In a decoded value CR is refused too (a raw CR only ever ends a line, and
# libyaml turns line ends into LF; `"\r"` rewrites the line it is printed on).
_DECODED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_IN_KEY = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def char_kind(char: str) -> str:
    if char in BIDI:
        return "bidirectional override character"
    if char in "\u2028\u2029":
        return "Unicode line separator"
    return "control character"


def refused_char(value: str, key: bool = False) -> str | None:
    """Why a decoded scalar cannot be accepted, or None. Values may hold tab
    and LF (multi-line text); keys may hold neither a line end nor CR."""
    bad = (_IN_KEY if key else _DECODED).search(value)
    if bad is None:
        return None
    char = bad.group()
    where = "key" if key else "value"
    return (
        f"{char_kind(char)} U+{ord(char):04X} in a quoted {where} (written as an escape) "
        "is not allowed; remove it"
    )


# Anything but tab, LF and printable ASCII is looked at; of that, only these
# categories are escaped: controls, format characters (bidi, zero-width),
# surrogates, private use, unassigned, and the line/paragraph separators.
_SUSPECT = re.compile("[^\t\n -~]")
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if unicodedata.category(char) not in _HIDDEN:
        return char
    code = ord(char)
    if code > 0xFFFF:  # as a UTF-16 surrogate pair, the one form JSON accepts
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every non-printable character but LF and tab written as a
    `\\uXXXX` escape: ESC becomes `\\u001b`, RIGHT-TO-LEFT OVERRIDE `\\u202e`.

    The same form for every output format: it is a valid escape inside a JSON
    string that decodes to the very same character (json.dumps already writes
    C0 controls so; DEL, C1 and bidi characters it leaves raw), plain text in
    Markdown, and keeps JUnit XML well-formed. Printable text, accents and
    non-Latin scripts included, is unchanged, and so is already visible text:
    `visible(visible(t)) == visible(t)`."""
    return _SUSPECT.sub(_escape, text)
