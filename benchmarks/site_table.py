"""The tables bench_site.py prints: builds per size, where the time goes, targets."""

from __future__ import annotations

from typing import Any


def render(result: dict[str, Any]) -> str:
    counts = result["counts"]
    versions = result["versions"]
    tools = ", ".join(f"{name} {v}" for name, v in versions.items())
    lines = [
        f"catalogctl site build benchmark: best of {result['repeat']}, {result['cpus']} CPUs, "
        f"Python {result['python']}, {tools}",
        f"  one {result['entities']:,}-entity catalog (seed {result['seed']}): "
        f"{counts['services']:,} services, {counts['live_services']:,} live "
        f"({counts['public_live_as_generated']:,} public as generated); generated in "
        f"{result['generate_s']:.2f} s",
        "  the sites differ only in which live services are public; "
        f"--now {result['now']} --strict; bytecode "
        f"{'cached (private prefix)' if result['bytecode_cache'] else 'as inherited'}",
        "",
        f"{'site':14}{'public':>8}{'pages':>8}{'seconds':>10}{'ms/page*':>10}{'peak MB':>9}"
        f"{'floor s':>9}{'floor ms/p':>12}{'x floor':>9}",
    ]
    for row in result["sites"]:
        per_page = f"{row['ms_per_page']:.2f}" if row["ms_per_page"] is not None else "-"
        floor = row["trivial_ms_per_page"]
        ratio = row["margin_ratio"]
        lines.append(
            f"{row['label']:14}{row['public_services']:>8,}{row['pages']:>8,}"
            f"{row['seconds']:>10.2f}{per_page:>10}{row['peak_mb']:>9.1f}"
            f"{row['trivial_seconds']:>9.2f}{(f'{floor:.2f}' if floor is not None else '-'):>12}"
            f"{(f'{ratio:.2f}x' if ratio is not None else '-'):>9}"
        )
    lines.append("* build time per page above the empty site")
    lines.append(
        "floor: a trivial Material site of the same page count (site_trivial.py); "
        "x floor = ms/page / floor ms/page"
    )
    growth = result["growth"]
    if growth["build_ratio"] is not None:
        lines.append(
            f"growth {growth['from']} -> {growth['to']}: build {growth['build_ratio']:.2f}x "
            f"for {growth['pages_ratio']:.2f}x the pages; above the empty site "
            f"{growth['above_empty_ratio']:.2f}x for {growth['pages_above_empty_ratio']:.2f}x "
            "the pages"
        )
    if all("breakdown" in row for row in result["sites"]):
        lines += [
            "",
            f"where the time goes: instrumented builds, each part best of {result['repeat']} "
            "(seconds; ms/page above the empty site):",
            f"{'site':14}{'start-up':>9}{'lint':>7}{'generate':>9}{'write':>7}{'mkdocs':>8}"
            f"{'rest':>6}{'wall':>8}{'gen ms/p':>10}{'mkdocs ms/p':>13}",
        ]
        for row in result["sites"]:
            part = row["breakdown"]
            gen = part.get("generate_ms_per_page")
            mk = part.get("mkdocs_ms_per_page")
            lines.append(
                f"{row['label']:14}{part['startup_s']:>9.2f}{part['lint_s']:>7.2f}"
                f"{part['generate_s']:>9.2f}{part['write_s']:>7.2f}{part['mkdocs_s']:>8.2f}"
                f"{part['rest_s']:>6.2f}{part['wall_s']:>8.2f}"
                f"{(f'{gen:.2f}' if gen is not None else '-'):>10}"
                f"{(f'{mk:.2f}' if mk is not None else '-'):>13}"
            )
    targets = result["targets"]
    verdict = {True: "PASS", False: "FAIL"}
    per_size = ", ".join(
        f"{row['label']}: {row['ms_per_page']:.2f} ms"
        for row in result["sites"]
        if row["ms_per_page"] is not None
    )
    lines += [
        "",
        f"target: <= {targets['ms_per_page_max']:.1f} ms per page above the empty site: "
        f"{verdict[targets['ms_per_page_ok']]} ({per_size})",
        f"target: <= {targets['margin_ratio_max']:.1f}x a trivial page at the margin: "
        f"{verdict[targets['margin_ratio_ok']]} ("
        + ", ".join(
            f"{row['label']}: {row['margin_ratio']:.2f}x"
            for row in result["sites"]
            if row["margin_ratio"] is not None
        )
        + ")",
    ]
    if targets["scale_ratio"] is not None:
        lines.append(
            f"target: {growth['to']} build within {targets['scale_ratio_max']:.1f}x the "
            f"{growth['from']} build: {verdict[targets['scale_ratio_ok']]} "
            f"({targets['scale_ratio']:.2f}x)"
        )
    else:
        lines.append("target: scale ratio: not measured (one size only)")
    return "\n".join(lines)
