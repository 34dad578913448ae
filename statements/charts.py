"""Server-rendered SVG charts: plain Python, no ORM, no JavaScript.

``timeline_chart(points, title=...)`` turns ``[(day, count), ...]`` into an accessible
SVG (``role="img"`` with ``<title>`` and ``<desc>``) on a time axis from the first to
the last period with data, gaps filled with zeros. A period is a week while that makes
at most ``MAX_BARS`` bars, else a month, else a year, so every statement shown is on
the chart and bars never get thinner than a few pixels. Bars are at most
``MAX_BAR_WIDTH`` wide (one week of data is one slim bar, not a wall), the y axis is
labelled 0 / half / max and the x axis at a few period starts. Every bar carries its own
``<title>`` ("week of 4 Sep 2023: 5 statements").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

WEEK, MONTH, YEAR = "week", "month", "year"

#: The most bars a chart draws before it counts by a longer period (three years of weeks).
MAX_BARS = 156
#: The widest a bar gets, in SVG units (the chart is 640 wide).
MAX_BAR_WIDTH = 28
#: The most x-axis labels, so they never run into each other.
MAX_X_LABELS = 6

WIDTH = 640
HEIGHT = 200
MARGIN_LEFT = 36
MARGIN_RIGHT = 8
MARGIN_TOP = 12
MARGIN_BOTTOM = 28


@dataclass(frozen=True)
class Bar:
    start: datetime.date
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
    unit: str = WEEK

    @property
    def empty(self) -> bool:
        return self.total == 0

    def __str__(self) -> str:
        return self.svg


# -- periods ---------------------------------------------------------------------------


def period_start(day: datetime.date, unit: str) -> datetime.date:
    if unit == WEEK:
        return day - datetime.timedelta(days=day.weekday())
    if unit == MONTH:
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def next_period(start: datetime.date, unit: str) -> datetime.date:
    if unit == WEEK:
        return start + datetime.timedelta(weeks=1)
    if unit == MONTH:
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start.replace(year=start.year + 1)


def periods_between(first: datetime.date, last: datetime.date, unit: str) -> int:
    """How many periods from the one holding ``first`` to the one holding ``last``."""
    if unit == WEEK:
        return (period_start(last, WEEK) - period_start(first, WEEK)).days // 7 + 1
    if unit == MONTH:
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return last.year - first.year + 1


def choose_unit(first: datetime.date, last: datetime.date, max_bars: int = MAX_BARS) -> str:
    """The shortest period that spans ``first`` to ``last`` in at most ``max_bars`` bars."""
    for unit in (WEEK, MONTH):
        if periods_between(first, last, unit) <= max_bars:
            return unit
    return YEAR


def period_label(start: datetime.date, unit: str) -> str:
    if unit == WEEK:
        return f"week of {start.day} {start:%b %Y}"
    if unit == MONTH:
        return f"{start:%b %Y}"
    return f"{start:%Y}"


def fill_periods(
    points: Iterable[tuple[datetime.date | datetime.datetime, int]],
    unit: str | None = None,
    max_bars: int = MAX_BARS,
) -> tuple[str, list[tuple[datetime.date, int]]]:
    """``(unit, [(period start, count), ...])``: one entry per period from the first to
    the last with data, zeros in the gaps. ``unit`` defaults to ``choose_unit``."""
    days: dict[datetime.date, int] = {}
    for when, count in points:
        if when is None or not count:
            continue
        day = when.date() if isinstance(when, datetime.datetime) else when
        days[day] = days.get(day, 0) + int(count)
    days = {day: n for day, n in days.items() if n > 0}
    if not days:
        return unit or WEEK, []
    first, last = min(days), max(days)
    unit = unit or choose_unit(first, last, max_bars)
    counts: dict[datetime.date, int] = {}
    for day, n in days.items():
        start = period_start(day, unit)
        counts[start] = counts.get(start, 0) + n
    periods = []
    start, end = period_start(first, unit), period_start(last, unit)
    while start <= end:
        periods.append((start, counts.get(start, 0)))
        start = next_period(start, unit)
    return unit, periods


def fill_weeks(points) -> list[tuple[datetime.date, int]]:
    """``fill_periods`` by week, whatever the span."""
    return fill_periods(points, WEEK)[1]


# -- the chart -------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def timeline_chart(
    points: Iterable[tuple[datetime.date | datetime.datetime, int]],
    *,
    title: str = "Statements",
    noun: str = "statement",
    width: int = WIDTH,
    height: int = HEIGHT,
    id_prefix: str = "chart",
    max_bars: int = MAX_BARS,
) -> Chart:
    """An SVG bar chart of counts per period (titled "<title> per week|month|year");
    an empty-state SVG when there is no data."""
    unit, periods = fill_periods(points, max_bars=max_bars)
    title_text = escape(f"{title} per {unit}")
    id_prefix = escape(id_prefix)
    if not periods:
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--empty" '
            f'viewBox="0 0 {width} 60" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc">'
            f'<title id="{id_prefix}-title">{title_text}</title>'
            f'<desc id="{id_prefix}-desc">No {noun}s to chart yet.</desc>'
            f'<text x="{width / 2:g}" y="35" text-anchor="middle" class="chart-empty">'
            f"No {noun}s to chart yet.</text></svg>"
        )
        return Chart(svg=svg, bars=(), total=0, unit=unit)

    total = sum(n for _, n in periods)
    peak_start, peak = max(periods, key=lambda item: (item[1], item[0]))
    plot_w = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_w / len(periods)
    bar_w = min(max(slot * 0.8, 1.0), MAX_BAR_WIDTH)
    baseline = MARGIN_TOP + plot_h

    bars: list[Bar] = []
    parts: list[str] = []
    for i, (start, n) in enumerate(periods):
        h = plot_h * n / peak if peak else 0.0
        x = MARGIN_LEFT + i * slot + (slot - bar_w) / 2
        bar = Bar(start=start, count=n, x=x, y=baseline - h, width=bar_w, height=h)
        bars.append(bar)
        parts.append(
            f'<rect class="bar" x="{x:.2f}" y="{bar.y:.2f}" width="{bar_w:.2f}" '
            f'height="{h:.2f}"><title>{escape(period_label(start, unit))}: '
            f"{escape(_plural(n, noun))}</title></rect>"
        )

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
    for i, text in _x_labels(periods, unit):
        x = MARGIN_LEFT + i * slot + slot / 2
        axis.append(
            f'<text class="tick" x="{x:.2f}" y="{baseline + 18}" '
            f'text-anchor="middle">{escape(text)}</text>'
        )

    first, last = periods[0][0], periods[-1][0]
    the = "the " if unit == WEEK else ""
    if len(periods) == 1:
        desc = f"{_plural(total, noun)} in {the}{period_label(first, unit)}."
    else:
        desc = (
            f"{_plural(total, noun)} over {_plural(len(periods), unit)}, from "
            f"{the}{period_label(first, unit)} to {the}{period_label(last, unit)}; the busiest "
            f"{unit} was {the}{period_label(peak_start, unit)}, with {_plural(peak, noun)}."
        )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc">'
        f'<title id="{id_prefix}-title">{title_text}</title>'
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>'
        f'{"".join(axis)}<g class="bars">{"".join(parts)}</g></svg>'
    )
    return Chart(svg=svg, bars=tuple(bars), total=total, unit=unit)


def _x_labels(periods: list[tuple[datetime.date, int]], unit: str) -> list[tuple[int, str]]:
    """``(bar index, label)`` for at most ``MAX_X_LABELS`` bars: every bar when there are
    few, else the bars that start a month (weeks) or a year (months), thinned evenly."""
    starts = [start for start, _ in periods]
    month_starts = [i for i, d in enumerate(starts) if i == 0 or d.month != starts[i - 1].month]
    year_starts = [i for i, d in enumerate(starts) if i == 0 or d.year != starts[i - 1].year]
    if unit == WEEK and len(starts) <= 2:
        candidates, pattern = list(range(len(starts))), "{0.day} {0:%b %Y}"
    elif unit == WEEK and len(starts) <= 8:
        candidates, pattern = list(range(len(starts))), "{0.day} {0:%b}"
    elif unit == WEEK:
        candidates, pattern = month_starts, "{0:%b %Y}"
    elif unit == MONTH and len(year_starts) >= 3:
        candidates, pattern = year_starts, "{0:%Y}"
    elif unit == MONTH:
        candidates, pattern = list(range(len(starts))), "{0:%b %Y}"
    else:
        candidates, pattern = list(range(len(starts))), "{0:%Y}"
    step = max(1, -(-len(candidates) // MAX_X_LABELS))
    return [(i, pattern.format(starts[i])) for i in candidates[::step]]
