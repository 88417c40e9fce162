"""A name typed one or two letters off gets the name it was meant to be.

Ids, kinds, fields and rule ids: wherever catalogctl says a name is unknown,
it names the closest one or two it knows, in one wording, on one line; and
nothing when no name is close, rather than a wrong guess.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.load.schemas import SchemaSet, bundled_dir, explain_all
from catalogctl.load.suggest import close_matches, did_you_mean
from gitrepo import assert_usage_error
from paths import REPO

TODAY = "2026-11-28"


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """The clean catalog of the lint cases: teams ops and cab, services payroll
    and identity, CIs esx-01 and vm-payroll, template os-patch."""
    root = tmp_path / "catalog"
    shutil.copytree(REPO / "tests" / "cases" / "_base", root)
    return root


def run(root: Path, *args: str) -> Result:
    env: dict[str, str | None] = {"GITHUB_STEP_SUMMARY": None, "NO_COLOR": None}
    result = CliRunner().invoke(main, ["-C", str(root), *args], env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_one_letter_off_suggests_the_id() -> None:
    ids = ["db-payroll-01", "db-payroll-02", "web-01"]
    assert close_matches("db-payrol-01", ids) == ["db-payroll-01"]
    assert did_you_mean("db-payrol-01", ids) == "; did you mean 'db-payroll-01'?"


def test_two_equally_close_names_are_both_suggested() -> None:
    assert did_you_mean("db-payroll-0", ["db-payroll-01", "db-payroll-02", "web-01"]) == (
        "; did you mean 'db-payroll-01' or 'db-payroll-02'?"
    )


@pytest.mark.parametrize(
    ("word", "candidates"),
    [
        ("zebra", ["db-payroll-01", "web-01"]),  # nothing close
        ("nas-01", ["esx-01"]),  # shares a suffix, still another name
        ("tier5", ["tier1", "tier2", "tier3", "tier4"]),  # any pick would be a guess
        ("ops", ["ops"]),  # the name itself is no suggestion
        ("ops", []),
    ],
)
def test_no_close_name_no_suggestion(word: str, candidates: list[str]) -> None:
    assert close_matches(word, candidates) == []
    assert did_you_mean(word, candidates) == ""


def test_unknown_reference_suggests_an_id_of_the_target_kind(catalog: Path) -> None:
    service = catalog / "catalog" / "services" / "identity.yaml"
    service.write_text(
        service.read_text(encoding="utf-8").replace("owner: ops", "owner: opps"), encoding="utf-8"
    )
    result = run(catalog, "lint", "--today", TODAY, "--color", "never")
    assert "spec.owner: no Team with id 'opps'; did you mean 'ops'? [unknown-reference]" in (
        result.output
    )


def test_show_suggests_the_id(catalog: Path) -> None:
    assert_usage_error(
        run(catalog, "show", "service/payrol"),
        "no Service with id 'payrol'; did you mean 'payroll'?",
    )


def test_show_without_a_close_id_has_no_suggestion(catalog: Path) -> None:
    result = run(catalog, "show", "service/zzz")
    assert_usage_error(result, "no Service with id 'zzz'")
    assert "did you mean" not in result.output


def test_kind_typo_suggests_the_whole_reference(catalog: Path) -> None:
    assert_usage_error(
        run(catalog, "show", "servce/payroll"), "is not KIND/ID", "did you mean 'service/payroll'?"
    )
    assert_usage_error(
        run(catalog, "impact", "confguration-item/esx-01"),
        "did you mean 'configuration-item/esx-01'?",
    )


def test_new_suggests_the_owner_team(catalog: Path) -> None:
    result = run(catalog, "new", "service", "billing", "--owner", "opz", "--today", TODAY)
    assert_usage_error(result, "--owner opz: no Team with that id; did you mean 'ops'?")


def test_new_suggests_the_kind(catalog: Path) -> None:
    result = run(catalog, "new", "servce", "billing", "--today", TODAY)
    assert_usage_error(result, "unknown kind 'servce'; did you mean 'service'?")


def test_field_typo_suggests_the_field() -> None:
    schemas = SchemaSet.from_dir(bundled_dir())
    document = {
        "apiVersion": "catalogctl/v1",
        "kind": "Service",
        "metadata": {"id": "payroll", "name": "Payroll"},
        "spec": {"ownr": "ops"},
    }
    messages = [f.message for f in explain_all(schemas.errors("Service", document))]
    assert "spec.ownr: unknown field 'ownr'; did you mean 'owner'?" in messages


def test_field_among_many_equally_close_lists_them_all() -> None:
    schemas = SchemaSet.from_dir(bundled_dir())
    policy = {"scorecards": {"minimum": {"tier5": "bronze"}}}
    messages = [f.message for f in explain_all(schemas.errors("Policy", policy))]
    assert (
        "scorecards.minimum.tier5: unknown field 'tier5'; allowed: tier1, tier2, tier3, tier4"
        in (messages)
    )


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["lint", "--format", "jsn"], "did you mean 'json'?"),
        (["change", "list", "--state", "schedled"], "did you mean 'scheduled'?"),
        (["diff", "--format", "markdwn"], "did you mean 'markdown'?"),
    ],
)
def test_a_mistyped_choice_names_the_near_one(args: list[str], hint: str) -> None:
    result = CliRunner().invoke(main, ["-C", str(REPO), *args])
    assert result.exit_code == 2
    assert hint in result.output
    assert "is not one of" in result.output  # the full list stays


def test_a_choice_with_no_near_one_lists_them_without_a_guess() -> None:
    result = CliRunner().invoke(main, ["-C", str(REPO), "lint", "--format", "zzz"])
    assert result.exit_code == 2
    assert "is not one of" in result.output and "did you mean" not in result.output
