"""The statements CSV at COPY speed (PostgreSQL): the same bytes as the ORM path.

The list's own FilterSet builds the queryset (filters, visibility, order; for a ranked
search the ranked candidates first, then the older matches in date order, exactly as
``lists.iterate_statements`` does). Its SQL, with the 18 SPEC columns added as
annotations (multi-valued cells as correlated ``string_agg`` subqueries), is wrapped in

    COPY (SELECT <formula guard>(…) FROM (<the queryset's SQL>) t) TO STDOUT (FORMAT csv)

and psycopg 3 passes the server's bytes through in ~256 KB pieces. Nothing per row
happens in Python, so memory is flat and the rate is the server's.

Byte-identical to ``csv_export.stream_rows`` because:
- PostgreSQL's CSV quotes a value only when it holds ``,``, ``"``, CR or LF, as
  Python's ``QUOTE_MINIMAL`` does; empty strings become NULL (written unquoted, as
  Python writes ``""``) — PostgreSQL would quote a non-NULL empty string;
- PostgreSQL ends rows with LF; :func:`crlf` turns every LF outside quotes into CRLF
  (LFs inside quoted cells stay, as Python leaves them);
- the formula guard is ``csv_export.neutralise`` in SQL: NFKC (``normalize``), skip
  the characters Python's ``str.isspace`` calls blank (tab, CR and LF are triggers
  themselves), then ``=``, ``+``, ``-``, ``@``, tab, CR or LF earns a leading ``'``;
- multi-valued cells sort as Python sorts strings (``COLLATE "C"`` = code points).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse

from statements import pagination
from statements.csv_export import FORMULA_TRIGGERS, STATEMENT_COLUMNS

CHUNK_BYTES = 256 * 1024
_ID_PLACEHOLDER = 987654321


#: What Python's ``str.isspace`` calls blank and NFKC leaves alone, minus the triggers
#: (a test recomputes it from the Unicode database).
BLANKS = "\x0b\x0c\x1c\x1d\x1e\x1f\x20\x85\u1680\u2028\u2029"


def _escaped(chars) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in chars)


#: A PostgreSQL ARE: optional blanks, then a formula trigger (``-`` last in the class).
GUARD_PATTERN = f"^[{_escaped(BLANKS)}]*[{_escaped(sorted(FORMULA_TRIGGERS - {'-'}))}-]"


def _guard(column: str) -> str:
    """SQL for ``neutralise(column)`` with '' as NULL. A cell starting with an ASCII letter
    or digit cannot become a trigger under NFKC, so only the others are normalised."""
    return (
        f"NULLIF(CASE WHEN t.{column} ~ '^[0-9A-Za-z]' THEN t.{column} "
        f"WHEN normalize(t.{column}, NFKC) ~ %s THEN '''' || t.{column} "
        f"ELSE t.{column} END, '')"
    )


def _agg(sql: str) -> RawSQL:
    return RawSQL(sql, [])


def _columns(base_url: str) -> dict[str, object]:
    """Annotation per SPEC column, on a queryset whose base table is statements_statement."""
    prefix, suffix = reverse("statements:statement_detail", args=[_ID_PLACEHOLDER]).split(
        str(_ID_PLACEHOLDER)
    )
    s = '"statements_statement"."id"'
    return {
        "id": F("id"),
        "said_on": RawSQL('to_char("statements_statement"."said_on", \'YYYY-MM-DD\')', []),
        "date_precision": F("date_precision"),
        "speaker": F("speaker__name"),
        "speaker_slug": F("speaker__slug"),
        "speaker_kind": F("speaker__kind"),
        "speaker_title": F("speaker_title"),
        "mode": F("mode"),
        "medium": F("medium"),
        "text": F("text"),
        # Slugs by correlated primary-key lookups: a join here lets the planner hash the
        # whole actors/tags table once per row (measured: 90 µs a row for tags at 1M).
        "recipients": _agg(
            "(SELECT string_agg(x.slug, ';' ORDER BY x.slug COLLATE \"C\") FROM "
            "(SELECT (SELECT a.slug FROM actors_actor a WHERE a.id = r.actor_id) AS slug "
            f"FROM statements_statement_recipients r WHERE r.statement_id = {s}) x)"
        ),
        "claims": _agg(
            "(SELECT string_agg(st.stance || ':' || st.claim_id, ';' "
            'ORDER BY st.claim_id, st.stance COLLATE "C") '
            f"FROM statements_stance st WHERE st.statement_id = {s})"
        ),
        "events": _agg(
            "(SELECT string_agg(e.event_id::text, ';' ORDER BY e.event_id) "
            f"FROM statements_statement_events e WHERE e.statement_id = {s})"
        ),
        "tags": _agg(
            "(SELECT string_agg(x.slug, ';' ORDER BY x.slug COLLATE \"C\") FROM "
            "(SELECT (SELECT tg.slug FROM taggit_tag tg WHERE tg.id = ts.tag_id) AS slug "
            f"FROM statements_taggedstatement ts WHERE ts.content_object_id = {s}) x)"
        ),
        "source_title": F("source__title"),
        "source_url": F("source__url"),
        "source_published_on": RawSQL(
            'to_char("statements_source"."published_on", \'YYYY-MM-DD\')', []
        ),
        "url": RawSQL(f"%s || {s}::text || %s", [base_url + prefix, suffix]),
    }


NOT_GUARDED = {"id", "said_on", "source_published_on", "events"}


def copy_sql(queryset: QuerySet, base_url: str) -> tuple[str, list]:
    """``COPY (…) TO STDOUT`` of ``queryset`` (already filtered and ordered) and its params."""
    columns = _columns(base_url)
    aliases = {name: f"c_{name}" for name in STATEMENT_COLUMNS}
    qs = queryset.annotate(**{aliases[n]: columns[n] for n in STATEMENT_COLUMNS})
    qs = qs.values_list(*aliases.values())
    inner, params = qs.query.sql_with_params()
    outer, outer_params = [], []
    for name in STATEMENT_COLUMNS:
        if name in NOT_GUARDED:
            outer.append(f"t.{aliases[name]}")
        else:
            outer.append(_guard(aliases[name]))
            outer_params.append(GUARD_PATTERN)
    sql = f"COPY (SELECT {', '.join(outer)} FROM ({inner}) t) TO STDOUT (FORMAT csv)"
    return sql, [*outer_params, *params]


def crlf(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """PostgreSQL ends CSV rows with LF; RFC 4180 (and the ORM path) with CRLF.

    Splitting on ``"`` alternates outside/inside a quoted cell (a doubled ``""`` toggles
    twice), so only LFs in outside parts are row ends. The state carries across chunks.
    """
    inside = False
    for chunk in chunks:
        if b'"' not in chunk:
            yield chunk if inside else chunk.replace(b"\n", b"\r\n")
            continue
        parts = chunk.split(b'"')
        for i, part in enumerate(parts):
            if not (inside ^ (i % 2 == 1)):
                parts[i] = part.replace(b"\n", b"\r\n")
        inside ^= (len(parts) - 1) % 2 == 1
        yield b'"'.join(parts)


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
    from statements.views.lists import ranked_statements, statement_keyset

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


def stream_statements(filterset, base_url: str, *, bom: bool = False) -> Iterator[bytes]:
    """The statements CSV of ``filterset`` (valid, PostgreSQL) as ~256 KB byte chunks."""

    def pieces() -> Iterator[bytes]:
        header = (",".join(STATEMENT_COLUMNS) + "\r\n").encode()
        yield ("\ufeff".encode() if bom else b"") + header
        for queryset in statement_querysets(filterset):
            yield from crlf(_copy(*copy_sql(queryset, base_url)))

    return _coalesce(pieces())


def available() -> bool:
    return connection.vendor == "postgresql"


__all__ = ["available", "copy_sql", "crlf", "stream_statements"]
