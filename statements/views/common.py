"""Pieces every public page shares: breadcrumbs and the weekly chart."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.safestring import mark_safe

from statements.charts import weekly_bar_chart
from statements.selectors.timeline import CHART_WEEKS, chart_start, weekly_counts

#: Detail pages list the latest (or first) ``LATEST`` related rows and link to the rest.
LATEST = 50


def crumbs(*items: tuple[str, str | None]) -> list[dict]:
    trail = [("Overview", reverse("statements:overview")), *items]
    return [{"label": label, "url": url} for label, url in trail]


def weekly_chart(statements, *, title: str, newest: datetime.date | None = None) -> dict:
    """The weekly chart of ``statements``; with ``newest`` (the newest statement's date)
    only the ``CHART_WEEKS`` weeks up to it are counted, and ``since`` says from when."""
    since = chart_start(newest)
    chart = weekly_bar_chart(weekly_counts(statements, since), title=title)
    return {
        "svg": mark_safe(chart.svg),  # noqa: S308 - built from escaped parts
        "empty": chart.empty,
        "total": chart.total,
        "since": since,
        "weeks": CHART_WEEKS,
    }
