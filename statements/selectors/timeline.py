"""Statements over time, folded from counts per day, for the charts."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable


def period_counts(per_day: Iterable[tuple[datetime.date, int]]) -> list[tuple[datetime.date, int]]:
    """Statements per week-within-a-month, oldest first, from counts per day
    (``selectors.tallies.per_day``).

    One row per (week, month) pair that has statements: a week that straddles two
    months gives two rows. Each row is dated by the first day that lies in both its
    week and its month, so a chart can add the rows up exactly by week, by month or by
    year. The rows number at most about 1.25 per week between the first and the last
    statement, however many statements there are."""
    periods: Counter[datetime.date] = Counter()
    for day, n in per_day:
        periods[period_start(day)] += n
    return sorted(periods.items())


def period_start(day: datetime.date) -> datetime.date:
    """The first day of ``day``'s week (Monday) that lies in ``day``'s month."""
    return max(day - datetime.timedelta(days=day.weekday()), day.replace(day=1))
