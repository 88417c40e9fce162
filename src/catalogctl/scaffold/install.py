"""Where a new catalog's workflows and hook install catalogctl from.

catalogctl is not on the public package index, so `pip install catalogctl`
would fail (or, worse, install someone else's package of that name). init
pins the catalogctl that is running it, read from its install record
(PEP 610 `direct_url.json`):

- installed from git (`pip install "catalogctl @ git+URL@REV"`): that URL at
  the exact commit pip resolved;
- installed from a local checkout whose `origin` is a remote URL: that URL at
  the checkout's current commit;
- otherwise `catalogctl==VERSION` with a note: the user names the source with
  `--install` or edits `.github/catalogctl-requirements.txt`.

One requirement line, written to `.github/catalogctl-requirements.txt` (the
workflows install from the base branch's copy) and into the pre-commit hook.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

from catalogctl import __version__
from catalogctl.load.errors import UsageError
from catalogctl.load.textsafe import refused_char

REQUIREMENTS_FILE = ".github/catalogctl-requirements.txt"
# A remote git can be fetched by a CI runner; a local path cannot.
_REMOTE = re.compile(r"(https://|ssh://|git@)[^\s]+\Z")
_SHA = re.compile(r"[0-9a-f]{40}\Z")


@dataclass(frozen=True)
class Source:
    requirement: str  # one pip requirement line
    note: str | None = None  # what the user must still do, if anything


def _git_url(url: str) -> str:
    return url if url.startswith("git+") else "git+" + url


def _from_checkout(folder: Path) -> Source | None:
    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False
        )
        return result.stdout.strip() if result.returncode == 0 else ""

    try:
        origin, commit = git("remote", "get-url", "origin"), git("rev-parse", "HEAD")
    except OSError:
        return None
    if _REMOTE.match(origin) and _SHA.match(commit):
        return Source(f"catalogctl @ {_git_url(origin)}@{commit}")
    return None


def detect() -> Source:
    """The requirement that installs the catalogctl running now."""
    fallback = Source(
        f"catalogctl=={__version__}",
        f"catalogctl=={__version__} will not install from the public package index; put "
        f"where yours comes from (e.g. catalogctl @ git+https://HOST/PATH@v{__version__}) "
        f"in {REQUIREMENTS_FILE} and .pre-commit-config.yaml, or run init with --install",
    )
    try:
        record = metadata.distribution("catalogctl").read_text("direct_url.json")
        direct = json.loads(record) if record else {}
    except (metadata.PackageNotFoundError, ValueError):
        return fallback
    url = str(direct.get("url", ""))
    vcs = direct.get("vcs_info")
    vcs = vcs if isinstance(vcs, dict) else {}
    commit = str(vcs.get("commit_id", ""))
    if vcs.get("vcs") == "git" and _SHA.match(commit) and _REMOTE.match(url):
        return Source(f"catalogctl @ {_git_url(url)}@{commit}")
    if url.startswith("file://") and "dir_info" in direct:
        found = _from_checkout(Path(unquote(urlparse(url).path)))
        if found:
            return found
    return fallback


def given(requirement: str) -> Source:
    """`--install SPEC`, checked: one plain requirement line, no pip options
    (a requirements file would obey `--index-url` or `-e` as well)."""
    text = requirement.strip()
    if not text or refused_char(text, key=True) or len(text) > 500:
        raise UsageError("--install wants one requirement line, e.g. 'catalogctl==0.1.0'")
    if text.startswith("-"):
        raise UsageError(f"--install takes a requirement, not a pip option: '{text}'")
    if not text.lower().startswith("catalogctl"):
        raise UsageError(
            "--install must install catalogctl ('catalogctl==X' or 'catalogctl @ URL'), "
            f"not '{text}'"
        )
    return Source(text)


def requirements_text(source: Source) -> str:
    return (
        "# The catalogctl that this repository's workflows install (from the base\n"
        "# branch's copy of this file on pull requests, so a pull request cannot\n"
        "# pick the tool that judges it). Change it in a pull request of its own.\n"
        f"{source.requirement}\n"
    )
