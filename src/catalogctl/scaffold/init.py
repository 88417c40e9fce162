"""`catalogctl init DIR`: scaffold a new catalog repository that lints without
errors (its placeholders, warnings, say what to edit), with its CODEOWNERS
and a first commit, so that `lint` and `diff` work right after `cd DIR`.

Nothing here asks a question: init runs the same in a terminal and in CI."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import subprocess
from pathlib import Path
from string import Template

from catalogctl.load import kinds, schemas
from catalogctl.load.bundled import site_template_dir
from catalogctl.load.errors import EXIT_OK, UsageError
from catalogctl.review import codeowners
from catalogctl.scaffold import install as install_source
from catalogctl.workspace.workspace import open_workspace

TEMPLATES = Path(__file__).resolve().parent / "templates" / "init"
# Copied byte for byte: GitHub expressions and shell variables ($name, ${{ }})
# are not ours to substitute, and tests/test_workflows.py checks these files.
VERBATIM = ".github/workflows"
EMPTY_FOLDERS = (
    "catalog/services",
    "catalog/slas",
    "catalog/cis",
    "catalog/templates",
    kinds.PROBLEMS_DIR,
)
# GitHub's owner/repository spelling (the team schema's slug pattern).
GITHUB_REPO = re.compile(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+\Z")
# Used only when git knows no one: the first commit still gets made.
FALLBACK_IDENTITY = ("-c", "user.name=catalogctl", "-c", "user.email=catalogctl@localhost")
FIRST_COMMIT = "Start the service catalog (catalogctl init)"


def _git(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=directory,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )
    except FileNotFoundError:
        raise UsageError("git is not installed; init needs it for the first commit") from None


def _checked(directory: Path, *args: str) -> str:
    result = _git(directory, *args)
    if result.returncode != 0:
        raise UsageError(f"git {' '.join(args)} failed in {directory}: {result.stderr.strip()}")
    return result.stdout.strip()


def _has_identity(directory: Path) -> bool:
    """Whether git can sign a commit by itself (config, environment or a
    hostname it trusts): `git var` fails exactly when `git commit` would."""
    return all(
        _git(directory, "var", ident).returncode == 0
        for ident in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT")
    )


def _inside_repository(directory: Path) -> bool:
    result = _git(directory, "rev-parse", "--is-inside-work-tree")
    return result.returncode == 0 and result.stdout.strip() == "true"


def _commit(directory: Path, files: list[Path]) -> list[str]:
    """`git init -b main` unless DIRECTORY is in a repository already, then a
    commit of exactly the files init wrote (nothing else staged goes with it).
    Returns what to tell the user."""
    notes: list[str] = []
    if _inside_repository(directory):
        notes.append("the folder is inside a git repository already: committed there")
    else:
        _checked(directory, "init", "-q", "-b", "main")
    names = [path.relative_to(directory).as_posix() for path in files]
    _checked(directory, "add", "--", *names)
    identity: tuple[str, ...] = ()
    if not _has_identity(directory):
        identity = FALLBACK_IDENTITY
        notes.append(
            "git has no user.name/user.email: the first commit is by catalogctl "
            "<catalogctl@localhost>; set yours with `git config --global user.name ...` "
            "and `git config --global user.email ...`"
        )
    _checked(directory, *identity, "commit", "-q", "--no-verify", "-m", FIRST_COMMIT, "--", *names)
    return notes


def _cd_hint(directory: Path) -> str | None:
    """`cd DIR`, or nothing when DIR is the current folder."""
    try:
        if directory.resolve() == Path.cwd().resolve():
            return None
    except OSError:
        pass
    return f"cd {shlex.quote(str(directory))}"


def next_steps(directory: Path, github: str | None, source: install_source.Source) -> list[str]:
    steps: list[str] = []
    cd = _cd_hint(directory)
    if cd:
        steps.append(cd)
    steps.append(
        "edit catalog/teams/cab.yaml: the CAB's GitHub team (spec.github), members and email"
    )
    steps.append(
        "catalogctl new team my-team && catalogctl new service my-service --owner my-team"
        "   # then fill in their placeholders"
    )
    steps.append("catalogctl lint && catalogctl codeowners && catalogctl diff")
    if source.note:
        steps.append(f"set the catalogctl source in {install_source.REQUIREMENTS_FILE}")
    remote = github or "OWNER/REPO"
    steps.append(
        f"git remote add origin https://github.com/{remote}.git && git push -u origin main"
    )
    steps.append(
        "on GitHub: Settings > Pages > Source: GitHub Actions; Settings > Branches: "
        "protect main, require the `gate` check and a review from code owners"
    )
    return steps


def _planned(
    directory: Path, title: str, org: str, source: install_source.Source, site: bool
) -> dict[Path, str | bytes]:
    """Every file init writes but CODEOWNERS (which needs the others first)."""
    values = {"name": title, "org": org, "install_json": json.dumps(source.requirement)}
    planned: dict[Path, str | bytes] = {}
    for template in sorted(TEMPLATES.rglob("*")):
        if not template.is_file():
            continue
        relative = template.relative_to(TEMPLATES)
        text = template.read_text(encoding="utf-8")
        if not relative.as_posix().startswith(VERBATIM + "/"):
            text = Template(text).safe_substitute(values)
        planned[directory / relative] = text
    planned[directory / install_source.REQUIREMENTS_FILE] = install_source.requirements_text(
        source
    )
    for schema in sorted(schemas.bundled_dir().glob("*.schema.json")):
        planned[directory / "schemas" / schema.name] = schema.read_text(encoding="utf-8")
    if site:
        bundled = site_template_dir()
        for part in sorted(bundled.rglob("*")):
            if part.is_file():
                # Bytes as text would break the fonts and images the theme may hold.
                planned[directory / "site" / part.relative_to(bundled)] = part.read_bytes()
    return planned


def execute(
    *,
    directory: Path,
    name: str | None,
    today: dt.date,
    github: str | None = None,
    site: bool = False,
    install: str | None = None,
    commit: bool = True,
) -> int:
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise UsageError(
            f"{directory} exists and is not empty; init only writes into a new or empty folder"
        )
    if github is not None and not GITHUB_REPO.match(github):
        raise UsageError(f"--github wants OWNER/REPO as on GitHub, not '{github}'")
    source = install_source.given(install) if install is not None else install_source.detect()
    title = name or directory.resolve().name.replace("-", " ").title()
    org = github.split("/", 1)[0] if github else "your-org"
    planned = _planned(directory, title, org, source, site)
    years = (f"{kinds.CHANGES_DIR}/{today.year}", f"{kinds.INCIDENTS_DIR}/{today.year}")
    for folder in (*EMPTY_FOLDERS, *years):
        planned[directory / folder / ".gitkeep"] = ""
    for path, content in planned.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            with open(path, "xb") as binary:
                binary.write(content)
        else:
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(content)
    owners_file = directory / codeowners.DEFAULT_OUTPUT
    owners_file.parent.mkdir(parents=True, exist_ok=True)
    with open(owners_file, "x", encoding="utf-8") as handle:
        handle.write(_codeowners(directory))
    written = [*planned, owners_file]
    notes = _commit(directory, written) if commit else []
    if source.note:
        notes.append(source.note)
    print(f"created a catalog in {directory} ({len(written)} files)")
    print(f"catalogctl for CI and the pre-commit hook: {source.requirement}")
    for note in notes:
        print(f"note: {note}")
    print("next steps:")
    for number, step in enumerate(next_steps(directory, github, source), 1):
        print(f"  {number}. {step}")
    return EXIT_OK


def _codeowners(directory: Path) -> str:
    """The CODEOWNERS `catalogctl codeowners` would write for the new catalog."""
    workspace = open_workspace(directory)
    policy = workspace.policy()
    return codeowners.generate(workspace.catalog(1), policy.cab_team, policy.paths).render()
