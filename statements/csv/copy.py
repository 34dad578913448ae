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
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.urls import reverse

from statements import pagination
from statements.csv import refresh as csv_refresh
from statements.csv.cells import FORMULA_TRIGGERS, PLAIN_STARTS, STATEMENT_COLUMNS, cell
from statements.models import Status
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
    with connection.cursor() as cursor, cursor.cursor.copy(sql, params) as copy:
        for chunk in copy:
            yield bytes(chunk)
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


# -- JSON Lines: the same objects as ``jsonl`` writes, built by PostgreSQL ------------------

#: The statement's own columns in the inner query (``j_<column>``), as the JSON keys.
_JSON_FIELDS = {
    "id": F("id"),
    "said_on": F("said_on"),
    "date_precision": F("date_precision"),
    "speaker": F("speaker__name"),
    "speaker_slug": F("speaker__slug"),
    "speaker_kind": F("speaker__kind"),
    "speaker_title": F("speaker_title"),
    "mode": F("mode"),
    "medium": F("medium"),
    "text": F("text"),
    "source_title": F("source__title"),
    "source_url": F("source__url"),
    "source_published_on": F("source__published_on"),
}

#: The multi-valued keys, each an aggregate over one link table, in ``cells.
#: statement_values``' order: slugs by code point (``COLLATE "C"``), ids ascending,
#: stances by claim id: ``(aggregate, tables, the statement id column)``.
_JSON_LINKS = {
    "recipients": (
        'json_agg(a.slug ORDER BY a.slug COLLATE "C")',
        "statements_statement_recipients l JOIN actors_actor a ON a.id = l.actor_id",
        "l.statement_id",
    ),
    "claims": (
        "json_agg(json_build_object('claim', l.claim_id, 'stance', l.stance) ORDER BY l.claim_id)",
        "statements_stance l",
        "l.statement_id",
    ),
    "events": (
        "json_agg(l.event_id ORDER BY l.event_id)",
        "statements_statement_events l",
        "l.statement_id",
    ),
    "tags": (
        'json_agg(g.slug ORDER BY g.slug COLLATE "C")',
        "statements_taggedstatement l JOIN taggit_tag g ON g.id = l.tag_id",
        "l.content_object_id",
    ),
}

#: Up to this many rows, each row's links are looked up by index (a subquery per link
#: and row); beyond, each link table is aggregated once and joined by hash, which costs
#: a pass over the table whatever the rows but is several times quicker per row.
JSON_LOOKUP_ROWS = 20_000


def jsonl_sql(
    queryset: QuerySet, base_url: str, *, with_status: bool = False, bulk: bool = False
) -> tuple[str, list]:
    """``COPY (…) TO STDOUT`` of one ``json_build_object`` per row of ``queryset`` (already
    filtered and ordered), keys in ``STATEMENT_COLUMNS``' order, then ``status``.
    ``bulk``: the links by aggregated hash joins (many rows), else by index lookups."""
    url = base_url + reverse("statements:statement_detail", args=[_ID_PLACEHOLDER])
    before, after = url.split(str(_ID_PLACEHOLDER))
    fields = {f"j_{name}": expression for name, expression in _JSON_FIELDS.items()}
    if with_status:
        public = Q(status=Status.PUBLISHED) & Q(source__status=Status.PUBLISHED)
        fields["j_status"] = Case(
            When(public, then=Value("published")), default=Value("draft"), output_field=CharField()
        )
    inner, params = queryset.annotate(**fields).values_list(*fields).query.sql_with_params()
    pairs = []
    for name in STATEMENT_COLUMNS:
        if name in _JSON_LINKS:
            aggregate, tables, key = _JSON_LINKS[name]
            found = (
                f"{name}.v" if bulk else f"(SELECT {aggregate} FROM {tables} WHERE {key} = t.j_id)"
            )
            pairs.append(f"'{name}', COALESCE({found}, '[]'::json)")
        elif name == "url":
            pairs.append("'url', %s || t.j_id::text || %s")
        else:
            pairs.append(f"'{name}', t.j_{name}")
    if with_status:
        pairs.append("'status', t.j_status")
    select = f"SELECT json_build_object({', '.join(pairs)})"
    if not bulk:  # a projection of the ordered rows keeps their order
        return f"COPY ({select} FROM ({inner}) t) TO STDOUT", [before, after, *params]
    joins = " ".join(
        f"LEFT JOIN (SELECT {key} AS id, {aggregate} AS v FROM {tables} GROUP BY 1) {name} "
        f"ON {name}.id = t.j_id"
        for name, (aggregate, tables, key) in _JSON_LINKS.items()
    )
    numbered = f"SELECT o.*, row_number() OVER () AS j_n FROM ({inner}) o"
    sql = f"COPY ({select} FROM ({numbered}) t {joins} ORDER BY t.j_n) TO STDOUT"
    return sql, [before, after, *params]  # the url's pieces come first in the text


def stream_statement_jsonl(
    filterset, base_url: str, *, with_status: bool = False
) -> Iterator[bytes]:
    """The statements JSON Lines of ``filterset`` (valid, PostgreSQL) as ~256 KB chunks,
    byte for byte what ``jsonl.stream_records`` writes for the same rows."""

    def pieces() -> Iterator[bytes]:
        for queryset in statement_querysets(filterset):
            bulk = pagination.capped_count(queryset, JSON_LOOKUP_ROWS).capped
            yield from _copy(*jsonl_sql(queryset, base_url, with_status=with_status, bulk=bulk))

    for chunk in _coalesce(pieces()):
        yield unescape(chunk)


def available() -> bool:
    return connection.vendor == "postgresql"


__all__ = [
    "available",
    "copy_sql",
    "jsonl_sql",
    "stream_statement_jsonl",
    "stream_statements",
    "unescape",
]
