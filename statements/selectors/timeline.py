"""Statements over time, counted in the database, for the charts."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, QuerySet


def period_counts(statements: QuerySet) -> list[tuple[datetime.date, int]]:
    """Statements per week-within-a-month, oldest first.

    One row per (week, month) pair that has statements: a week that straddles two
    months gives two rows. Each row is dated by the first day that lies in both its
    week and its month, so a chart can add the rows up exactly by week, by month or by
    year. The rows number at most about 1.25 per week between the first and the last
    statement, however many statements there are.

    The database counts per day (one group per date, read in index order) and Python
    folds the days into periods: truncating every row to a week and a month in SQL
    costs two function calls per statement."""
    per_day = (
        statements.order_by().values("said_on").annotate(n=Count("id")).values_list("said_on", "n")
    )
    periods: Counter[datetime.date] = Counter()
    for day, n in per_day:
        periods[period_start(day)] += n
    return sorted(periods.items())


def period_start(day: datetime.date) -> datetime.date:
    """The first day of ``day``'s week (Monday) that lies in ``day``'s month."""
    return max(day - datetime.timedelta(days=day.weekday()), day.replace(day=1))
