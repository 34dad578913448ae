"""Statements per week, counted in the database over a bounded window."""

from __future__ import annotations

import datetime

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek

#: Charts cover at most this many weeks up to the newest statement shown.
CHART_WEEKS = 104


def chart_start(newest: datetime.date | None, weeks: int = CHART_WEEKS) -> datetime.date | None:
    """The Monday ``weeks - 1`` weeks before the week of ``newest``: the chart window."""
    if newest is None:
        return None
    monday = newest - datetime.timedelta(days=newest.weekday())
    return monday - datetime.timedelta(weeks=weeks - 1)


def weekly_counts(
    statements: QuerySet, since: datetime.date | None = None, *, limit: int = CHART_WEEKS
) -> list[tuple[datetime.date, int]]:
    """Statements per week, aggregated in the database: the last ``limit`` weeks that
    have any, oldest first. ``since`` bounds the scan to an index range."""
    if since is not None:
        statements = statements.filter(said_on__gte=since)
    rows = (
        statements.order_by()
        .annotate(week=TruncWeek("said_on"))
        .values("week")
        .annotate(n=Count("id"))
        .order_by("-week")[:limit]
    )
    return [(row["week"], row["n"]) for row in reversed(rows)]
