"""Server-side SVG bar charts for the public statistics (no JavaScript), each with a title,
a description and a data table beside it in the page. Withheld counts draw no bar."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

ROW = 22
LABEL_WIDTH = 170
BAR_WIDTH = 200
WIDTH = LABEL_WIDTH + BAR_WIDTH + 60


def bar_chart(figures: Sequence[Any], *, title: Any, description: Any, hidden: Any) -> SafeString:
    """Horizontal bars, one per figure; `hidden` is the text drawn for a withheld count, whose
    size is never drawn nor used for the scale."""
    shown = [f.count for f in figures if not f.withheld]
    top = max(shown, default=0) or 1  # zeros are shown: a group may have nothing else
    height = max(ROW * len(figures), ROW)
    rows = []
    for index, figure in enumerate(figures):
        y = index * ROW
        label = format_html(
            '<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>',
            LABEL_WIDTH - 6,
            y + 15,
            str(figure.label)[:28],
        )
        if figure.withheld:
            bar = format_html(
                '<text x="{}" y="{}" font-size="11" fill="#555">{}</text>',
                LABEL_WIDTH,
                y + 15,
                hidden,
            )
        else:
            width = max(1, round(BAR_WIDTH * figure.count / top)) if figure.count else 0
            bar = format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#1f5f8b"></rect>'
                '<text x="{}" y="{}" font-size="11">{}</text>',
                LABEL_WIDTH,
                y + 4,
                width,
                ROW - 8,
                LABEL_WIDTH + width + 4,
                y + 15,
                figure.count,
            )
        rows.append(label + bar)
    body = mark_safe("".join(rows))  # noqa: S308 -- every part built with format_html
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'class="chart" aria-labelledby="{}-t {}-d"><title id="{}-t">{}</title>'
        '<desc id="{}-d">{}</desc>{}</svg>',
        WIDTH,
        height,
        *(_id(title),) * 2,
        _id(title),
        title,
        _id(title),
        description,
        body,
    )


def _id(title: Any) -> str:
    """A stable id per chart title (the same bytes from every worker process)."""
    return f"chart-{zlib.crc32(str(title).encode()):08x}"
