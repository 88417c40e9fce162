"""Gate integrity II: what a pull request's bytes can do to its reviewers.

Control characters spelled as YAML escapes (`"\\e[2J"`) must fail the gate
and never reach a terminal raw; hidden files under catalog/ and changes/
must not slip past as if they were not there. Real git repositories built
by tests/gaterepo.py, no mocks.
"""

from __future__ import annotations

import json

import pytest

from gaterepo import (  # noqa: F401  # the two fixtures
    MARKER,
    Repo,
    approvals,
    check,
    cli,
    failing,
    repo_fixture,
    template_repo_fixture,
)
from gitrepo import isolated_git  # noqa: F401  # a fixture

pytestmark = pytest.mark.usefixtures("isolated_git")

WIKI = "catalog/services/wiki.yaml"
TODAY = "2026-03-02"

# ---------------------------------------------------------------- escaped control characters


@pytest.mark.parametrize(
    ("escaped", "code"),
    [
        ("\\e[2J", "U+001B"),  # clear screen
        ("\\x1b]0;pwned\\x07", "U+001B"),  # set the terminal's title
        ("\\0", "U+0000"),
        ("\\x9b2J", "U+009B"),  # C1 CSI: clear screen in one byte on some terminals
        ("\\N", "U+0085"),  # C1 NEXT LINE
        ("\\u202egnp.exe", "U+202E"),  # RIGHT-TO-LEFT OVERRIDE
    ],
)
def test_an_escaped_control_character_in_a_name_fails_the_gate(
    repo: Repo, escaped: str, code: str
) -> None:
    repo.branch("escape")
    repo.edit(WIKI, "  name: Wiki\n", f'  name: "Wiki {escaped}"\n')
    head = repo.commit("rename wiki")

    lint = cli("-C", str(repo.path), "lint", "--ref", "escape", "--today", TODAY)
    assert lint.exit_code == 1, lint.stdout
    assert f"{WIKI}:5:9: error: " in lint.stdout
    assert f" {code} in a quoted value (written as an escape) is not allowed" in lint.stdout

    document = repo.gate("escape", approvals(head, "oscar"))
    assert "lint" in failing(document)
    message = check(document, "lint")["message"]
    assert f"{WIKI}:5:9:" in message and code in message and "[file-invalid]" in message


def test_no_report_of_an_escaped_control_character_carries_it_raw(repo: Repo) -> None:
    repo.branch("escape")
    repo.edit(WIKI, "  name: Wiki\n", '  name: "Wiki \\e[2J\\x9b\\u202e"\n')
    head = repo.commit("rename wiki")
    outputs = {
        "diff text": cli("-C", str(repo.path), "diff", "main", "escape", "--format", "text"),
        "diff markdown": cli("-C", str(repo.path), "diff", "main", "escape", "-f", "markdown"),
        "gate text": repo.run_gate("escape", approvals(head, "oscar"), fmt="text"),
        "gate markdown": repo.run_gate("escape", approvals(head, "oscar"), fmt="markdown"),
        "gate json": repo.run_gate("escape", approvals(head, "oscar"), fmt="json"),
    }
    for name, result in outputs.items():
        text = result.stdout + result.stderr
        assert result.exit_code in (0, 1), (name, text)
        for raw in ("\x1b", "\x9b", "\u202e"):
            assert raw not in text, (name, text)
    assert "FAIL" in outputs["gate text"].stdout
    assert MARKER in outputs["gate markdown"].stdout
    assert json.loads(outputs["gate json"].stdout)["result"] == "fail"


def test_a_raw_escape_in_a_file_name_is_shown_escaped(repo: Repo) -> None:
    """A file name is text from the pull request too (git allows ESC in one)."""
    repo.branch("evil-name")
    repo.write("catalog/services/wiki\x1b[2J.yaml", repo.read(WIKI))
    repo.commit("a file with an escape sequence in its name")
    for args in (
        ("lint", "--ref", "evil-name", "--today", TODAY),
        ("lint", "--ref", "evil-name", "--today", TODAY, "--color", "always"),
        ("lint", "--ref", "evil-name", "--today", TODAY, "--format", "json"),
        ("diff", "main", "evil-name", "--format", "text"),
    ):
        result = cli("-C", str(repo.path), *args)
        assert "\x1b[2J" not in result.stdout, (args, result.stdout)
        assert "wiki\\u001b[2J.yaml" in result.stdout, (args, result.stdout)
    lint = ("-C", str(repo.path), "lint", "--ref", "evil-name", "--today", TODAY)
    assert "file name holds control character U+001B" in cli(*lint).stdout
    colored = cli(*lint, "--color", "always")
    assert "\x1b[31m" in colored.stdout  # the tool's own colours still get through
    as_json = cli(*lint, "--format", "json")
    files = {d["file"] for d in json.loads(as_json.stdout)["diagnostics"]}
    assert "catalog/services/wiki\x1b[2J.yaml" in files  # escaped, the JSON still means it


# ---------------------------------------------------------------- hidden files


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("catalog/services/.hidden.yaml", ".hidden.yaml is a hidden file"),
        ("changes/2026/.x.yaml", ".x.yaml is a hidden file"),
        ("catalog/.secret/x.yaml", "x.yaml is in the hidden folder .secret/"),
    ],
)
def test_a_hidden_file_is_a_lint_warning_the_gate_shows(
    repo: Repo, path: str, message: str
) -> None:
    repo.branch("hidden")
    repo.write(path, repo.read(WIKI).replace("id: wiki", "id: smuggled"))
    head = repo.commit("a file nobody sees")

    lint = cli("-C", str(repo.path), "lint", "--ref", "hidden", "--today", TODAY)
    assert lint.exit_code == 0, lint.stdout  # a warning
    assert f"{path}:1:1: warning: {message}" in lint.stdout
    assert "\n0 errors, 1 warning in " in lint.stdout
    strict = cli("-C", str(repo.path), "lint", "--ref", "hidden", "--today", TODAY, "--strict")
    assert strict.exit_code == 1

    # not silently: without an approval the pull request does not pass ...
    assert repo.gate("hidden", [])["result"] == "fail"
    # ... and once the CAB has approved the file, the lint check still names it
    document = repo.gate("hidden", approvals(head, "carol"))
    lint_check = check(document, "lint")
    assert lint_check["status"] == "warn", document["checks"]
    assert f"{path}:1:1: {message}" in lint_check["message"]
    assert "[hidden-file]" in lint_check["message"]
    text = repo.run_gate("hidden", approvals(head, "carol"), fmt="text").stdout
    assert (
        f"warn lint: no lint errors; 1 warning(s) in files this pull request changes: {path}"
        in (text)
    )
    markdown = repo.run_gate("hidden", approvals(head, "carol"), fmt="markdown").stdout
    assert path in markdown and "hidden-file" in markdown


def test_an_empty_gitkeep_is_no_warning_but_one_with_content_is(repo: Repo) -> None:
    repo.branch("keep")
    repo.write("changes/2027/.gitkeep", "")
    repo.write("catalog/services/.gitkeep", "not so empty\n")
    head = repo.commit("placeholders")
    lint = cli("-C", str(repo.path), "lint", "--ref", "keep", "--today", TODAY)
    assert "changes/2027/.gitkeep" not in lint.stdout
    assert "catalog/services/.gitkeep:1:1: warning: .gitkeep is a hidden file" in lint.stdout
    document = repo.gate("keep", approvals(head, "carol"))
    message = check(document, "lint")["message"]
    assert "catalog/services/.gitkeep" in message and "changes/2027/.gitkeep" not in message
