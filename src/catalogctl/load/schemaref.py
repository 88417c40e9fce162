"""The schemas a run validates against, named by their content before compiling.

Compiling the schemas imports jsonschema and costs tens of milliseconds; a run
whose every file comes from the result cache needs neither, only the
schemas' identity (their fingerprint, part of each cached result). A run
that does validate files asks `valid` first: the compiled validity check
(`verdict`) answers for almost every file without jsonschema, which then
runs only to explain a file that is invalid.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from catalogctl.load import kinds
from catalogctl.load.schemafiles import shipped_texts

if TYPE_CHECKING:
    from catalogctl.load.schemas import SchemaSet
    from catalogctl.load.verdict import Check

_KINDS = {kind.name: kind.schema for kind in (*kinds.ENTITY_KINDS, kinds.POLICY)}


@dataclass(frozen=True)
class SchemaRef:
    """Schema texts by file name; compiled on first use."""

    texts: tuple[tuple[str, str], ...]
    _compiled: list[SchemaSet] = field(default_factory=list, compare=False, repr=False)
    _checks: list[dict[str, Check | None]] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def of(cls, texts: Mapping[str, str]) -> SchemaRef:
        return cls(tuple(sorted(texts.items())))

    @classmethod
    def wrap(cls, compiled: SchemaSet) -> SchemaRef:
        """A reference to schemas compiled already (their documents, re-serialised)."""
        texts = {name: json.dumps(doc, sort_keys=True) for name, doc in compiled.documents.items()}
        ref = cls.of(texts)
        ref._compiled.append(compiled)
        return ref

    @property
    def fingerprint(self) -> str:
        digest = hashlib.blake2b(digest_size=10)
        for name, text in self.texts:
            digest.update(f"{len(name)}:{name}{len(text)}:".encode())
            digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def compiled(self) -> SchemaSet:
        """The validators (SchemaLoadError when the texts are no usable schemas)."""
        if not self._compiled:
            from catalogctl.load.schemas import SchemaSet

            self._compiled.append(SchemaSet.from_texts(dict(self.texts)))
        return self._compiled[0]

    def checks(self) -> Mapping[str, Check | None]:
        """Each kind's compiled validity check (None: jsonschema decides).

        The tool's own schemas are inlined without `referencing` or jsonschema
        (they are known to be valid schemas). Any other set is compiled as
        before, `check_schema` included, and SchemaLoadError raised as before;
        its checks are made from the very schemas jsonschema validates with."""
        if not self._checks:
            from catalogctl.load import inline, verdict

            schemas: dict[str, Any] | None = None
            shipped = shipped_texts()
            if not self._compiled and all(shipped.get(n) == t for n, t in self.texts):
                try:
                    schemas = inline.inline_all(dict(self.texts), _KINDS)
                except (inline.Unsupported, RecursionError):
                    schemas = None
            if schemas is None:
                validators = self.compiled().validators
                schemas = {kind: validators[kind].schema for kind in _KINDS}
            self._checks.append({k: verdict.compile_kind(s) for k, s in schemas.items()})
        return self._checks[0]

    def valid(self, kind: str, document: Any) -> bool:
        """True only when jsonschema would find no error in `document`; False
        when it would, or when the check cannot tell (then ask `compiled`)."""
        check = self.checks().get(kind)
        return check is not None and check(document)
