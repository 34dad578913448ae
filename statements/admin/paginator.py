"""A changelist paginator whose count does not grow with the table.

The admin's ``Paginator.count`` is an exact ``COUNT(*)``, which walks every matching row,
on every changelist page (its cost: docs/benchmark.md). Here the count is exact while it
stays below ``pagination.COUNT_CAP`` (``COUNT(*)`` over ``LIMIT COUNT_CAP + 1``, bounded
work), and beyond that it is the planner's row estimate (``pg_class.reltuples``) for an
unfiltered list on PostgreSQL, else the capped number. The page links past the cap are
therefore approximate.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

from statements import pagination


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        capped = queryset.order_by()[: pagination.COUNT_CAP + 1].count()
        if capped <= pagination.COUNT_CAP:
            return capped
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > capped:
                return int(row[0])
        return capped
