"""The score chart: each pattern's score split by criterion, as server-rendered SVG.

Diverging stacked horizontal bars around zero: contributions in a pattern's favour stack to the
right of the zero line, contributions against it to the left, one colour per criterion (with a
legend), the total written at the end of the bar; excluded patterns are drawn faded and
labelled. The same SVG goes into the page and into the PDF decision record, so it is
self-contained: no JavaScript, no CSS (WeasyPrint ignores a CSS font-family in inline SVG, and
a strict CSP blocks style attributes), presentation attributes only, sizes in viewBox units.
Every text is escaped. The numbers are also given by `score_breakdown` for a data table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Okabe-Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
WIDTH = 800
PAD = 16
TOTAL_ROOM = 130  # right of the longest bar, for the total
ROW = 56
BAR = 22
FONT = 14
TEXT = "#212529"
MUTED = "#495057"
EXCLUDED = "#b02a37"

Criteria = list[tuple[str, str]]  # [(key, display name)], in legend order
Colours = dict[str, str]  # criterion key -> fill


def _number(value: float) -> str:
    """An SVG coordinate: at most two decimals, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def _signed(value: float) -> str:
    text = f"{value:g}"
    return f"+{text}" if value > 0 else text.replace("-", "−")


def _text_width(text: str, size: float) -> float:
    """A rough width estimate: wide (CJK) characters 1em, others 0.6em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.6 * size for ch in text)


class ChartReason(Protocol):
    @property
    def criterion(self) -> str: ...
    @property
    def effect(self) -> int: ...


class ChartEntry(Protocol):
    """What the chart reads of an option: an `ExplainedPattern`, or a record's option."""

    @property
    def pattern(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def score(self) -> int: ...
    @property
    def excluded(self) -> bool: ...
    @property
    def reasons(self) -> Sequence[ChartReason]: ...


def score_breakdown(
    entries: Iterable[ChartEntry], criteria: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Per entry: its name, score, exclusion and the sum per criterion (criteria order).

    `entries` are `Explanation.entries` (or a record's options); reasons on a criterion
    missing from `criteria` count in the total only.
    """
    rows = []
    for entry in entries:
        sums = dict.fromkeys((key for key, _name in criteria), 0)
        positive = dict.fromkeys(sums, 0)
        negative = dict.fromkeys(sums, 0)
        for reason in entry.reasons:
            key = reason.criterion
            if key not in sums:
                continue
            sums[key] += reason.effect
            if reason.effect > 0:
                positive[key] += reason.effect
            else:
                negative[key] += reason.effect
        rows.append(
            {
                "pattern": entry.pattern,
                "name": entry.name,
                "score": entry.score,
                "excluded": entry.excluded,
                "by_criterion": [sums[key] for key, _name in criteria],
                "positive": [positive[key] for key, _name in criteria],
                "negative": [negative[key] for key, _name in criteria],
            }
        )
    return rows


def score_chart_svg(
    entries: Iterable[ChartEntry],
    criteria: list[tuple[str, str]],
    *,
    title: str,
    description: str,
    font_family: str = "Noto Sans JP, sans-serif",
    chart_id: str = "score-chart",
) -> SafeString:
    """The chart as an inline `<svg>` element (a SafeString: every text in it is escaped).

    `criteria` is [(key, display name)] in legend order; `chart_id` prefixes the element ids
    (give each chart on one page its own).
    """
    chart_id = re.sub(r"[^A-Za-z0-9_-]", "", chart_id) or "score-chart"
    rows = score_breakdown(entries, criteria)
    colours = {key: PALETTE[i % len(PALETTE)] for i, (key, _name) in enumerate(criteria)}
    max_pos = max((sum(r["positive"]) for r in rows), default=0)
    max_neg = max((-sum(r["negative"]) for r in rows), default=0)
    plot = WIDTH - 2 * PAD - TOTAL_ROOM
    scale = plot / (max_pos + max_neg) if max_pos + max_neg else 0
    zero = PAD + (max_neg * scale if scale else plot / 2)

    top = 24
    parts = _direction_labels(zero, top)
    y = top + 12
    for row in rows:
        parts += _bar_row(row, criteria, colours, _Axis(zero, scale), y)
        y += ROW
    last_bar = y - ROW + FONT + 6 + BAR if rows else y
    legend, height = _legend(criteria, colours, y=last_bar + 20)
    parts += legend

    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="score-chart" '
        f'viewBox="0 0 {WIDTH} {_number(height)}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{escape(font_family)}" font-size="{FONT}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # noqa: S308 - every text is escaped


def _direction_labels(zero: float, top: int) -> list[str]:
    """ "against" and "in favour" above the bars, either side of the zero line."""
    against, in_favour = _("← against"), _("in favour →")  # outside f-strings for makemessages
    return [
        f'<text x="{_number(zero - 6)}" y="{top}" text-anchor="end" font-size="12" '
        f'fill="{MUTED}">{escape(against)}</text>',
        f'<text x="{_number(zero + 6)}" y="{top}" font-size="12" '
        f'fill="{MUTED}">{escape(in_favour)}</text>',
    ]


class _Axis(NamedTuple):
    """Where a score falls across the chart: x of the zero line, width of one point."""

    zero: float
    scale: float


def _bar_row(
    row: dict[str, Any], criteria: Criteria, colours: Colours, axis: _Axis, y: float
) -> list[str]:
    """One pattern: its name, its bar (faded and outlined when excluded), its total."""
    name = escape(row["name"])
    label = f'<tspan font-weight="bold">{name}</tspan>'
    if row["excluded"]:
        excluded = _("excluded")  # outside the f-string for makemessages
        label += f' <tspan fill="{EXCLUDED}">({escape(excluded)})</tspan>'
    parts = [f'<text x="{PAD}" y="{_number(y + FONT)}" fill="{TEXT}">{label}</text>']
    bar_y = y + FONT + 6
    group = f'<g data-pattern="{escape(row["pattern"])}"'
    group += ' data-excluded="true">' if row["excluded"] else ">"
    parts.append(group)
    segments, left, right = _segments(row, criteria, colours, axis, bar_y)
    zero = axis.zero
    parts += segments
    if row["excluded"]:
        parts.append(
            f'<rect x="{_number(left)}" y="{_number(bar_y)}" '
            f'width="{_number(max(right - left, 2))}" height="{BAR}" fill="none" '
            f'stroke="{EXCLUDED}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    total = _("Fit %(score)s / 100") % {"score": row["score"]}
    parts.append(
        f'<text x="{_number(right + 8)}" y="{_number(bar_y + BAR - 6)}" font-weight="bold" '
        f'fill="{TEXT}">{escape(total)}</text>'
    )
    parts.append("</g>")
    # the zero line, beside each bar only (never across the names)
    parts.append(
        f'<line x1="{_number(zero)}" y1="{_number(bar_y - 4)}" x2="{_number(zero)}" '
        f'y2="{_number(bar_y + BAR + 4)}" stroke="{TEXT}" stroke-width="1.5"/>'
    )
    return parts


def _segments(
    row: dict[str, Any], criteria: Criteria, colours: Colours, axis: _Axis, bar_y: float
) -> tuple[list[str], float, float]:
    """The bar's rectangles, one per criterion and direction, stacked out from the zero line;
    with the bar's left and right ends."""
    opacity = ' fill-opacity="0.35"' if row["excluded"] else ""
    parts = []
    right = left = axis.zero
    for (key, crit_name), pos, neg in zip(criteria, row["positive"], row["negative"], strict=True):
        for amount, direction in ((pos, 1), (neg, -1)):
            if not amount:
                continue
            width = abs(amount) * axis.scale
            if direction > 0:
                x, right = right, right + width
            else:
                left -= width
                x = left
            parts.append(
                f'<rect x="{_number(x)}" y="{_number(bar_y)}" width="{_number(width)}" '
                f'height="{BAR}" fill="{colours[key]}"{opacity} stroke="#ffffff" '
                f'stroke-width="1"><title>{escape(crit_name)}: {_signed(amount)}</title></rect>'
            )
    return parts, left, right


def _legend(criteria: Criteria, colours: Colours, *, y: float) -> tuple[list[str], float]:
    """The legend from `y` down, wrapped to the width; with the chart's height below it."""
    parts = []
    x: float = PAD
    for key, crit_name in criteria:
        item = 14 + 6 + _text_width(crit_name, 13) + 20
        if x + item > WIDTH - PAD and x > PAD:
            x = PAD
            y += 22
        parts.append(
            f'<rect x="{_number(x)}" y="{_number(y)}" width="14" height="14" '
            f'fill="{colours[key]}"/>'
            f'<text x="{_number(x + 20)}" y="{_number(y + 12)}" font-size="13" '
            f'fill="{TEXT}">{escape(crit_name)}</text>'
        )
        x += item
    return parts, y + 14 + PAD
