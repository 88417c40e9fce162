"""The table bench_diff.py prints: one column per catalog size, then the targets."""

from __future__ import annotations

from collections import Counter
from typing import Any


def render(result: dict[str, Any]) -> str:
    sizes = result["sizes"]
    counts = Counter(e["change"][0] for e in sizes[0]["edits"] if e["change"])
    lines = [
        f"catalogctl diff benchmark: best of {result['repeat']}, {result['cpus']} CPUs, "
        f"Python {result['python']}, git {result['git']}, seed {result['seed']}, "
        f"objects {'packed' if result['packed'] else 'loose (as committed)'}, "
        f"bytecode {'cached (private prefix)' if result['bytecode_cache'] else 'as inherited'}",
        f"  commit B edits {result['files_edited']} files: {result['expected_changes']} entity "
        f"changes expected ({', '.join(f'{n} {op}' for op, n in sorted(counts.items()))}), "
        "plus 1 formatting-only edit; every diff run reported exactly those",
        "",
    ]
    head = f"{'':34}" + "".join(f"{s['entities']:>12,}" for s in sizes)
    lines += [
        head + "   entities",
        f"{'catalog files':34}" + "".join(f"{s['files']:>12,}" for s in sizes),
    ]
    rows = (
        ("python start-up (-c pass)", "python_startup"),
        ("catalogctl diff --help", "catalogctl_startup"),
        ("git diff-tree -r A B (floor)", "git_diff_tree"),
        ("diff A B --no-impact --format json", "diff_no_impact"),
        ("diff A B --format json (impact)", "diff_impact"),
        (f"lint --today {result['today']}", "lint"),
    )
    for label, key in rows:
        lines.append(f"{label:34}" + "".join(f"{s[key]['seconds']:>11.3f}s" for s in sizes))
    lines.append(
        f"{'peak MB: diff --no-impact':34}"
        + "".join(f"{s['diff_no_impact']['peak_mb']:>12.1f}" for s in sizes)
    )
    lines.append(
        f"{'peak MB: diff (impact)':34}"
        + "".join(f"{s['diff_impact']['peak_mb']:>12.1f}" for s in sizes)
    )
    lines.append(
        f"{'diff --no-impact / lint':34}"
        + "".join(f"{s['no_impact_over_lint']:>12.3f}" for s in sizes)
    )
    lines.append(
        f"{'lint result (edited tree)':34}"
        + "".join(f"{s['lint_summary'].split(',')[0]:>12}" for s in sizes)
    )
    targets = result["targets"]
    verdict = {True: "PASS", False: "FAIL", None: "n/a (one size)"}
    lines += [
        "",
        f"target 1: diff --no-impact on {targets['entities']:,} <= {targets['lint_ratio_max']}x "
        f"lint on the same tree: {verdict[targets['lint_ratio_ok']]} "
        f"({targets['lint_ratio']:.3f}x)",
    ]
    if targets["scale_ratio"] is None:
        lines.append(f"target 2: {verdict[None]}")
    else:
        lines.append(
            f"target 2: diff --no-impact on {targets['entities']:,} within "
            f"{targets['scale_ratio_max']}x of {targets['scale_from']:,}: "
            f"{verdict[targets['scale_ratio_ok']]} ({targets['scale_ratio']:.2f}x)"
        )
    return "\n".join(lines)
