"""What a large run lets go of to keep its memory down (docs/benchmarks.md,
"Memory at 50,000") changes no answer: documents with interned values,
new results written shard by shard as the workers return them, files'
bytes dropped once checked (a cross-file finding reads the file again), and
a tree's index written in pieces."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from catalogctl.cli import main
from catalogctl.load import cache, cached, workers
from catalogctl.load.interning import intern_strings
from catalogctl.load.sources import WorkTree
from paths import REPO

TODAY = "2026-11-28"
GATEWAY = "catalog/services/infrastructure/api-gateway.yaml"
TYPO = "identity-ssoo"  # a dependency on a service that does not exist


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """The reference catalog with one dangling reference, a cross-file finding
    in a file that has no finding of its own."""
    root = tmp_path / "catalog"
    root.mkdir()
    for name in ("catalog", "changes", "schemas"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "catalogctl.yaml", root)
    gateway = root / GATEWAY
    text = gateway.read_text(encoding="utf-8")
    assert "    - identity-sso\n" in text
    gateway.write_text(text.replace("    - identity-sso\n", f"    - {TYPO}\n"), encoding="utf-8")
    return root


def lint(root: Path, *options: str, jobs: str = "2") -> tuple[int, list[dict[str, Any]]]:
    result = CliRunner().invoke(
        main,
        ["-C", str(root), *options, "lint", "--today", TODAY, "--format", "json", "--jobs", jobs],
    )
    return result.exit_code, json.loads(result.stdout)["diagnostics"]


def test_interning_keeps_every_value_and_shares_repeated_ones() -> None:
    text = json.dumps(
        {"a": ["live", {"b": "live", "n": 1, "f": 1.5, "t": True, "z": None}], "c": "live"}
    )
    document = json.loads(text)
    assert document["c"] is not document["a"][0]  # the decoder makes one string a value
    before = copy.deepcopy(document)
    assert intern_strings(document) is document
    assert document == before
    assert document["c"] is document["a"][0] is document["a"][1]["b"]


def test_a_parallel_run_through_an_empty_cache_answers_as_without_it(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers return runs of files in cache-shard order; every shard is
    written as it completes, and the finding in a file whose bytes were
    dropped is located by reading the file again."""
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 10)
    cold = lint(catalog)
    plain = lint(catalog, "--no-cache", jobs="1")
    assert cold == plain
    found = [d for d in cold[1] if d["rule"] == "unknown-reference"]
    lines = (catalog / GATEWAY).read_text(encoding="utf-8").splitlines()
    row = next(n for n, line in enumerate(lines) if TYPO in line)
    assert [(d["file"], d["line"], d["column"]) for d in found] == [
        (GATEWAY, row + 1, lines[row].index(TYPO) + 1)
    ]
    # every file's result reached the disk, whichever shard it went to
    store = cached.open_store(catalog)
    loaded, read = cached.check_source(WorkTree(catalog), None, 1, store)
    assert read == {}
    assert store.hits == len(loaded) == len(WorkTree(catalog).files())


def test_a_run_result_written_in_pieces_reads_back_whole(tmp_path: Path) -> None:
    store = cache.Store(tmp_path, f"v1-{0:020x}")
    pieces = ["head\x1e", "é" * 3000, "", "\x1etail"]
    store.put_run("tree", pieces, "", cache.GRAPHS)
    assert store.get_run("tree", cache.GRAPHS) == ("".join(pieces), "")
    whole = cache.Store(tmp_path / "other", f"v1-{0:020x}")
    whole.put_run("tree", "".join(pieces), "", cache.GRAPHS)
    assert whole.get_run("tree", cache.GRAPHS) == store.get_run("tree", cache.GRAPHS)
    # a chunk boundary inside a two-byte character encodes as the whole does
    assert b"".join(cache._encoded(["aé", "b"], size=1)) == "aéb".encode()
    # small pieces are joined, long ones cut, and no chunk grows past its
    # piece's or the batch's size by more than one piece
    mixed = ["ab"] * 7 + ["é" * 9, "c", "d" * 4, "", "e"]
    chunks = list(cache._encoded(mixed, size=4))
    assert b"".join(chunks) == "".join(mixed).encode()
    assert len(chunks) < len(mixed) and max(len(c.decode()) for c in chunks) <= 5


def test_a_head_made_last_is_written_first(tmp_path: Path) -> None:
    """replace_file's `head`: bytes known only once the chunks are written
    (the cache's checksum) land at the start; a head of the wrong size
    leaves the previous file as it was."""
    from catalogctl.load.output import replace_file

    target = tmp_path / "out"
    seen: list[bytes] = []

    def chunks() -> Iterator[bytes]:
        for chunk in (b"abc", b"", b"de"):
            seen.append(chunk)
            yield chunk

    replace_file(target, chunks(), durable=False, head=(4, lambda: b"%03d\n" % len(b"".join(seen))))
    assert target.read_bytes() == b"005\nabcde"
    with pytest.raises(ValueError, match="a head of 2 bytes where 4 were kept"):
        replace_file(target, [b"x"], durable=False, head=(4, lambda: b"no"))
    assert target.read_bytes() == b"005\nabcde"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary file left
