"""The state timeline of every change request, read from git history in one pass.

One `git log` over `changes/` (oldest first, renames detected, first-parent
line of HEAD), run through GitPython's command runner, names every commit
that touched a change file and the blob it left; the blobs then stream
through one `git cat-file --batch`. The cost follows the commits that touch
`changes/`, never the size of the catalog. (GitPython's own commit walk,
`Repo.iter_commits` with a diff per commit, would start git again for every
commit: see docs/decisions.md, "Git access".)

Reading a blob is two line-regexes in the common case: the documents are
2-space indented YAML, so `metadata.id` and `spec.state` are lines of their
own inside their top-level sections. Anything else (flow style, quoted
values, duplicates, comments on the line) goes through the safe YAML parser,
and a blob that does not parse is skipped for that commit. Paths and contents
come from pull requests and are treated as hostile: nothing here raises on
bad input, and no blob over the loader's size limit is kept in memory.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from catalogctl.load import kinds, loader, yamlsafe
from catalogctl.load.gitrepo import SourceError, git, stream_blobs
from catalogctl.model.entities import dig
from catalogctl.model.workflow import TERMINAL

_REGULAR = frozenset({b"100644", b"100755"})
# Lines that start a top-level key: no indentation, not a comment.
_TOP = re.compile(rb"^([^ \t\r\n#][^\r\n]*)", re.M)
_TOP_KEY = re.compile(rb"---\Z|[A-Za-z][A-Za-z0-9_-]*:(?:[ \t]|\Z)")
_STATE = re.compile(rb"^  state:[ \t]+([a-z][a-z-]*)[ \t]*\r?$", re.M)
_ID = re.compile(rb"^  id:[ \t]+([a-z0-9][a-z0-9-]*)[ \t]*\r?$", re.M)
_KIND_LINE = b"kind: " + kinds.CHANGE.name.encode()
# %x01 marks a commit header; the four fields are NUL-separated under -z.
# %ct is the instant; the last word of %ci is the committer's UTC offset (+hhmm).
_FORMAT = "--format=%x01%H%x00%ct %ci%x00%an%x00%ae"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Commit:
    sha: str
    time: dt.datetime  # committer date, with the committer's UTC offset
    author: str
    email: str


@dataclass(frozen=True)
class Transition:
    state: str
    commit: Commit


@dataclass(frozen=True)
class Timeline:
    """One change request: each state it entered, in order, and when."""

    id: str  # metadata.id of its latest readable version (else the file stem)
    path: str  # its latest path, relative to the catalog root
    transitions: tuple[Transition, ...]  # only where the state differs from the last
    edited_after_close: tuple[Commit, ...]  # commits that changed it once closed/canceled

    def first(self, state: str) -> Transition | None:
        return next((t for t in self.transitions if t.state == state), None)

    @property
    def raised(self) -> Commit:
        return self.transitions[0].commit


@dataclass(frozen=True)
class History:
    timelines: Mapping[str, Timeline]  # by change id
    commits: int  # commits that touched changes/
    head: str | None  # the commit the history was read up to
    shallow: bool  # a shallow clone: history starts at the graft, not the beginning
    note: str | None = None  # why there is no history at all


@dataclass(frozen=True)
class Reading:
    state: str | None
    change_id: str | None


def _sections(blob: bytes) -> dict[bytes, tuple[int, int]] | None:
    """`metadata:` and `spec:` -> (start, end) of their blocks; None unless the
    document is plainly a block-style ChangeRequest (one `kind:` line naming it,
    one bare `metadata:` and one bare `spec:` line)."""
    lines = [(m.start(), m.group(1).rstrip()) for m in _TOP.finditer(blob)]
    found: dict[bytes, tuple[int, int]] = {}
    kind_lines = 0
    for index, (start, line) in enumerate(lines):
        if not _TOP_KEY.match(line):
            return None  # a top-level sequence, scalar or flow mapping: let the parser judge
        if line.startswith(b"kind:"):
            kind_lines += 1
            if line != _KIND_LINE:
                return None
        elif line in (b"spec:", b"metadata:"):
            if line in found:
                return None  # a duplicate key: the parser reports it
            end = lines[index + 1][0] if index + 1 < len(lines) else len(blob)
            found[line] = (start, end)
    return found if len(found) == 2 and kind_lines == 1 else None


def _only(pattern: re.Pattern[bytes], blob: bytes, span: tuple[int, int]) -> str | None:
    matches = pattern.findall(blob, *span)
    return matches[0].decode() if len(matches) == 1 else None


def fast_read(blob: bytes) -> Reading | None:
    """State and id by line shape, or None when that is not conclusive."""
    sections = _sections(blob)
    if sections is None:
        return None
    state = _only(_STATE, blob, sections[b"spec:"])
    change_id = _only(_ID, blob, sections[b"metadata:"])
    if state is None or change_id is None:
        return None
    return Reading(state, change_id)


def read_state(path: str, blob: bytes) -> Reading | None:
    """A change file's state and id; None when it is not a readable ChangeRequest."""
    fast = fast_read(blob)
    if fast is not None:
        return fast
    text, refusal = loader.decode(path, blob)
    if text is None or refusal is not None:
        return None
    data, problems, _ = yamlsafe.parse(text)
    if problems or not isinstance(data, dict) or data.get("kind") != kinds.CHANGE.name:
        return None
    state, change_id = dig(data, "spec", "state"), dig(data, "metadata", "id")
    return Reading(
        state if isinstance(state, str) else None,
        change_id if isinstance(change_id, str) and change_id else None,
    )


def _instant(text: str) -> dt.datetime:
    """`%ct %ci` -> an aware datetime. Commits can carry any date git accepts;
    one that Python cannot represent counts as the epoch."""
    words = text.split()
    seconds, zone = (words[0], words[-1]) if words else ("", "")
    try:
        minutes = int(zone[1:3]) * 60 + int(zone[3:5])
        offset = dt.timezone(dt.timedelta(minutes=-minutes if zone[:1] == "-" else minutes))
        return dt.datetime.fromtimestamp(int(seconds), offset)
    except (ValueError, OverflowError, OSError):
        return _EPOCH


@dataclass
class _Track:
    """One file's lineage while walking the log; a rename keeps the track."""

    path: str
    # (commit index, blob oid); "" for a present but unreadable entry (a
    # symlink), None when the file was deleted or moved out of changes/
    events: list[tuple[int, str | None]]


class _Walk:
    """Follows every change file through the raw records of the log."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.root = prefix + kinds.CHANGES_DIR + "/"
        self.commits: list[Commit] = []
        self.tracks: list[_Track] = []
        self.live: dict[str, _Track] = {}

    def watched(self, name: bytes) -> str | None:
        """The catalog-relative path of a change document, or None."""
        path = name.decode("utf-8", "replace")
        if not path.startswith(self.root) or not path.endswith(".yaml"):
            return None
        rel = path[len(self.prefix) :]
        return None if any(part.startswith(".") for part in rel.split("/")) else rel

    def record(self, meta: list[bytes], names: list[bytes]) -> None:
        at = len(self.commits) - 1
        status = meta[4][:1]
        old = self.watched(names[0]) if status in (b"M", b"T", b"D", b"R") else None
        new = self.watched(names[-1]) if status != b"D" else None
        track = self.live.pop(old, None) if old is not None else None
        if new is None:
            if track is not None:
                track.events.append((at, None))
            return
        if track is None:
            track = self.live.pop(new, None)  # M/T of a known file
        if track is None:
            track = _Track(new, [])
            self.tracks.append(track)
        track.path = new
        self.live[new] = track
        track.events.append((at, meta[3].decode("ascii", "replace") if meta[1] in _REGULAR else ""))

    def parse(self, out: bytes) -> None:
        tokens = out.split(b"\0")
        index = 0
        while index < len(tokens):
            token = tokens[index].lstrip(b"\n")
            if token.startswith(b"\x01") and index + 3 < len(tokens):
                # positional: an author name may hold any byte but NUL
                sha, when, name, email = (
                    t.decode("utf-8", "replace") for t in tokens[index : index + 4]
                )
                self.commits.append(Commit(sha[1:], _instant(when), name, email))
                index += 4
            elif token.startswith(b":") and self.commits:
                meta = token[1:].split()
                two = len(meta) == 5 and meta[4][:1] in (b"R", b"C")
                names = tokens[index + 1 : index + (3 if two else 2)]
                index += 1 + len(names)
                if len(meta) == 5 and names:
                    self.record(meta, names)
            else:
                index += 1


def _timeline(
    key: str,
    path: str,
    events: list[tuple[int, str | None]],
    commits: list[Commit],
    readings: Mapping[str, Reading | None],
) -> Timeline | None:
    transitions: list[Transition] = []
    edits: list[Commit] = []
    state: str | None = None
    blob: str | None = None
    closed = False
    for at, oid in events:
        commit = commits[at]
        if closed and oid != blob and (not edits or edits[-1] is not commit):
            edits.append(commit)
        blob = oid
        reading = readings.get(oid) if oid else None
        if reading is None or reading.state is None:
            continue  # unreadable in this commit: skipped, the timeline goes on
        if reading.state != state:
            transitions.append(Transition(reading.state, commit))
            state = reading.state
        closed = closed or state in TERMINAL
    if not transitions:
        return None
    return Timeline(key, path, tuple(transitions), tuple(edits))


def _key(track: _Track, readings: Mapping[str, Reading | None]) -> str:
    """The id in the latest version that names one, else the file stem."""
    for _, oid in reversed(track.events):
        reading = readings.get(oid) if oid else None
        if reading is not None and reading.change_id is not None:
            return reading.change_id
    return track.path.rsplit("/", 1)[-1].removesuffix(".yaml")


def _empty(note: str) -> History:
    return History({}, 0, None, False, note)


def read_history(root: Path) -> History:
    """Every change request's timeline on HEAD's first-parent line.

    Not a git repository, or no commit yet: an empty history with a note.
    Raises SourceError when git fails on a repository it can read."""
    try:
        out = git(root, "rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository")
    except SourceError as error:
        reason = str(error).splitlines()[0].removeprefix("fatal: ")
        # git's own words when it refuses a repository (e.g. dubious ownership)
        return _empty("not a git repository" if "not a git repository" in reason else reason)
    lines = out.decode("utf-8", "replace").split("\n")
    if len(lines) < 3:
        return _empty("not a git repository")
    top, prefix, shallow = Path(lines[0]), lines[1], lines[2] == "true"
    try:
        head = git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").decode().strip()
    except SourceError:
        return _empty("no commits yet")
    out = git(
        top,
        # Settings that would change what the log prints (follow one path,
        # signatures, colour) are pinned, whatever the user's configuration.
        "-c", "log.follow=false", "-c", "log.showSignature=false", "-c", "color.ui=never",
        "log", "--reverse", "--first-parent", "--diff-merges=first-parent", "-M", "--raw",
        "--no-abbrev", "-z", _FORMAT, head, "--", prefix + kinds.CHANGES_DIR,
    )  # fmt: skip
    walk = _Walk(prefix)
    walk.parse(out)
    if not walk.commits:
        return History({}, 0, head, shallow, f"no commit touches {kinds.CHANGES_DIR}/")
    wanted = sorted({oid for t in walk.tracks for _, oid in t.events if oid})
    names = {oid: t.path for t in walk.tracks for _, oid in t.events if oid}
    readings = {
        oid: read_state(names[oid], blob) if blob is not None else None
        for oid, _, blob in stream_blobs(top, wanted, loader.MAX_FILE_BYTES)
    }
    grouped: dict[str, list[_Track]] = {}
    for track in walk.tracks:
        grouped.setdefault(_key(track, readings), []).append(track)
    timelines: dict[str, Timeline] = {}
    for key, members in grouped.items():
        # a file deleted and added again (or two files with one id) is one change
        events = sorted((e for t in members for e in t.events), key=lambda e: e[0])
        latest = max(members, key=lambda t: t.events[-1][0])
        timeline = _timeline(key, latest.path, events, walk.commits, readings)
        if timeline is not None:
            timelines[key] = timeline
    return History(dict(sorted(timelines.items())), len(walk.commits), head, shallow)
