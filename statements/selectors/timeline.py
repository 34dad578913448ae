"""Statements over time, counted in the database, for the charts."""

from __future__ import annotations

import datetime

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek


def period_counts(statements: QuerySet) -> list[tuple[datetime.date, int]]:
    """Statements per week-within-a-month, aggregated in the database, oldest first.

    One row per (week, month) pair that has statements: a week that straddles two
    months gives two rows. Each row is dated by the first day that lies in both its
    week and its month, so a chart can add the rows up exactly by week, by month or by
    year. The rows number at most about 1.25 per week between the first and the last
    statement, however many statements there are."""
    rows = (
        statements.order_by()
        .annotate(week=TruncWeek("said_on"), month=TruncMonth("said_on"))
        .values("week", "month")
        .annotate(n=Count("id"))
        .order_by("week", "month")
    )
    return [(max(_day(row["week"]), _day(row["month"])), row["n"]) for row in rows]


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
