"""`new` names the catalog's own schema in a yaml-language-server modeline, by
a path relative to the file, so an editor validates the file as it is typed."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from catalogctl.cli import main

TODAY = "2026-11-28"


def test_new_files_name_their_schema_relative_to_themselves(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    assert CliRunner().invoke(main, ["init", str(root), "--today", TODAY]).exit_code == 0
    for args in (("new", "service", "payroll"), ("change", "new"), ("new", "ci", "db-01")):
        result = CliRunner().invoke(main, ["-C", str(root), *args, "--today", TODAY])
        assert result.exit_code == 0, result.output
        written = root / result.stdout.strip()
        first = written.read_text(encoding="utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix)
        schema = (written.parent / first.removeprefix(prefix)).resolve()
        assert schema.parent == (root / "schemas").resolve() and schema.is_file()
