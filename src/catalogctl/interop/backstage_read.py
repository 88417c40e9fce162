"""Backstage descriptor files -> checked descriptors, read only from the given paths.

A descriptor file may hold several YAML documents (`---`); each one is read
with the catalog's own safe YAML dialect (no tags, anchors or aliases, no
control characters, 1 MiB per file), so a hostile descriptor is refused
with its file, line and column. `Location` documents are followed only to
files inside the given paths; URL targets are never fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalogctl.interop.names import EntityRef, parse_ref, valid_name, valid_namespace
from catalogctl.load import loader, yamlsafe
from catalogctl.load.errors import UsageError

API_VERSIONS = ("backstage.io/v1alpha1", "backstage.io/v1beta1")
# Kinds the import reads; any other kind (Template, Environment...) is noted and left.
KINDS = {k.lower(): k for k in ("Component", "Resource", "Group", "User", "System", "Domain")}
KINDS.update({"api": "API", "location": "Location"})
_DOC_START = re.compile(r"^---(?=[ \t\r\n]|$)")
_DOC_END = re.compile(r"^\.\.\.(?=[ \t\r\n]|$)")
_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Descriptor:
    """One Backstage entity as written, with where it was read."""

    kind: str  # canonical spelling: Component, API, ...
    ref: EntityRef
    data: dict[str, Any]
    where: str  # file:line

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.data.get("metadata")
        return meta if isinstance(meta, dict) else {}

    @property
    def spec(self) -> dict[str, Any]:
        spec = self.data.get("spec")
        return spec if isinstance(spec, dict) else {}

    def annotation(self, key: str) -> str | None:
        notes = self.metadata.get("annotations")
        value = notes.get(key) if isinstance(notes, dict) else None
        return value if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class Skipped:
    """Something that was not imported: what, where, why."""

    what: str
    reason: str


@dataclass
class ReadResult:
    descriptors: list[Descriptor] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: int = 0


def listed(value: Any) -> list[Any]:
    """A list field as a list; anything else (a string, a mapping) as empty,
    so that a descriptor's `tags: java` is not read letter by letter."""
    return value if isinstance(value, list) else []


def split_documents(text: str) -> list[tuple[int, str]]:
    """(0-based first line, text) of each YAML document in a stream.

    `---` and `...` at the start of a line always end a document in YAML
    (inside a block scalar too), so splitting there is what a parser does;
    each piece is then parsed alone by the strict reader. The marker is
    blanked rather than cut, so columns stay those of the file."""
    documents: list[tuple[int, str]] = []
    start, lines = 0, list[str]()
    for number, line in enumerate(text.splitlines(keepends=True)):
        if _DOC_START.match(line):
            documents.append((start, "".join(lines)))
            start, lines = number, ["   " + line[3:]]
        elif _DOC_END.match(line):
            documents.append((start, "".join(lines)))
            start, lines = number + 1, []
        else:
            # a directive (%YAML) belongs to the next document's header: blank it
            lines.append("\n" if line.startswith("%") else line)
    documents.append((start, "".join(lines)))
    return [(first, doc) for first, doc in documents if _has_content(doc)]


def _has_content(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


class _Reader:
    def __init__(self, roots: list[Path], base: Path) -> None:
        self.roots = roots
        self.base = base
        self.result = ReadResult()
        self.seen: set[Path] = set()
        self.refs: dict[EntityRef, str] = {}

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.base).as_posix()
        except ValueError:
            return str(path)

    def inside(self, path: Path) -> bool:
        return any(path == root or path.is_relative_to(root) for root in self.roots)

    def skip(self, what: str, reason: str) -> None:
        self.result.skipped.append(Skipped(what, reason))

    def read_path(self, path: Path) -> None:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                if found.suffix.lower() in _SUFFIXES and found.is_file() and not hidden:
                    self.read_file(found)
        else:
            self.read_file(path)

    def read_file(self, path: Path) -> None:
        real = path.resolve()
        if real in self.seen:
            return
        self.seen.add(real)
        shown = self.shown(path)
        if not self.inside(real):
            self.skip(shown, "outside the given paths (a link leads out); not read")
            return
        self.result.files += 1
        raw = real.read_bytes()
        text, refusal = loader.decode(shown, raw)
        if text is None:
            assert refusal is not None
            self.skip(f"{shown}:{refusal.line}:{refusal.column}", refusal.message)
            return
        for first, document in split_documents(text):
            self.read_document(path, shown, first, document)

    def read_document(self, path: Path, shown: str, first: int, text: str) -> None:
        data, problems, root = yamlsafe.parse(text)
        if problems:
            problem = problems[0]
            self.skip(f"{shown}:{problem.line + first}:{problem.column}", problem.message)
            return

        def at(*path: str) -> str:
            line, column = yamlsafe.locate(root, path)
            return f"{shown}:{line + first}:{column}"

        where = f"{shown}:{yamlsafe.locate(root, ())[0] + first}"
        api_version = data.get("apiVersion")
        if not isinstance(api_version, str) or not api_version.startswith("backstage.io/"):
            self.result.notes.append(f"{where}: not a Backstage descriptor (apiVersion); ignored")
            return
        if api_version not in API_VERSIONS:
            self.skip(
                at("apiVersion"),
                f"apiVersion {api_version} is not one of {', '.join(API_VERSIONS)}",
            )
            return
        kind_text = data.get("kind")
        kind = KINDS.get(kind_text.lower()) if isinstance(kind_text, str) else None
        if kind is None:
            self.result.notes.append(f"{where}: kind {kind_text!r} is not imported; ignored")
            return
        meta = data.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        namespace = meta.get("namespace", "default") if isinstance(meta, dict) else "default"
        if not valid_name(name):
            self.skip(
                at("metadata", "name"),
                f"{kind} metadata.name {name!r} is not a valid Backstage name "
                "(1-63 letters, digits, '-', '_' or '.', starting and ending with a letter "
                "or digit); Backstage itself rejects it",
            )
            return
        if not valid_namespace(namespace):
            self.skip(
                at("metadata", "namespace"),
                f"metadata.namespace {namespace!r} is not a valid Backstage namespace",
            )
            return
        missing = self.missing_spec(kind, data.get("spec"))
        ref = EntityRef(kind.lower(), str(namespace).lower(), str(name).lower())
        if missing:
            self.skip(f"{ref} ({at('spec')})", f"spec.{missing}; Backstage itself rejects it")
            return
        if ref in self.refs:
            self.skip(f"{ref} ({where})", f"defined twice (first at {self.refs[ref]})")
            return
        self.refs[ref] = where
        descriptor = Descriptor(kind, ref, data, where)
        if kind == "Location":
            self.follow(path, descriptor)
        else:
            self.result.descriptors.append(descriptor)

    @staticmethod
    def missing_spec(kind: str, spec: object) -> str | None:
        """What is wrong with the first field Backstage's schema for `kind`
        requires that is absent or of the wrong type, or None."""
        required = {
            "Component": ("type", "lifecycle", "owner"),
            "Resource": ("type", "owner"),
            "Group": ("type", "children"),
            "User": ("memberOf",),
            "System": ("owner",),
            "Domain": ("owner",),
            "API": ("type", "lifecycle", "owner", "definition"),
        }.get(kind, ())
        if not required:
            return None
        if not isinstance(spec, dict):
            return f"{required[0]} is missing"
        for name in required:
            value = spec.get(name)
            if name in ("children", "memberOf"):
                if not isinstance(value, list):
                    return f"{name} is missing" if value is None else f"{name} is not a list"
            elif name == "definition":
                if value is None:
                    return f"{name} is missing"
            elif not (isinstance(value, str) and value):
                return f"{name} is missing" if value is None else f"{name} is not a text"
        return None

    def follow(self, path: Path, location: Descriptor) -> None:
        spec = location.spec
        kind = spec.get("type", "file")
        targets = [spec["target"]] if isinstance(spec.get("target"), str) else []
        targets += [t for t in listed(spec.get("targets")) if isinstance(t, str)]
        for target in targets:
            if kind != "file" or "://" in target:
                self.result.notes.append(
                    f"{location.where}: Location target {target} is not followed "
                    "(only files inside the given paths are read, never the network)"
                )
                continue
            folder = path.parent
            matches = sorted(folder.glob(target)) if any(c in target for c in "*?[") else []
            for found in matches or [folder / target]:
                real = found.resolve()
                if not self.inside(real):
                    self.skip(
                        f"{location.where}", f"Location target {target} is outside the given paths"
                    )
                elif not real.is_file():
                    self.skip(f"{location.where}", f"Location target {target} does not exist")
                else:
                    self.read_file(found)


def read(paths: list[Path], base: Path) -> ReadResult:
    """Every descriptor in `paths` (files or folders, searched for *.yaml and
    *.yml, hidden folders left out), following file Locations inside them
    (inside a given file's folder, for a file)."""
    if not paths:
        raise UsageError("give at least one file or folder of Backstage descriptors")
    roots = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path} does not exist; give a descriptor file or a folder")
        # a file admits its folder: a repository's root catalog-info.yaml
        # usually lists the descriptors beside and below it
        roots.append(path.resolve() if path.is_dir() else path.resolve().parent)
    reader = _Reader(roots, base)
    for path in paths:
        reader.read_path(path)
    given = ", ".join(map(str, paths))
    if reader.result.files == 0:
        raise UsageError(f"no .yaml or .yml files in {given}")
    if not reader.result.descriptors and not reader.result.skipped:
        raise UsageError(f"no Backstage descriptors (apiVersion backstage.io/...) in {given}")
    return reader.result


def owner_ref(descriptor: Descriptor, field_name: str = "owner") -> EntityRef | None:
    """An owner ref of a descriptor (kind defaults to group, as in Backstage)."""
    value = descriptor.spec.get(field_name)
    if not isinstance(value, str):
        return None
    return parse_ref(value, "group", descriptor.ref.namespace)
