"""Data files the tool ships: inside the wheel, or in a source checkout.

The wheel build places the repository's `schemas/` and `site/` inside the
package (pyproject.toml, `force-include`); a checkout reads them at the root.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_CHECKOUT = Path(__file__).resolve().parents[3]


def bundled(in_wheel: str, in_checkout: str) -> Path:
    packaged = _PACKAGE / in_wheel
    return packaged if packaged.is_dir() else _CHECKOUT / in_checkout


def schemas_dir() -> Path:
    return bundled("schemas", "schemas")


def site_template_dir() -> Path:
    """The MkDocs project a catalog without its own site/ is built with."""
    return bundled("site_template", "site")
