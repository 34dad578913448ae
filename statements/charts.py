"""Server-rendered SVG charts: plain Python, no ORM, no JavaScript.

``weekly_bar_chart(points, title=...)`` turns ``[(week_start, count), ...]`` into an
accessible SVG (``role="img"`` with ``<title>`` and ``<desc>``), one bar per week
between the first and the last week with data (gaps filled with zeros, capped to
``MAX_WEEKS``), a y axis labelled 0 / half / max and x labels at month starts.
Every bar carries its own ``<title>`` ("week of 4 Sep 2023: 5 statements").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from statements.selectors.timeline import CHART_WEEKS

MAX_WEEKS = CHART_WEEKS

WIDTH = 640
HEIGHT = 200
MARGIN_LEFT = 36
MARGIN_RIGHT = 8
MARGIN_TOP = 12
MARGIN_BOTTOM = 28


@dataclass(frozen=True)
class Bar:
    week: datetime.date
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    """The rendered SVG and what it shows (for tests and captions)."""

    svg: str
    bars: tuple[Bar, ...]
    total: int

    @property
    def empty(self) -> bool:
        return self.total == 0

    def __str__(self) -> str:
        return self.svg


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _label(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def fill_weeks(
    points: Iterable[tuple[datetime.date | datetime.datetime, int]], max_weeks: int = MAX_WEEKS
) -> list[tuple[datetime.date, int]]:
    """One ``(monday, count)`` per week from the first to the last week with data,
    zeros in the gaps, keeping only the last ``max_weeks`` weeks."""
    counts: dict[datetime.date, int] = {}
    for when, count in points:
        if when is None:
            continue
        day = when.date() if isinstance(when, datetime.datetime) else when
        monday = _monday(day)
        counts[monday] = counts.get(monday, 0) + int(count or 0)
    counts = {week: n for week, n in counts.items() if n > 0}
    if not counts:
        return []
    last = max(counts)
    first = max(min(counts), last - datetime.timedelta(weeks=max_weeks - 1))
    weeks = []
    week = first
    while week <= last:
        weeks.append((week, counts.get(week, 0)))
        week += datetime.timedelta(weeks=1)
    return weeks


def weekly_bar_chart(
    points: Iterable[tuple[datetime.date | datetime.datetime, int]],
    *,
    title: str = "Statements per week",
    noun: str = "statement",
    width: int = WIDTH,
    height: int = HEIGHT,
    id_prefix: str = "chart",
) -> Chart:
    """An SVG bar chart of counts per week; an empty-state SVG when there is no data."""
    weeks = fill_weeks(points)
    title_text = escape(title)
    id_prefix = escape(id_prefix)
    if not weeks:
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--empty" '
            f'viewBox="0 0 {width} 60" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc">'
            f'<title id="{id_prefix}-title">{title_text}</title>'
            f'<desc id="{id_prefix}-desc">No {noun}s to chart yet.</desc>'
            f'<text x="{width / 2:g}" y="35" text-anchor="middle" class="chart-empty">'
            f"No {noun}s to chart yet.</text></svg>"
        )
        return Chart(svg=svg, bars=(), total=0)

    total = sum(n for _, n in weeks)
    peak_week, peak = max(weeks, key=lambda item: (item[1], item[0]))
    plot_w = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_w / len(weeks)
    bar_w = max(slot * 0.8, 1.0)
    baseline = MARGIN_TOP + plot_h

    bars: list[Bar] = []
    parts: list[str] = []
    for i, (week, n) in enumerate(weeks):
        h = plot_h * n / peak if peak else 0.0
        x = MARGIN_LEFT + i * slot + (slot - bar_w) / 2
        bar = Bar(week=week, count=n, x=x, y=baseline - h, width=bar_w, height=h)
        bars.append(bar)
        parts.append(
            f'<rect class="bar" x="{x:.2f}" y="{bar.y:.2f}" width="{bar_w:.2f}" '
            f'height="{h:.2f}"><title>week of {escape(_label(week))}: '
            f"{escape(_plural(n, noun))}</title></rect>"
        )

    # Axes: y labels 0, half and peak; x labels at month starts (thinned) or ends.
    axis = [
        f'<line class="axis" x1="{MARGIN_LEFT}" y1="{baseline}" '
        f'x2="{width - MARGIN_RIGHT}" y2="{baseline}" />',
        f'<line class="axis" x1="{MARGIN_LEFT}" y1="{MARGIN_TOP}" '
        f'x2="{MARGIN_LEFT}" y2="{baseline}" />',
    ]
    ticks = sorted({0, peak // 2, peak}) if peak > 1 else [0, peak]
    for value in ticks:
        y = baseline - plot_h * value / peak
        axis.append(
            f'<text class="tick" x="{MARGIN_LEFT - 4}" y="{y + 4:.2f}" '
            f'text-anchor="end">{value}</text>'
        )
    label_idx = _x_label_indexes(weeks)
    for i in label_idx:
        week = weeks[i][0]
        x = MARGIN_LEFT + i * slot + slot / 2
        text = f"{week:%b %Y}" if len(weeks) > 8 else f"{week.day} {week:%b}"
        axis.append(
            f'<text class="tick" x="{x:.2f}" y="{baseline + 18}" '
            f'text-anchor="middle">{escape(text)}</text>'
        )

    first, last = weeks[0][0], weeks[-1][0]
    desc = (
        f"{_plural(total, noun)} over {_plural(len(weeks), 'week')}, from the week of "
        f"{_label(first)} to the week of {_label(last)}; the busiest week, of "
        f"{_label(peak_week)}, had {_plural(peak, noun)}."
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc">'
        f'<title id="{id_prefix}-title">{title_text}</title>'
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>'
        f'{"".join(axis)}<g class="bars">{"".join(parts)}</g></svg>'
    )
    return Chart(svg=svg, bars=tuple(bars), total=total)


def _x_label_indexes(weeks: list[tuple[datetime.date, int]], most: int = 6) -> list[int]:
    """Which bars get an x label: month starts when there are many weeks, else all
    (thinned to at most ``most`` labels)."""
    if len(weeks) <= 8:
        candidates = list(range(len(weeks)))
    else:
        candidates = [
            i for i, (week, _) in enumerate(weeks) if i == 0 or week.month != weeks[i - 1][0].month
        ]
    step = max(1, -(-len(candidates) // most))
    return candidates[::step]
