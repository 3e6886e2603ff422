"""Bar charts drawn on the server as SVG: no script, no third party. Each chart is decorative
beside its table (the table carries the figures for screen readers); the SVG has a title."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Colour-blind-safe (Okabe–Ito), with enough contrast on white.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9"]


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int | None]  # None: suppressed, drawn as nothing


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> SafeString:
    """Grouped horizontal bars: one group per label, one bar per series, with a legend."""
    bar, gap, label_width, width = 10, 8, 180, 560
    top = 24 + 16 * len(series)
    group = bar * len(series) + gap
    height = top + group * max(len(labels), 1) + 10
    biggest = max([v for s in series for v in s.values if v] or [1])
    scale = (width - label_width - 40) / biggest
    legend = format_html_join(
        "",
        '<rect x="0" y="{}" width="12" height="12" fill="{}"></rect>'
        '<text x="18" y="{}" font-size="12">{}</text>',
        (
            (18 + 16 * k, COLOURS[k % len(COLOURS)], 28 + 16 * k, s.name)
            for k, s in enumerate(series)
        ),
    )
    bars = []
    for g, label in enumerate(labels):
        y0 = top + g * group
        bars.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>',
                label_width - 6,
                y0 + bar * len(series) / 2 + 4,
                label[:30],
            )
        )
        for k, s in enumerate(series):
            value = s.values[g]
            if value is None:
                continue
            length = round(value * scale, 1)
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                    '<text x="{}" y="{}" font-size="10">{}</text>',
                    label_width,
                    y0 + k * bar,
                    length,
                    bar - 1,
                    COLOURS[k % len(COLOURS)],
                    label_width + length + 3,
                    y0 + k * bar + bar - 2,
                    value,
                )
            )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-label="{t}" class="deelname-chart"><title>{t}</title>'
        '<text x="0" y="12" font-size="13" font-weight="bold">{t}</text>{legend}{bars}</svg>',
        w=width,
        h=height,
        t=title,
        legend=legend,
        bars=SafeString("".join(bars)),
    )
