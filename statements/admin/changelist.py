"""The statement changelist's queryset: its date hierarchy's years found by index probes."""

from __future__ import annotations

import datetime

from django.db.models import F, Max, Min, Subquery

from statements.models.statements import StatementQuerySet


class YearsByProbe(StatementQuerySet):
    """The statement changelist's queryset. Its date hierarchy asks ``dates(field,
    "year")``, which Django answers with ``SELECT DISTINCT date_trunc('year', …)`` over
    every matching row (its cost: docs/benchmark.md). Here: the first and last date (the
    two ends of the said_on index), then one ``EXISTS`` per year between them — a few
    index probes, the same years. Spans over ``MAX_PROBES`` years use Django's query."""

    MAX_PROBES = 60

    def aggregate(self, *args, **kwargs):
        """The hierarchy's ``aggregate(first=Min(f), last=Max(f))`` (Django's template tag
        asks it, then ``dates`` below): as two ``ORDER BY f LIMIT 1`` walks of the date
        index in one query, which stop at the first match (a search for a common word
        made ``MIN``/``MAX`` scan every matching row on SQLite; docs/benchmark.md);
        answered once per queryset."""
        first, last = kwargs.get("first"), kwargs.get("last")
        if args or kwargs.keys() != {"first", "last"}:
            return super().aggregate(*args, **kwargs)
        if type(first) is not Min or type(last) is not Max:
            return super().aggregate(*args, **kwargs)
        field = first.source_expressions[0]
        if field != last.source_expressions[0] or not isinstance(field, F):
            return super().aggregate(*args, **kwargs)
        cached = self.__dict__.get("_date_bounds")
        if cached is None or cached[0] != field.name:
            name = field.name
            known = self.filter(**{f"{name}__isnull": False}).values(name)
            ends = self.model._default_manager.using(self.db).annotate(
                first=Subquery(known.order_by(name)[:1]),
                last=Subquery(known.order_by(f"-{name}")[:1]),
            )
            row = next(iter(ends.values("first", "last").order_by()[:1]), None)
            bounds = row or {"first": None, "last": None}  # no statements at all
            cached = self.__dict__["_date_bounds"] = (name, bounds)
        return dict(cached[1])

    def dates(self, field_name, kind, order="ASC"):
        if kind != "year":
            return super().dates(field_name, kind, order)
        bounds = self.aggregate(first=Min(field_name), last=Max(field_name))
        if bounds["first"] is None:
            return []
        span = range(bounds["first"].year, bounds["last"].year + 1)
        if len(span) > self.MAX_PROBES:
            return super().dates(field_name, kind, order)
        years = [
            datetime.date(year, 1, 1)
            for year in span
            if self.filter(**{f"{field_name}__year": year}).exists()
        ]
        return years if order == "ASC" else years[::-1]
