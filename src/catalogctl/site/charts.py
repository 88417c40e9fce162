"""Small charts for the internal site, as inline SVG (no script, no CDN).

A bar chart is all the service-health page needs: one bar per month. The SVG
is built from numbers and escaped labels only, sized by a viewBox so it
scales with the page, and coloured through CSS variables of the theme so it
follows the light/dark toggle.
"""

from __future__ import annotations

from collections.abc import Sequence

from catalogctl.site.safehtml import text

WIDTH, HEIGHT = 640, 180
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT = 16, 28, 8


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float | None], unit: str = ""
) -> str:
    """An accessible bar chart: a `<figure>` with an SVG and a caption; a month
    without a value (None) gets no bar, only a dash on the axis."""
    if not labels:
        return ""
    top = max((v for v in values if v is not None), default=0.0) or 1.0
    slot = (WIDTH - MARGIN_LEFT) / len(labels)
    bar = max(slot * 0.6, 1.0)
    plot = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    parts = [
        f'<svg class="catalog-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{text(title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = MARGIN_LEFT + index * slot + (slot - bar) / 2
        centre = x + bar / 2
        if value is not None:
            height = plot * value / top
            y = MARGIN_TOP + plot - height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}">'
                f"<title>{text(label)}: {_fmt(value)}{text(unit)}</title></rect>"
            )
            parts.append(
                f'<text x="{centre:.1f}" y="{y - 3:.1f}" text-anchor="middle">{_fmt(value)}</text>'
            )
        else:
            parts.append(
                f'<text x="{centre:.1f}" y="{MARGIN_TOP + plot - 3:.1f}" '
                'text-anchor="middle">&#8211;</text>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - 8}" text-anchor="middle">{text(label)}</text>'
        )
    parts.append("</svg>")
    return (
        '<figure class="catalog-figure">' + "".join(parts) + f"<figcaption>{text(title)}"
        "</figcaption></figure>\n"
    )
