"""CSV files in and out, as spreadsheets and CMDBs write them.

Reading: the bytes are decoded by their byte-order mark (UTF-8 with or
without one, or Excel's "Unicode text", UTF-16 with a BOM), the delimiter
is the one of `,` `;` and tab the header line uses most, and the `csv`
module does the quoting (embedded delimiters, quotes and newlines). Each
row keeps the line it starts on, so a bad value is named as file:line:column.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from catalogctl.load import textsafe
from catalogctl.load.errors import UsageError

MAX_BYTES = 64 << 20  # a CMDB export of ~100,000 rows; more is not a spreadsheet
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line of the file where the row starts
    values: dict[str, str]  # header -> cell (missing cells are "")


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Row, ...]


def decode(shown: str, raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise UsageError(f"{shown}: {len(raw):,} bytes is over the 64 MiB limit; split the file")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise UsageError(
            f"{shown}:{line}: byte 0x{raw[error.start]:02x} is not {encoding.upper()}; "
            "save the file as CSV UTF-8"
        ) from None
    bad = textsafe.FORBIDDEN.search(text.replace("\r", "").replace("\t", ""))
    if bad:
        raise UsageError(
            f"{shown}: {textsafe.char_kind(bad.group())} U+{ord(bad.group()):04X} "
            "is not allowed in a catalog; remove it"
        )
    return text


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max(DELIMITERS, key=first.count)


def read_table(path: Path, shown: str) -> Table:
    """Header and rows of a CSV file; UsageError (exit 2) when it cannot be read."""
    text = decode(shown, path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = tuple(cell.strip() for cell in next(reader))
    except StopIteration:
        raise UsageError(
            f"{shown}: the file is empty; the first line must name the columns"
        ) from None
    except csv.Error as error:
        raise UsageError(f"{shown}:1: {error}; fix the header line") from None
    if not any(header):
        raise UsageError(f"{shown}:1: the first line must name the columns")
    rows = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                padded = [*cells, *[""] * (len(header) - len(cells))]
                rows.append(Row(line, dict(zip(header, padded, strict=False))))
            line = reader.line_num + 1
    except csv.Error as error:
        raise UsageError(f"{shown}:{line}: {error}; fix the quoting of that row") from None
    if not rows:
        raise UsageError(f"{shown}: no rows below the header; nothing to import")
    return Table(header, tuple(rows))


def write_table(header: list[str], rows: list[list[str]]) -> str:
    """RFC 4180 CSV text (quoted where needed), lines ended by LF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
