"""CSV exports: the list's FilterSet, the list's order, every row, streamed.

``?bom=1`` prepends a UTF-8 BOM for Excel. Invalid filters answer 400 in plain text.
Rows are fetched in keyset chunks of ``CHUNK_SIZE`` with the list's prefetching, so the
query count grows per chunk (never per row) and memory holds one chunk.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from statements import pagination, visibility
from statements.csv import cells as csv_export
from statements.csv import copy as csv_copy
from statements.selectors.lists import (
    ListSpec,
    actor_spec,
    claim_spec,
    event_spec,
    iterate_statements,
    statement_spec,
)

CHUNK_SIZE = 2000


def bad_request(spec: ListSpec) -> HttpResponse:
    lines = []
    for field, errors in spec.filterset.form.errors.items():
        for error in errors:
            lines.append(error if field == "__all__" else f"{field}: {error}")
    return HttpResponse(
        "Bad filter.\n" + "\n".join(lines) + "\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _export(request, spec: ListSpec, stem: str, columns, to_cells, rows=None):
    # Rows are read while the response streams: make sure the database answers first,
    # so that an unreachable one is a 503 rather than a download cut short.
    connection.ensure_connection()
    if not spec.filterset.is_valid():
        return bad_request(spec)
    base_url = request.build_absolute_uri("/").rstrip("/")
    if rows is None:
        rows = pagination.iterate_keyset(
            spec.queryset, spec.keyset, chunk_size=CHUNK_SIZE, prepare=spec.prepare
        )
    chunks = csv_export.stream_rows(
        columns,
        rows,
        lambda row: to_cells(row, base_url),
        bom=spec.filterset.form.cleaned_data.get("bom") == "1",
    )
    return csv_export.csv_response(stem, chunks)


@require_GET
def statement_csv(request):
    spec = statement_spec(request)
    connection.ensure_connection()  # as in _export: a 503 before streaming starts
    # Those who see drafts get a trailing ``status`` column to tell them apart.
    with_status = visibility.sees_drafts(request.user)
    if csv_copy.available() and spec.filterset.is_valid():
        # PostgreSQL: the same bytes, produced by COPY … TO STDOUT (statements/csv/copy.py).
        chunks = csv_copy.stream_statements(
            spec.filterset,
            request.build_absolute_uri("/").rstrip("/"),
            bom=spec.filterset.form.cleaned_data.get("bom") == "1",
            with_status=with_status,
        )
        return csv_export.csv_response("statements", chunks)
    rows = None
    if spec.filterset.is_valid():
        rows = iterate_statements(spec.filterset, CHUNK_SIZE)
    if with_status:
        columns, to_cells = (
            (*csv_export.STATEMENT_COLUMNS, "status"),
            csv_export.statement_cells_with_status,
        )
    else:
        columns, to_cells = csv_export.STATEMENT_COLUMNS, csv_export.statement_cells
    return _export(request, spec, "statements", columns, to_cells, rows)


@require_GET
def actor_csv(request):
    return _export(
        request, actor_spec(request), "actors", csv_export.ACTOR_COLUMNS, csv_export.actor_cells
    )


@require_GET
def claim_csv(request):
    return _export(
        request, claim_spec(request), "claims", csv_export.CLAIM_COLUMNS, csv_export.claim_cells
    )


@require_GET
def event_csv(request):
    return _export(
        request, event_spec(request), "events", csv_export.EVENT_COLUMNS, csv_export.event_cells
    )
