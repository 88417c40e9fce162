"""`new change` and `change new` are one action: `new change` runs the
`change new` function with its defaults, so the two never drift apart."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from catalogctl.cli import main

TODAY = "2026-11-28"


def run(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(
        main, ["-C", str(root), *args, "--today", TODAY], env={"NO_COLOR": None}
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def catalog(tmp_path: Path) -> Path:
    target = tmp_path / "acme"
    result = CliRunner().invoke(main, ["init", str(target), "--today", TODAY])
    assert result.exit_code == 0, result.output
    return target


def test_new_change_is_change_new_with_its_defaults(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    first = run(root, "new", "change")
    second = run(root, "change", "new")
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    assert first.stdout == "changes/2026/chg-2026-0001.yaml\n"
    assert second.stdout == "changes/2026/chg-2026-0002.yaml\n"
    one = (root / "changes/2026/chg-2026-0001.yaml").read_text(encoding="utf-8")
    two = (root / "changes/2026/chg-2026-0002.yaml").read_text(encoding="utf-8")
    assert one.replace("chg-2026-0001", "chg-2026-0002") == two


def test_new_change_refuses_what_change_new_refuses(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    for spelling in (("new", "change"), ("change", "new")):
        result = run(root, *spelling, "chg-26-1")
        assert result.exit_code == 2
        assert "not a valid ChangeRequest id" in result.output
        result = run(root, *spelling, "--owner", "nobody")
        assert result.exit_code == 2
        assert "--owner nobody: no Team with that id" in result.output
    assert not (root / "changes").exists() or not any((root / "changes").rglob("*.yaml"))
