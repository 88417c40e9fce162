"""The catalogs bench_site.py builds: one generated catalog, copied once per size.

In each copy exactly N live services are public and every other service is
internal (the same seeded shuffle for every size), and this repository's
site/ template is copied in. check_site() is what every build of a copy must
show: success, and catalog.json listing exactly the chosen services.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchcli import BenchError
from generate import TODAY, generate
from measure import Measure

SEED = 1
NOW = f"{TODAY.isoformat()}T12:00:00Z"  # every build's --now
TEMPLATE = Path(__file__).resolve().parent.parent / "site"

_LIFECYCLE = re.compile(r"^  lifecycle: (\S+)$", re.M)
_VISIBILITY = re.compile(r"^  visibility: (\S+)$", re.M)
_ID = re.compile(r"^  id: (\S+)$", re.M)


@dataclass
class Site:
    """One copy of the catalog with `public` public, live services."""

    public: int
    root: Path
    out: Path
    build: Measure
    pages: int = 0
    public_ids: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "empty" if self.public == 0 else f"{self.public:,} public"


def service_files(root: Path) -> list[Path]:
    return sorted((root / "catalog" / "services").rglob("*.yaml"))


def live_services(root: Path) -> list[tuple[Path, str]]:
    """(file, id) of every live service, in file order."""
    found: list[tuple[Path, str]] = []
    for path in service_files(root):
        text = path.read_text(encoding="utf-8")
        lifecycle = _LIFECYCLE.findall(text)
        ident = _ID.search(text)
        if len(lifecycle) != 1 or len(_VISIBILITY.findall(text)) != 1 or ident is None:
            raise BenchError(f"{path}: expected one spec.lifecycle, spec.visibility and id")
        if lifecycle[0] == "live":
            found.append((path, ident[1]))
    return found


def set_visibility(root: Path, public: set[str]) -> None:
    """Make exactly the services in `public` public, every other one internal."""
    for path in service_files(root):
        text = path.read_text(encoding="utf-8")
        ident = _ID.search(text)
        assert ident is not None  # checked by live_services on the base catalog
        wanted = "public" if ident[1] in public else "internal"
        new = _VISIBILITY.sub(f"  visibility: {wanted}", text, count=1)
        if new != text:
            path.write_text(new, encoding="utf-8")


def count_pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


def check_site(site: Site, stdout: str, stderr: str, exit_code: int) -> int:
    """The build succeeded and published exactly the chosen services; returns pages."""
    if exit_code != 0:
        raise BenchError(
            f"{site.label}: site build failed (exit {exit_code}):\n{stdout[-2000:]}{stderr[-4000:]}"
        )
    try:
        exported = json.loads((site.out / "catalog.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BenchError(f"{site.label}: no readable catalog.json in the site: {error}") from None
    services = exported.get("services", [])
    ids = sorted(s["id"] for s in services)
    if ids != sorted(site.public_ids) or any(s["lifecycle"] != "live" for s in services):
        raise BenchError(
            f"{site.label}: catalog.json lists {len(ids)} services, expected the "
            f"{len(site.public_ids)} chosen public live services"
        )
    return count_pages(site.out)


def prepare_sites(
    work: Path, entities: int, sizes: Sequence[int]
) -> tuple[list[Site], int, int, float]:
    """Generate the base catalog and one copy per size; (sites, live, natural public, s)."""
    base = work / "base"
    started = time.perf_counter()
    generate(base, entities, seed=SEED)
    generate_s = time.perf_counter() - started
    live = live_services(base)
    natural = sum(
        1 for path, _ in live if "  visibility: public\n" in path.read_text(encoding="utf-8")
    )
    if len(live) < max(sizes):
        raise BenchError(
            f"{entities:,} entities give {len(live):,} live services, fewer than "
            f"{max(sizes):,}; raise --entities (about 6 entities per live service)"
        )
    order = [ident for _, ident in live]
    random.Random(SEED).shuffle(order)
    sites: list[Site] = []
    for public in (0, *sizes):
        name = "empty" if public == 0 else f"public-{public}"
        root = work / name
        shutil.copytree(base, root)
        chosen = order[:public]
        set_visibility(root, set(chosen))
        shutil.copytree(TEMPLATE, root / "site")
        sites.append(Site(public, root, work / f"out-{name}", Measure(name), public_ids=chosen))
    shutil.rmtree(base)
    return sites, len(live), natural, generate_s
