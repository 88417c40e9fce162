"""The schemas a run validates against, named by their content before compiling.

Compiling the schemas imports jsonschema and costs tens of milliseconds; a run
whose every file comes from the result cache needs neither, only the
schemas' identity (their fingerprint, part of each cached result).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from catalogctl.load.schemas import SchemaSet


@dataclass(frozen=True)
class SchemaRef:
    """Schema texts by file name; compiled on first use."""

    texts: tuple[tuple[str, str], ...]
    _compiled: list[SchemaSet] = field(default_factory=list, compare=False, repr=False)

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
