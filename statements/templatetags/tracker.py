"""Template helpers shared by every page: dates with precision, modes, stances."""

from __future__ import annotations

import datetime

from django import template

from statements.models import DatePrecision

register = template.Library()


def format_precise_date(day: datetime.date | None, precision: str) -> str:
    """``"week of 4 Sep 2023"``, ``"on or before 10 Sep 2023"``, ``"Sep 2023"`` …"""
    if day is None:
        return ""
    full = f"{day.day} {day:%b %Y}"
    if precision == DatePrecision.WEEK:
        monday = day - datetime.timedelta(days=day.weekday())
        return f"week of {monday.day} {monday:%b %Y}"
    if precision == DatePrecision.MONTH:
        return f"{day:%b %Y}"
    if precision == DatePrecision.YEAR:
        return f"{day:%Y}"
    if precision == DatePrecision.ON_OR_BEFORE:
        return f"on or before {full}"
    return full


@register.filter
def precise_date(obj, precision: str | None = None) -> str:
    """``{{ statement|precise_date }}`` or ``{{ event.start_date|precise_date:event.start_precision }}``."""
    if isinstance(obj, datetime.date):
        return format_precise_date(obj, precision or DatePrecision.DAY)
    return format_precise_date(getattr(obj, "said_on", None), getattr(obj, "date_precision", ""))
