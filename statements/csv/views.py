"""Exports: the list's FilterSet, the list's order, every row, streamed as CSV or JSON Lines.

``?bom=1`` prepends a UTF-8 BOM to a CSV for Excel. Invalid filters answer 400 in plain
text. Rows are fetched in keyset chunks (``tables.CHUNK_SIZE``) with the list's
prefetching, so the query count grows per chunk (never per row) and memory holds one
chunk. What each table holds is defined in ``tables``; the bulk download and the data
dictionary are in ``bundle`` and ``dictionary``.
"""

from __future__ import annotations

import functools

from django.db import connection
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from statements import visibility
from statements.csv import cells as csv_export
from statements.csv import jsonl, tables
from statements.selectors.lists import ListSpec, statement_spec


def plain_400(lines: list[str], title: str = "Bad filter.") -> HttpResponse:
    return HttpResponse(
        title + "\n" + "\n".join(lines) + "\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def streamed(view):
    """GET only; and since rows are read while the response streams, check first that
    the database answers, so that an unreachable one is a 503 (tracker/errors.py)
    rather than a download cut short."""

    @require_GET
    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        connection.ensure_connection()
        return view(request, *args, **kwargs)

    return checked


def bad_request(spec: ListSpec) -> HttpResponse:
    lines = []
    for field, errors in spec.filterset.form.errors.items():
        for error in errors:
            lines.append(error if field == "__all__" else f"{field}: {error}")
    return plain_400(lines)


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# -- the simple lists ----------------------------------------------------------------------


def csv_view(table: tables.Table):
    @streamed
    def view(request):
        spec = table.spec(request)
        if not spec.filterset.is_valid():
            return bad_request(spec)
        chunks = tables.table_csv(table, spec, base_url(request), bom=tables.is_bom(spec))
        return csv_export.csv_response(table.name, chunks)

    view.__name__ = f"{table.name}_csv"
    return view


def jsonl_view(table: tables.Table):
    @streamed
    def view(request):
        spec = table.spec(request)
        if not spec.filterset.is_valid():
            return bad_request(spec)
        return jsonl.jsonl_response(table.name, tables.table_jsonl(table, spec, base_url(request)))

    view.__name__ = f"{table.name}_jsonl"
    return view


actor_csv = csv_view(tables.ACTORS)
claim_csv = csv_view(tables.CLAIMS)
event_csv = csv_view(tables.EVENTS)
source_csv = csv_view(tables.SOURCES)
tag_csv = csv_view(tables.TAGS)
actor_jsonl = jsonl_view(tables.ACTORS)
claim_jsonl = jsonl_view(tables.CLAIMS)
event_jsonl = jsonl_view(tables.EVENTS)
source_jsonl = jsonl_view(tables.SOURCES)
tag_jsonl = jsonl_view(tables.TAGS)


# -- statements and their stances: the statement list's filters ----------------------------


def _statement_request(request):
    """The statement list's spec, and the optional columns ``?columns=`` asks for (a
    parameter of the exports only, so it is taken off before the FilterSet sees it)."""
    raw = request.GET.getlist("columns")
    if "columns" in request.GET:
        request.GET = request.GET.copy()
        del request.GET["columns"]
    return statement_spec(request), tables.optional_columns(raw)


@streamed
def statement_csv(request):
    try:
        spec, extra = _statement_request(request)
    except tables.UnknownColumns as error:
        return plain_400([str(error)], "Bad parameter.")
    if not spec.filterset.is_valid():
        return bad_request(spec)
    chunks = tables.statement_csv(
        spec.filterset,
        base_url(request),
        extra=extra,
        # Those who see drafts get a trailing ``status`` column to tell them apart.
        with_status=visibility.sees_drafts(request.user),
        bom=tables.is_bom(spec),
    )
    return csv_export.csv_response("statements", chunks)


@streamed
def statement_jsonl(request):
    try:
        spec, extra = _statement_request(request)
    except tables.UnknownColumns as error:
        return plain_400([str(error)], "Bad parameter.")
    if not spec.filterset.is_valid():
        return bad_request(spec)
    chunks = tables.statement_jsonl(
        spec.filterset,
        base_url(request),
        extra=extra,
        with_status=visibility.sees_drafts(request.user),
    )
    return jsonl.jsonl_response("statements", chunks)


@streamed
def stance_csv(request):
    spec = statement_spec(request)
    if not spec.filterset.is_valid():
        return bad_request(spec)
    chunks = tables.stance_csv(
        spec.filterset, request.user, base_url(request), bom=tables.is_bom(spec)
    )
    return csv_export.csv_response("stances", chunks)


@streamed
def stance_jsonl(request):
    spec = statement_spec(request)
    if not spec.filterset.is_valid():
        return bad_request(spec)
    chunks = tables.stance_jsonl(spec.filterset, request.user, base_url(request))
    return jsonl.jsonl_response("stances", chunks)
