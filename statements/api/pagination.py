"""``{"next", "previous", "results"}`` pages over the lists' signed keyset cursors.

The API pages exactly as the HTML lists do (``statements/pagination.py``): the same
ordering over unique keys, the same opaque signed cursors, and for a relevance-ranked
search (PostgreSQL, ``q`` without ``sort``) the same ranked walk, so following
``next`` lists every row once, in the HTML list's order. ``?page=N`` reaches the first
pages directly, as on the HTML list. Nothing is counted (a list response carries no
total), except the bounded count a ranked walk needs to know where ranking ends.
"""

from __future__ import annotations

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from statements import pagination
from statements.pagination import CappedCount, PageNotFound, PaginationError


def _not_counted(queryset) -> CappedCount:
    return CappedCount(0, False)


def _ranked_count(queryset) -> CappedCount:
    """Enough of a count for ``paginate_ranked``: whether more rows match than it ranks."""
    return pagination.capped_count(queryset, pagination.RANK_CANDIDATES + 1)


class KeysetPagination(BasePagination):
    """Reads the view's bound FilterSet (``view.filterset``), its ``keyset()``,
    ``ranked()`` queryset (or ``None``) and ``prepare`` row loader."""

    page: pagination.Page | None = None

    def paginate_queryset(self, queryset, request, view=None):
        data = view.filterset.form.cleaned_data
        number, cursor = data.get("page"), data.get("cursor") or None
        ranked = view.ranked()
        try:
            if ranked is not None:
                self.page = pagination.paginate_ranked(
                    queryset,
                    ranked,
                    view.keyset(),
                    page=number,
                    cursor=cursor,
                    prepare=view.prepare,
                    counter=_ranked_count,
                )
            else:
                self.page = pagination.paginate(
                    queryset,
                    view.keyset(),
                    page=number,
                    cursor=cursor,
                    prepare=view.prepare,
                    counter=_not_counted,
                    keys_first=getattr(view.filterset, "keys_first", False),
                )
        except PaginationError as error:
            raise ValidationError({error.field: [error.message]}) from error
        except PageNotFound as error:
            raise NotFound("No such page.") from error
        self.request = request
        return view.decorate(self.page.rows)

    def link(self, cursor: str | None) -> str | None:
        if not cursor:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), "page")
        return replace_query_param(url, "cursor", cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self.link(self.page.next_cursor),
                "previous": self.link(self.page.prev_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page; null on the last."},
                "previous": {**link, "description": "The previous page; null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return []  # ``cursor`` and ``page`` are filters of every FilterSet, documented there
