"""The statements CSV at COPY speed (PostgreSQL): the same bytes as the ORM path.

Triggers (migration 0007) keep every cell rendered as ``csv_export`` writes it —
formula-guarded, minimally quoted, comma-ended — in four stored pieces: the statement's
``csv_head`` (id, date, precision), its speaker's ``csv_cells`` (name, slug, kind), its
``csv_body`` (title … tags, the multi-valued cells included) and its source's
``csv_cells`` (title, url, published). The list's own FilterSet builds the queryset
(filters, visibility, order; for a ranked search the ranked candidates first, then the
older matches in date order, exactly as ``lists.iterate_statements`` does), and

    COPY (SELECT head || speaker || body || source || <url> FROM (<its SQL>) t) TO STDOUT

streams one pre-rendered line per row: no per-row work in the query but the
concatenation, none in Python but joining the lines into ~256 KB chunks. (A statement
that a recipient's or tag's slug rename queued, migration 0008, has its body rendered in
the query until ``csv_refresh`` has re-rendered it.)

COPY's text format escapes backslash, BS, FF, LF, CR, TAB and VT inside a value and
ends each row with a bare LF. So a chunk's LFs (row ends all: LFs inside cells are
still escaped) become CRLF first, then the escapes are undone (:func:`unescape`).
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse

from statements import pagination
from statements.csv import jsonl
from statements.csv import refresh as csv_refresh
from statements.csv.cells import (
    FORMULA_TRIGGERS,
    PLAIN_STARTS,
    STANCE_COLUMNS,
    STATEMENT_COLUMNS,
    cell,
)
from statements.selectors.lists import ranked_statements, statement_keyset

CHUNK_BYTES = 256 * 1024
_ID_PLACEHOLDER = 987654321


#: What Python's ``str.isspace`` calls blank and NFKC leaves alone, minus the triggers
#: (a test recomputes it from the Unicode database).
BLANKS = "\x0b\x0c\x1c\x1d\x1e\x1f\x20\x85\u1680\u2028\u2029"


def _escaped(chars) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in chars)


#: A PostgreSQL ARE: optional blanks, then a formula trigger (``-`` last in the class).
#: Migration 0007's ``csv_cell`` holds a copy (a test checks that the two agree).
GUARD_PATTERN = f"^[{_escaped(BLANKS)}]*[{_escaped(sorted(FORMULA_TRIGGERS - {'-'}))}-]"

_TEXT_ESCAPES = {
    b"\\": b"\\",
    b"b": b"\b",
    b"f": b"\f",
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"v": b"\v",
}
_ESCAPE = re.compile(rb"\\(.)", re.DOTALL)


def unescape(chunk: bytes) -> bytes:
    """Undo COPY's text-format escapes in whole rows (no escape spans two rows)."""
    if b"\\" not in chunk:
        return chunk
    return _ESCAPE.sub(lambda m: _TEXT_ESCAPES[m.group(1)], chunk)


def url_cell(base_url: str) -> tuple[str, str]:
    """The url cell as the ORM path writes it, as the text before and after the id."""
    url = base_url + reverse("statements:statement_detail", args=[_ID_PLACEHOLDER])
    before, after = rendered_cells([url]).removesuffix(",").split(str(_ID_PLACEHOLDER))
    return before, after


_QUOTED_IF = re.compile('[,"\r\n]')  # QUOTE_MINIMAL with "\r\n" rows quotes these


class CellRenderer:
    """Cells as the export writes them, each followed by a comma (migration 0007's form);
    one writer reused across calls."""

    def __init__(self):
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def one(self, value: str) -> str:
        """One text cell without its comma; the common plain case without the writer."""
        if not value:
            return ""
        if value[0] in PLAIN_STARTS and not _QUOTED_IF.search(value):
            return value  # nothing to guard, nothing to quote
        return self((value,))[:-1]

    def __call__(self, values) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow([cell(v) for v in values] + [""])
        return self.buffer.getvalue()[:-2]


def rendered_cells(values) -> str:
    return CellRenderer()(values)


#: The statement's stored body, unless a slug it shows was renamed and the statement still
#: waits in migration 0008's queue: then rendered now. The first test runs once per query
#: (an InitPlan), so with the queue empty a row costs nothing more.
BODY = " ".join(
    [
        "CASE WHEN (SELECT EXISTS (SELECT FROM statements_csv_stale)) AND EXISTS (SELECT FROM",
        'statements_csv_stale x WHERE x.statement_id = "statements_statement"."id") THEN',
        'statement_csv_body_now("statements_statement"."id")',
        'ELSE "statements_statement"."csv_body" END',
    ]
)


#: The staff-only ``status`` cell (``cells.row_status``): "published" when the public sees
#: the row, else "draft".
STATUS = (
    """',' || CASE WHEN "statements_statement"."status" = 'published' AND "{source}"."status" """
    """= 'published' THEN 'published' ELSE 'draft' END"""
)


def copy_sql(queryset: QuerySet, base_url: str, *, with_status: bool = False) -> tuple[str, list]:
    """``COPY (…) TO STDOUT`` of ``queryset`` (already filtered and ordered) and its
    params; ``with_status`` adds the staff-only ``status`` cell."""
    # The speaker and the source joined by the ORM: their aliases are the query's own,
    # whatever a filter joined first (a recipient filter joins actors too).
    qs = queryset.annotate(c_speaker=F("speaker__slug"), c_source=F("source__url"))
    speaker = qs.query.annotations["c_speaker"].alias
    source = qs.query.annotations["c_source"].alias
    before, after = url_cell(base_url)
    line = RawSQL(
        f'"statements_statement"."csv_head" || "{speaker}"."csv_cells" || '
        f'{BODY} || "{source}"."csv_cells" || '
        '%s || "statements_statement"."id"::text || %s'
        + (" || " + STATUS.format(source=source) if with_status else ""),
        [before, after],
    )
    qs = qs.annotate(c_line=line).values_list("c_line", "c_speaker", "c_source")
    inner, params = qs.query.sql_with_params()
    return f"COPY (SELECT t.c_line FROM ({inner}) t) TO STDOUT", list(params)


def _copy(sql: str, params: list) -> Iterator[bytes]:
    # psycopg hands out memoryviews into its buffer; copy each out before the next read.
    start = time.monotonic()
    with connection.cursor() as cursor:
        # A whole-table export is costed high enough for JIT compilation, which takes
        # longer than the pass over stored text it would speed up (docs/benchmark.md,
        # run F). A session setting, restored once the rows are read.
        cursor.cursor.execute("SET jit = off")
        try:
            with cursor.cursor.copy(sql, params) as copy:
                for chunk in copy:
                    yield bytes(chunk)
        finally:
            cursor.cursor.execute("RESET jit")
    if connection.queries_logged:  # count the COPY like any query (query budgets, debug)
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - start:.3f}"})


def _coalesce(chunks: Iterator[bytes], size: int | None = None) -> Iterator[bytes]:
    size = size or CHUNK_BYTES
    buffer: list[bytes] = []
    held = 0
    for chunk in chunks:
        buffer.append(chunk)
        held += len(chunk)
        if held >= size:
            yield b"".join(buffer)
            buffer, held = [], 0
    if buffer:
        yield b"".join(buffer)


def statement_querysets(filterset) -> Iterator[QuerySet]:
    """The list's rows as one or two ordered querysets (ranked candidates, then the rest)."""

    keyset = statement_keyset(filterset)
    if not filterset.ranked:
        yield filterset.qs.order_by(*keyset.ordering)
        return
    limit = pagination.RANK_CANDIDATES
    yield ranked_statements(filterset)
    last = list(
        filterset.qs.order_by(*keyset.ordering).values_list(*keyset.fields)[limit - 1 : limit]
    )
    if last:  # as many candidates as the limit: the older matches follow in date order
        yield filterset.qs.filter(keyset.after(tuple(last[0]))).order_by(*keyset.ordering)


def stream_statements(
    filterset, base_url: str, *, bom: bool = False, with_status: bool = False
) -> Iterator[bytes]:
    """The statements CSV of ``filterset`` (valid, PostgreSQL) as ~256 KB byte chunks."""

    def pieces() -> Iterator[bytes]:
        columns = STATEMENT_COLUMNS + (("status",) if with_status else ())
        header = (",".join(columns) + "\n").encode()  # LF: made CRLF below
        yield ("\ufeff".encode() if bom else b"") + header
        csv_refresh.refresh()  # queued rows rendered once, not per export (one query if none)
        for queryset in statement_querysets(filterset):
            yield from _copy(*copy_sql(queryset, base_url, with_status=with_status))

    for chunk in _coalesce(pieces()):
        yield unescape(chunk.replace(b"\n", b"\r\n"))


# -- JSON Lines: the same objects as ``jsonl`` writes, from pre-rendered pieces -----------

#: The statement's stored ``json_body`` (migration 0012), rendered now while it is queued
#: (as :data:`BODY`).
JSON_BODY = BODY.replace("statement_csv_body_now", "statement_json_body_now").replace(
    '"csv_body"', '"json_body"'
)

#: ``{"id" : …, "said_on" : …, "date_precision" : …, `` from the row: an id's digits and
#: an ISO date need no escaping, the precision is a JSON string.
JSON_HEAD = (
    """'{"id" : ' || "statements_statement"."id"::text || ', "said_on" : "' """
    """|| to_char("statements_statement"."said_on", 'YYYY-MM-DD') || '", "date_precision" : ' """
    """|| to_json("statements_statement"."date_precision")::text || ', '"""
)

#: The staff-only ``status`` member, as :data:`STATUS`.
JSON_STATUS = (
    """', "status" : ' || CASE WHEN "statements_statement"."status" = 'published' """
    """AND "{source}"."status" = 'published' THEN '"published"' ELSE '"draft"' END"""
)


def json_url(base_url: str) -> tuple[str, str]:
    """The ``url`` member as ``jsonl`` writes it, as the text before and after the id."""
    url = base_url + reverse("statements:statement_detail", args=[_ID_PLACEHOLDER])
    before, after = jsonl.encode({"url": url})[1:-1].split(str(_ID_PLACEHOLDER))
    return before, after


def jsonl_sql(queryset: QuerySet, base_url: str, *, with_status: bool = False) -> tuple[str, list]:
    """``COPY (…) TO STDOUT`` of one JSON object per row of ``queryset`` (already filtered
    and ordered): keys in ``STATEMENT_COLUMNS``' order, then ``status``; the pieces as
    :func:`copy_sql` joins the CSV's."""
    qs = queryset.annotate(c_speaker=F("speaker__slug"), c_source=F("source__url"))
    speaker = qs.query.annotations["c_speaker"].alias
    source = qs.query.annotations["c_source"].alias
    before, after = json_url(base_url)
    line = RawSQL(
        f'{JSON_HEAD} || "{speaker}"."json_cells" || {JSON_BODY} || "{source}"."json_cells" || '
        '%s || "statements_statement"."id"::text || %s'
        + (" || " + JSON_STATUS.format(source=source) if with_status else "")
        + " || '}'",
        [before, after],
    )
    qs = qs.annotate(c_line=line).values_list("c_line", "c_speaker", "c_source")
    inner, params = qs.query.sql_with_params()
    return f"COPY (SELECT t.c_line FROM ({inner}) t) TO STDOUT", list(params)


def stream_statement_jsonl(
    filterset, base_url: str, *, with_status: bool = False
) -> Iterator[bytes]:
    """The statements JSON Lines of ``filterset`` (valid, PostgreSQL) as ~256 KB chunks,
    byte for byte what ``jsonl.stream_records`` writes for the same rows."""

    def pieces() -> Iterator[bytes]:
        csv_refresh.refresh()  # queued rows rendered once, not per export (one query if none)
        for queryset in statement_querysets(filterset):
            yield from _copy(*jsonl_sql(queryset, base_url, with_status=with_status))

    for chunk in _coalesce(pieces()):
        yield unescape(chunk)


# -- stances: the stances of the statements a list shows, cells rendered in the query ----


def _page_cell(base_url: str, route: str) -> tuple[str, str]:
    """A page address cell as ``cells.stance_values_for`` writes it, around the id."""
    url = base_url + reverse(route, args=[_ID_PLACEHOLDER])
    before, after = rendered_cells([url]).removesuffix(",").split(str(_ID_PLACEHOLDER))
    return before, after


def stance_sql(statements: QuerySet, stances: QuerySet, base_url: str) -> tuple[str, list]:
    """``COPY (…) TO STDOUT`` of the CSV rows of ``stances`` whose statement is among
    ``statements`` (filtered and ordered as the list), in the list's order, by claim id
    within a statement: the ``STANCE_COLUMNS`` cells as ``cells`` renders them
    (``csv_cell`` is migration 0007's)."""
    keys, key_params = statements.values_list("id").query.sql_with_params()
    fields = {
        "x_statement": F("statement_id"),
        "x_claim": F("claim_id"),
        "x_stance": F("stance"),
        "x_text": F("claim__text"),
        "x_speaker": F("statement__speaker__slug"),
        "x_said_on": F("statement__said_on"),
    }
    rows, row_params = (
        stances.order_by().annotate(**fields).values_list(*fields).query.sql_with_params()
    )
    statement_url = _page_cell(base_url, "statements:statement_detail")
    claim_url = _page_cell(base_url, "statements:claim_detail")
    line = (
        "s.x_statement::text || ',' || s.x_claim::text || ',' || csv_cell(s.x_stance) || ','"
        " || csv_cell(s.x_text) || ',' || csv_cell(s.x_speaker) || ','"
        " || to_char(s.x_said_on, 'YYYY-MM-DD') || ',' || %s || s.x_statement::text || %s"
        " || ',' || %s || s.x_claim::text || %s"
    )
    # The keys' subquery is ordered as the list: its rows are numbered in that order.
    sql = (
        f"COPY (SELECT {line} FROM (SELECT o.id, row_number() OVER () AS n FROM ({keys}) o) t"
        f" JOIN ({rows}) s ON s.x_statement = t.id ORDER BY t.n, s.x_claim) TO STDOUT"
    )
    return sql, [*statement_url, *claim_url, *key_params, *row_params]


def stream_stances(filterset, stances: QuerySet, base_url: str, *, bom: bool = False):
    """The stances CSV of ``filterset``'s statements (valid, PostgreSQL): ``stances`` are
    those the reader may see, with the list's ``claim``/``stance`` filters applied."""

    def pieces() -> Iterator[bytes]:
        yield ("\ufeff".encode() if bom else b"") + (",".join(STANCE_COLUMNS) + "\n").encode()
        for queryset in statement_querysets(filterset):
            yield from _copy(*stance_sql(queryset, stances, base_url))

    for chunk in _coalesce(pieces()):
        yield unescape(chunk.replace(b"\n", b"\r\n"))


def available() -> bool:
    return connection.vendor == "postgresql"


__all__ = [
    "available",
    "copy_sql",
    "jsonl_sql",
    "stance_sql",
    "stream_stances",
    "stream_statement_jsonl",
    "stream_statements",
    "unescape",
]
