"""How filters match rows: tags by resolved id; statements by words (full text on
PostgreSQL, the FTS5 word index on SQLite, ``word_index``); substrings through the
trigram index (SQLite's admin search); actor names through their folded names and
aliases."""

from __future__ import annotations

import datetime
import functools
import operator
import sqlite3

from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In

from actors.models import Alias
from actors.text import fold
from statements.filters import websearch, word_index

SEARCH_CONFIG = "english"


#: SQLite: a tag on at least this many rows is tested per row (see ``tagged_with``).
COMMON_TAG_LINKS = 2_000


def tagged_with(queryset: QuerySet, through, tag_id: int) -> QuerySet:
    """Rows of ``queryset`` carrying the tag, by its resolved id.

    ``id IN (SELECT object FROM links WHERE tag = …)``: PostgreSQL picks the join order
    by the tag's statistics. SQLite always starts from the links and sorts all of them
    by date, a sort that grows with the tag, so there a common tag (at least
    ``COMMON_TAG_LINKS`` links, a bounded count) is tested per row with ``EXISTS`` while
    walking the date index instead, which meets a page of matches soon; a rare one keeps
    ``IN`` (figures: docs/benchmark.md).
    """
    links = through.objects.filter(tag_id=tag_id)
    if connection.vendor == "sqlite":
        common = links[:COMMON_TAG_LINKS].count() >= COMMON_TAG_LINKS
        if common:
            return queryset.filter(
                Exists(links.filter(content_object_id=OuterRef("pk")).values("pk"))
            )
    return queryset.filter(id__in=links.values("content_object_id"))


def _tags_all(queryset: QuerySet, through, tags) -> QuerySet:
    """All tags must match: one ``tagged_with`` per tag."""
    for tag in tags:
        queryset = tagged_with(queryset, through, tag.pk)
    return queryset


@functools.cache
def trigram_index_available() -> bool:
    """Whether this SQLite has FTS5's trigram tokenizer, so that migration 0009 built
    ``statement_text_fts`` (asked of a private in-memory database: no query counted)."""
    try:
        sqlite3.connect(":memory:").execute(
            "CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')"
        )
    except sqlite3.Error:
        return False
    return True


#: SQLite: a text search with at least this many hits walks the date index instead (near
#: this many hits the two ways were measured to cost about the same; docs/benchmark.md).
COMMON_TEXT_HITS = 400
_TEXT_HITS = "SELECT rowid FROM statement_text_fts WHERE statement_text_fts MATCH %s"


def text_contains(value: str, columns: tuple[str, ...] = ("text",)) -> Q:
    """SQLite: statements where one of ``columns`` contains ``value``, ignoring (ASCII)
    case, as ``icontains`` has it.

    ``icontains`` alone is a scan, cheap for a common value (the date-ordered walk meets
    a page of matches soon) and slow for a rare one, which walks nearly every row (figures:
    docs/benchmark.md). So a value of three characters or more (what a trigram needs) is
    first counted in migration 0009's trigram index, up to ``COMMON_TEXT_HITS`` (a bounded
    query); when fewer, the rows come from the index, still tested with ``icontains``:
    the index folds case beyond ASCII, so it finds a superset and ``icontains`` keeps the
    meaning exact.
    """
    contains = Q()
    for column in columns:
        contains |= Q(**{f"{column}__icontains": value})
    # A trigram needs three characters; FTS5 would end the string at a NUL (the forms
    # refuse NULs before this, the admin's search form too: this is for other callers).
    if len(value) < 3 or "\x00" in value:
        return contains
    if connection.vendor != "sqlite" or not trigram_index_available():
        return contains
    match = "{" + " ".join(columns) + "} : " + '"' + value.replace('"', '""') + '"'
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({_TEXT_HITS} LIMIT {COMMON_TEXT_HITS})", [match])
        if cursor.fetchone()[0] >= COMMON_TEXT_HITS:
            return contains
    return Q(id__in=RawSQL(_TEXT_HITS, [match])) & contains


def _actor_name_matches(value: str) -> Q:
    folded = fold(value)
    return Q(name_folded__contains=folded) | Q(
        pk__in=Alias.objects.filter(name_folded__contains=folded).values("actor_id")
    )


# -- words (SQLite) ------------------------------------------------------------------------

#: SQLite: words found in at least this many statements are tested per row while
#: walking the date index; rarer ones give their rows from the index.
COMMON_WORD_HITS = 400
#: ... and words found in at least this share of the statements are looked up in the
#: index row by row (``_HasWords``) instead of gathering every hit first: a page walks
#: only a few rows per match, and gathering costs as much as there are hits.
EVERYWHERE_SHARE = 3  # one statement in three
_WORD_HITS = (
    f"SELECT rowid & {word_index.ID_MASK} FROM {word_index.TABLE} "  # noqa: S608
    f"WHERE {word_index.TABLE} MATCH %s"
)
# How many hits, counted up to a third of the statements (the ids' high mark), and that
# mark: one bounded query tells rare, common and everywhere apart.
_HIT_COUNT = (
    f"SELECT count(*), (SELECT max(id) FROM statements_statement) FROM ("  # noqa: S608
    f"SELECT 1 FROM {word_index.TABLE} WHERE {word_index.TABLE} MATCH %s "
    f"LIMIT max({COMMON_WORD_HITS}, (SELECT max(id) FROM statements_statement) "
    f"/ {EVERYWHERE_SHARE}))"
)


@functools.cache
def word_index_ready(alias: str = "default") -> bool:
    """Whether migration 0010 built SQLite's word index on this database."""
    from django.db import connections

    db = connections[alias]
    return db.vendor == "sqlite" and word_index.sqlite_index_exists(db)


class _HasWords(Func):
    """SQLite: whether the statement's own entry in the word index matches ``match``:
    one lookup by rowid (``word_index.rowid_of``: date and id), for this row only."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, match: str):
        super().__init__(F("said_on"), F("id"))
        self.match = match

    def as_sql(self, compiler, connection, **extra_context):
        said_on, said_on_params = compiler.compile(self.source_expressions[0])
        pk, pk_params = compiler.compile(self.source_expressions[1])
        table = word_index.TABLE
        sql = (
            f"EXISTS (SELECT 1 FROM {table} WHERE {table} MATCH %s AND rowid = "
            f"CAST(julianday({said_on}) AS INTEGER) * {word_index.ID_SHIFT} + {pk})"
        )
        return sql, (self.match, *said_on_params, *pk_params)


def _in_word_index(match: str, *, per_row: bool) -> Q:
    """Statements the FTS5 expression ``match`` finds. Rare: ``id IN (hits)``, the rows
    come from the index. Common (at least ``COMMON_WORD_HITS``, a bounded count):
    ``+id IN (hits)``, the unary plus keeps SQLite on the date index, testing each row
    against the hits gathered once, so a page of newest matches comes early. Everywhere
    (in at least one statement of ``EVERYWHERE_SHARE``): each row walked is looked up in
    the index (``_HasWords``), with no gathering at all, when ``per_row`` (a page of
    rows; ranking reads many candidates, for which gathering once is cheaper)."""
    with connection.cursor() as cursor:
        cursor.execute(_HIT_COUNT, [match])
        hits_counted, high_mark = cursor.fetchone()
    if hits_counted < COMMON_WORD_HITS:
        return Q(id__in=RawSQL(_WORD_HITS, [match]))
    everywhere = high_mark and hits_counted >= high_mark // EVERYWHERE_SHARE
    if per_row and everywhere:
        return Q(_HasWords(match))
    unary_plus = Func(F("id"), template="+%(expressions)s", output_field=IntegerField())
    return Q(In(unary_plus, RawSQL(_WORD_HITS, [match])))


def words_match(value: str, *, per_row: bool = True) -> Q:
    """SQLite: statements whose text, speaker's names or tags hold ``value``'s words,
    in PostgreSQL's web-search syntax (``websearch.to_fts5``). Nothing for a query of
    stop words alone, as on PostgreSQL. ``per_row``: whether a word found nearly
    everywhere may be looked up row by row (``_in_word_index``)."""
    query = websearch.to_fts5(value)
    if query.empty:
        return Q(pk__in=[])
    parts = [_in_word_index(query.match, per_row=per_row)] if query.match else []
    parts += [~_in_word_index(excluded, per_row=per_row) for excluded in query.excluded]
    return functools.reduce(operator.or_, parts)


def word_ranks(value: str, keys: list[tuple[int, datetime.date]]) -> dict[int, float]:
    """SQLite: bm25 of the statements ``keys`` (``(id, said_on)``) for ``value`` (lower is
    better; FTS5's sign), the columns weighed as PostgreSQL weighs text, names and tags.
    One pass over the hits between the oldest and newest of them: the index lists hits
    by date (``word_index.rowid_of``), so for the newest candidates of a list that is
    about as many hits as candidates."""
    match = websearch.to_fts5(value).match
    if not match or not keys:
        return {}
    rowids = [word_index.rowid_of(said_on, pk) for pk, said_on in keys]
    sql = (
        f"SELECT rowid & {word_index.ID_MASK}, {word_index.BM25} "  # noqa: S608
        f"FROM {word_index.TABLE} WHERE {word_index.TABLE} MATCH %s AND rowid BETWEEN %s AND %s"
    )
    wanted = {pk for pk, _ in keys}
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, min(rowids), max(rowids)])
        return {pk: rank for pk, rank in cursor.fetchall() if pk in wanted}
