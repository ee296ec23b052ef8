"""Server-rendered inline SVG charts (no JavaScript): quadrant, trend lines, horizontal bars.

Every chart is `role="img"` with a <title> and <desc>; the page puts the same figures in a table
next to it (the text alternative). Output is escaped and marked safe here.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from praja.modules.performance.tpp import rules

WIDTH, HEIGHT, PAD = 360, 300, 44
COLOURS = {
    rules.QUADRANT_BOTH: "#1a7f37",
    rules.QUADRANT_PRODUCTIVE_ONLY: "#9a6700",
    rules.QUADRANT_DISCIPLINED_ONLY: "#0969da",
    rules.QUADRANT_NEITHER: "#cf222e",
}


def _x(value: float) -> float:
    return PAD + (WIDTH - PAD - 10) * max(0.0, min(100.0, value)) / 100


def _y(value: float) -> float:
    return HEIGHT - PAD - (HEIGHT - PAD - 10) * max(0.0, min(100.0, value)) / 100


def _frame(chart_id: str, title: str, desc: str, body: list[str], width=WIDTH, height=HEIGHT) -> SafeString:
    # Every text in the chart went through escape(); the rest are numbers this module formats.
    return mark_safe(  # noqa: S308
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="tpp-chart">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc '
        f'id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _axes(x_label: str, y_label: str) -> list[str]:
    parts = [
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - 10}" y2="{HEIGHT - PAD}" stroke="#57606a"/>',
        f'<line x1="{PAD}" y1="10" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#57606a"/>',
    ]
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<text x="{_x(tick):.1f}" y="{HEIGHT - PAD + 14}" font-size="10" '
            f'text-anchor="middle">{tick}</text>'
        )
        parts.append(
            f'<text x="{PAD - 6}" y="{_y(tick) + 3:.1f}" font-size="10" text-anchor="end">{tick}</text>'
        )
    parts.append(
        f'<text x="{(PAD + WIDTH) / 2:.0f}" y="{HEIGHT - 8}" font-size="11" '
        f'text-anchor="middle">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text x="12" y="{HEIGHT / 2:.0f}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 12 {HEIGHT / 2:.0f})">{escape(y_label)}</text>'
    )
    return parts


def quadrant_svg(
    points: Sequence[tuple[float, float, str]],
    counts: dict[str, int],
    *,
    binned: bool = False,
    threshold=rules.DEFAULT_QUADRANT_THRESHOLD,
    chart_id: str = "tpp-quadrant",
) -> SafeString:
    """Productivity (x) × discipline (y) with the quadrant lines at `threshold` (default 75/75)."""
    limit = float(threshold)
    labels = rules.quadrant_labels()
    body = _axes(_("Produktivitas (%)"), _("Disiplin (%)"))
    body.append(
        f'<line x1="{_x(limit):.1f}" y1="10" x2="{_x(limit):.1f}" y2="{HEIGHT - PAD}" stroke="#8c959f" '
        f'stroke-dasharray="4 3"/>'
    )
    body.append(
        f'<line x1="{PAD}" y1="{_y(limit):.1f}" x2="{WIDTH - 10}" y2="{_y(limit):.1f}" stroke="#8c959f" '
        f'stroke-dasharray="4 3"/>'
    )
    corners = {
        rules.QUADRANT_BOTH: (WIDTH - 14, 22, "end"),
        rules.QUADRANT_DISCIPLINED_ONLY: (PAD + 4, 22, "start"),
        rules.QUADRANT_PRODUCTIVE_ONLY: (WIDTH - 14, HEIGHT - PAD - 6, "end"),
        rules.QUADRANT_NEITHER: (PAD + 4, HEIGHT - PAD - 6, "start"),
    }
    for key, (x, y, anchor) in corners.items():
        body.append(
            f'<text x="{x}" y="{y}" font-size="10" text-anchor="{anchor}" fill="{COLOURS[key]}">'
            f"{escape(labels[key])}: {counts.get(key, 0)}</text>"
        )
    largest = max((int(name) for _p, _d, name in points), default=1) if binned else 1
    for productivity, discipline, name in points:
        key = rules.quadrant_of(
            productivity, discipline, productivity_threshold=limit, discipline_threshold=limit
        )
        radius = 3 + 9 * (int(name) / largest) ** 0.5 if binned else 4
        tip = _("%(count)s pegawai") % {"count": name} if binned else name
        body.append(
            f'<circle cx="{_x(productivity):.1f}" cy="{_y(discipline):.1f}" r="{radius:.1f}" '
            f'fill="{COLOURS[key]}" fill-opacity="0.7"><title>{escape(tip)}: '
            f"{productivity:.2f} % / {discipline:.2f} %</title></circle>"
        )
    desc = "; ".join(f"{labels[key]}: {counts.get(key, 0)}" for key in labels)
    title = _("Kuadran produktivitas × disiplin (batas %(limit)s %%)") % {
        "limit": rules.format_percent(limit)[:-2]
    }
    return _frame(chart_id, title, desc, body)


def line_svg(
    labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[Decimal]]], *, title: str, chart_id: str
) -> SafeString:
    """Percent lines (0–100) over months; `series` = [(name, colour, values)]."""
    body = _axes(_("Bulan"), "%")
    count = len(labels)
    step = (WIDTH - PAD - 30) / max(count - 1, 1)
    for index, label in enumerate(labels):
        x = PAD + 10 + index * step
        body.append(
            f'<text x="{x:.1f}" y="{HEIGHT - PAD + 26}" font-size="9" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    legend_y = 14
    for name, colour, values in series:
        coords = [(PAD + 10 + index * step, _y(float(value))) for index, value in enumerate(values)]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for (x, y), value in zip(coords, values, strict=False):
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>{escape(name)}: {value} '
                f"%</title></circle>"
            )
        body.append(
            f'<text x="{WIDTH - 14}" y="{legend_y}" font-size="10" text-anchor="end" '
            f'fill="{colour}">{escape(name)}</text>'
        )
        legend_y += 13
    desc = "; ".join(
        f"{name}: " + ", ".join(f"{label} {value} %" for label, value in zip(labels, values, strict=False))
        for name, _colour, values in series
    )
    return _frame(chart_id, title, desc, body)


def bar_svg(
    rows: Sequence[tuple[str, Decimal]], *, title: str, chart_id: str, colour: str = "#0969da"
) -> SafeString:
    """Horizontal percent bars (0–100), one per row label."""
    bar, gap, left = 16, 6, 150
    height = max(40, 20 + len(rows) * (bar + gap))
    width = WIDTH + 80
    body = []
    for index, (label, value) in enumerate(rows):
        y = 10 + index * (bar + gap)
        length = (width - left - 60) * max(0.0, min(100.0, float(value))) / 100
        short = label if len(label) <= 24 else label[:23] + "…"
        body.append(
            f'<text x="{left - 6}" y="{y + 12}" font-size="10" text-anchor="end">{escape(short)}</text>'
        )
        body.append(
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" '
            f'fill="{colour}"><title>{escape(label)}: {value} %</title></rect>'
        )
        body.append(f'<text x="{left + length + 4:.1f}" y="{y + 12}" font-size="10">{value} %</text>')
    desc = "; ".join(f"{label}: {value} %" for label, value in rows)
    return _frame(chart_id, title, desc, body, width=width, height=height)
