"""Pieces every public page shares: breadcrumbs and the statements-over-time chart."""

from __future__ import annotations

from django.urls import reverse
from django.utils.safestring import mark_safe

from statements.charts import timeline_chart
from statements.selectors.timeline import period_counts

#: Detail pages list the latest (or first) ``LATEST`` related rows and link to the rest.
LATEST = 50


def crumbs(*items: tuple[str, str | None]) -> list[dict]:
    trail = [("Overview", reverse("statements:overview")), *items]
    return [{"label": label, "url": url} for label, url in trail]


def weekly_chart(per_day, *, title: str = "Statements") -> dict:
    """The chart of statements over time, from counts per day (``selectors.tallies``),
    from the first to the last one: bars per week, or per month or year over a long
    span."""
    chart = timeline_chart(period_counts(per_day), title=title)
    return {
        "svg": mark_safe(chart.svg),  # noqa: S308 - built from escaped parts
        "empty": chart.empty,
        "total": chart.total,
        "unit": chart.unit,
    }
