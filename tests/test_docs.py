"""Documentation that is generated must match what the code generates."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from catalogctl.cli import main
from paths import REPO

ROOT = REPO


def test_rules_reference_is_in_sync(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "rules", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == result.output, (
        "regenerate: catalogctl rules --format markdown > docs/rules.md"
    )


def test_every_rule_has_a_documented_section() -> None:
    from catalogctl.lint.rules import REGISTRY

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule_id, rule in REGISTRY.items():
        assert f"## {rule_id}\n" in text
        assert len(rule.doc) > len(rule.summary), f"{rule_id} needs more than a one-line doc"


def test_lint_formats_match_the_reporter_table() -> None:
    from catalogctl.cli.base import LINT_FORMATS
    from catalogctl.reporters import REPORTERS

    assert sorted(LINT_FORMATS) == sorted(REPORTERS)


def test_workflow_doc_has_the_generated_state_table() -> None:
    from catalogctl.model.workflow import markdown_table

    text = (ROOT / "docs" / "workflow.md").read_text(encoding="utf-8")
    assert markdown_table() in text
