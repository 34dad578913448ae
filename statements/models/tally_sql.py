"""The SQL that keeps the tallies (``statements.models.tallies``): triggers for
PostgreSQL and SQLite, and a set-based recount.

The same trigger bodies serve both databases (in PL/pgSQL functions on PostgreSQL, in
the trigger itself on SQLite). Each adds one signed *contribution* per affected
statement: a row for all statements, one for its speaker and one per tag (on its day,
and again undated for their totals), and undated ones per stance (claim and kind of
stance) and per event it is about, for each audience the statement belongs to; for
events, also one per source about them. The contributions are folded into
``statements_tally`` with ``ON CONFLICT … DO UPDATE``. An update takes the old row's
contribution away and adds the new one's, so changing a statement's status, date,
speaker or source, a source's status, a tag link, a stance or an event link moves
exactly the counts it affects.

The audiences repeat ``statements.visibility`` in SQL: public when the statement and
its source are published, drafts when neither is discarded. The tallies' tests hold
both to a count made from the rows.

The same module keeps one copied column: each stance's ``said_on``, its statement's date,
so that a claim's side reads in date order from one index (``stance_date_triggers``).

SQLite drops a table's triggers with the table, and Django rebuilds a table to alter
it; ``install_migrate_hooks`` takes the SQLite triggers off before ``migrate`` and puts
them back after it, recounting if a migration ran (as ``filters/word_index.py`` does
for the word index), and recounts after ``flush``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate

STATEMENT_COLUMNS = "status, source_id, said_on, speaker_id"

# -- the contribution of some statements -------------------------------------------------


def _source_status(row: str) -> str:
    """The status of the source of ``row`` (a statement or an event–source link)."""
    return f"(SELECT src.status FROM statements_source src WHERE src.id = {row}.source_id)"


def _columns(row: str, source_status: str) -> str:
    """The columns a contribution reads of one statement ``row``."""
    return (
        f"{row}.id AS id, {row}.said_on AS said_on, {row}.status AS status, "
        f"{row}.speaker_id AS speaker_id, {source_status} AS source_status"
    )


def _one(row: str) -> str:
    """One statement as given by the trigger's OLD or NEW row."""
    return f"(SELECT {_columns(row, _source_status(row))})"


def _stored(statement_id: str) -> str:
    """One statement as stored (a tag link's, a stance's, an event link's)."""
    return (
        f"(SELECT {_columns('s0', _source_status('s0'))} "
        f"FROM statements_statement s0 WHERE s0.id = {statement_id})"
    )


def _of_source(source_id: str, source_status: str) -> str:
    """Every statement of a source, with the source's status given."""
    return (
        f"(SELECT {_columns('s0', source_status)} "
        f"FROM statements_statement s0 WHERE s0.source_id = {source_id})"
    )


AUDIENCES = (
    "(SELECT 1 AS audience UNION ALL SELECT 2) AS a ON "
    "(a.audience = 1 AND s.status = 'published' AND s.source_status = 'published') OR "
    "(a.audience = 2 AND s.status <> 'discarded' AND s.source_status <> 'discarded')"
)


def _claim_kind(stance: str) -> str:
    """``TallyKind.CLAIM_ASSERTS`` (3), ``CLAIM_DENIES`` (4) or ``CLAIM_QUESTIONS`` (5)."""
    return f"CASE {stance} WHEN 'asserts' THEN 3 WHEN 'denies' THEN 4 ELSE 5 END"


@dataclass(frozen=True)
class Dialect:
    #: The null-safe "differs" operator.
    distinct: str
    #: ``tallies.UNDATED`` as a date literal.
    undated: str


DIALECTS = {
    "postgresql": Dialect("IS DISTINCT FROM", "DATE '0001-01-01'"),
    "sqlite": Dialect("IS NOT", "'0001-01-01'"),
}


def _contribution(
    rows: str, sign: int, dialect: Dialect, *, link: list[tuple[str, str, str]] | None = None
) -> str:
    """Rows (kind, subject_id, audience, day, n) for the statements ``rows``: in all, by
    speaker and per tag (per day, and undated totals), per claim and stance, per event.
    With ``link`` (the kind, subject and day expressions of one tag link's, stance's or
    event link's rows), only those rows."""
    undated = dialect.undated
    if link is not None:
        return " UNION ALL ".join(
            f"SELECT {kind} AS kind, {subject} AS subject_id, a.audience, {day} AS day, "
            f"{sign} AS n FROM {rows} AS s JOIN {AUDIENCES}"
            for kind, subject, day in link
        )
    tagged = f"FROM {rows} AS s JOIN statements_taggedstatement t ON t.content_object_id = s.id"
    return (
        f"SELECT 0 AS kind, 0 AS subject_id, a.audience, s.said_on AS day, {sign} AS n "
        f"FROM {rows} AS s JOIN {AUDIENCES} "
        f"UNION ALL SELECT 1, s.speaker_id, a.audience, s.said_on, {sign} "
        f"FROM {rows} AS s JOIN {AUDIENCES} "
        f"UNION ALL SELECT 8, s.speaker_id, a.audience, {undated}, {sign} "
        f"FROM {rows} AS s JOIN {AUDIENCES} "
        f"UNION ALL SELECT 2, t.tag_id, a.audience, s.said_on, {sign} {tagged} JOIN {AUDIENCES} "
        f"UNION ALL SELECT 9, t.tag_id, a.audience, {undated}, {sign} {tagged} JOIN {AUDIENCES} "
        f"UNION ALL SELECT {_claim_kind('st.stance')}, st.claim_id, a.audience, "
        f"{undated}, {sign} "
        f"FROM {rows} AS s JOIN statements_stance st ON st.statement_id = s.id "
        f"JOIN {AUDIENCES} "
        f"UNION ALL SELECT 6, se.event_id, a.audience, {undated}, {sign} "
        f"FROM {rows} AS s JOIN statements_statement_events se ON se.statement_id = s.id "
        f"JOIN {AUDIENCES}"
    )


def _sources_about_events(links: str, sign: int, dialect: Dialect) -> str:
    """Rows (kind 7: ``EVENT_SOURCES``) for ``links`` (event_id, source_status): a
    source about an event counts for the public when published, for the drafts
    audience unless discarded."""
    return (
        f"SELECT 7 AS kind, l.event_id AS subject_id, a.audience, {dialect.undated} AS day, "
        f"{sign} AS n FROM {links} AS l JOIN (SELECT 1 AS audience UNION ALL SELECT 2) AS a "
        "ON (a.audience = 1 AND l.source_status = 'published') "
        "OR (a.audience = 2 AND l.source_status <> 'discarded')"
    )


def _event_link(row: str) -> str:
    return f"(SELECT {row}.event_id AS event_id, {_source_status(row)} AS source_status)"


def _events_of_source(source_id: str, source_status: str) -> str:
    return (
        f"(SELECT es.event_id AS event_id, {source_status} AS source_status "
        f"FROM statements_event_sources es WHERE es.source_id = {source_id})"
    )


def _fold(*contributions: str) -> str:
    return (
        "INSERT INTO statements_tally (kind, subject_id, audience, day, n) "
        "SELECT c.kind, c.subject_id, c.audience, c.day, SUM(c.n) "
        f"FROM ({' UNION ALL '.join(contributions)}) AS c WHERE true "
        "GROUP BY c.kind, c.subject_id, c.audience, c.day HAVING SUM(c.n) <> 0 "
        "ON CONFLICT (kind, subject_id, audience, day) "
        "DO UPDATE SET n = statements_tally.n + excluded.n"
    )


def _changed(columns: str, dialect: Dialect) -> str:
    return " OR ".join(f"OLD.{c} {dialect.distinct} NEW.{c}" for c in columns.split(", "))


def _tag(row: str, dialect: Dialect) -> list[tuple[str, str, str]]:
    return [("2", f"{row}.tag_id", "s.said_on"), ("9", f"{row}.tag_id", dialect.undated)]


def _stance(row: str, dialect: Dialect) -> list[tuple[str, str, str]]:
    return [(_claim_kind(f"{row}.stance"), f"{row}.claim_id", dialect.undated)]


def _event(row: str, dialect: Dialect) -> list[tuple[str, str, str]]:
    return [("6", f"{row}.event_id", dialect.undated)]


Trigger = tuple[str, str, str, str | None, str]


def _row_triggers(
    name: str, table: str, columns: str, dialect: Dialect, contribution: Callable[[str, int], str]
) -> list[Trigger]:
    """A table's insert, delete and update triggers: an inserted row adds
    ``contribution("NEW", 1)``, a deleted one ``contribution("OLD", -1)``, and an update
    of ``columns`` that changes one of them takes the old row's away and adds the new."""
    return [
        (f"{name}_insert", table, "INSERT", None, _fold(contribution("NEW", 1))),
        (f"{name}_delete", table, "DELETE", None, _fold(contribution("OLD", -1))),
        (
            f"{name}_update",
            table,
            f"UPDATE OF {columns}",
            _changed(columns, dialect),
            _fold(contribution("OLD", -1), contribution("NEW", 1)),
        ),
    ]


def _link(statement_column: str, rows, dialect: Dialect) -> Callable[[str, int], str]:
    """The contribution of a link row (tag link, stance, event link): its own tally rows
    (``rows(row, dialect)``) for the one statement it names."""
    return lambda row, sign: _contribution(
        _stored(f"{row}.{statement_column}"), sign, dialect, link=rows(row, dialect)
    )


def triggers(dialect: Dialect) -> list[Trigger]:
    """(name, table, event, WHEN condition or None, body)."""
    d = dialect
    source = "statements_source"
    statements = _row_triggers(
        "tally_statement",
        "statements_statement",
        STATEMENT_COLUMNS,
        d,
        lambda row, sign: _contribution(_one(row), sign, d),
    )
    # A source inserted after rows that name it (a restore loads them in any order, its
    # foreign keys checked at the end): their contributions, which found no source to
    # decide their audience, are added now. Nothing names a new source in ordinary
    # writes, so this finds no row.
    sources = [
        (
            "tally_source_insert",
            source,
            "INSERT",
            None,
            _fold(
                _contribution(_of_source("NEW.id", "NEW.status"), 1, d),
                _sources_about_events(_events_of_source("NEW.id", "NEW.status"), 1, d),
            ),
        ),
        (
            "tally_source_update",
            source,
            "UPDATE OF status",
            _changed("status", d),
            _fold(
                _contribution(_of_source("NEW.id", "OLD.status"), -1, d),
                _contribution(_of_source("NEW.id", "NEW.status"), 1, d),
                _sources_about_events(_events_of_source("NEW.id", "OLD.status"), -1, d),
                _sources_about_events(_events_of_source("NEW.id", "NEW.status"), 1, d),
            ),
        ),
    ]
    return [
        *statements,
        *sources,
        *_row_triggers(
            "tally_tag",
            "statements_taggedstatement",
            "tag_id, content_object_id",
            d,
            _link("content_object_id", _tag, d),
        ),
        *_row_triggers(
            "tally_stance",
            "statements_stance",
            "claim_id, stance, statement_id",
            d,
            _link("statement_id", _stance, d),
        ),
        *_row_triggers(
            "tally_statement_event",
            "statements_statement_events",
            "statement_id, event_id",
            d,
            _link("statement_id", _event, d),
        ),
        *_row_triggers(
            "tally_event_source",
            "statements_event_sources",
            "event_id, source_id",
            d,
            lambda row, sign: _sources_about_events(_event_link(row), sign, d),
        ),
    ]


STATEMENT_DATE = "(SELECT s.said_on FROM statements_statement s WHERE s.id = {}.statement_id)"


def stance_date_triggers(dialect: Dialect) -> list[Trigger]:
    """SQLite: each stance's ``said_on`` is its statement's, whatever writes. Set after
    a stance is written (a Django ``save`` writes the instance's own, maybe empty, copy),
    and on a statement's stances when it is inserted (a restore loads rows in any order)
    or its date changes. (PostgreSQL: ``STANCE_DATE_POSTGRESQL``.)"""
    fetch = (
        f"UPDATE statements_stance SET said_on = {STATEMENT_DATE.format('NEW')} WHERE id = NEW.id"
    )
    copy = "UPDATE statements_stance SET said_on = NEW.said_on WHERE statement_id = NEW.id"
    statement, stance = "statements_statement", "statements_stance"
    return [
        ("stance_date_statement_insert", statement, "INSERT", None, copy),
        (
            "stance_date_statement_update",
            statement,
            "UPDATE OF said_on",
            _changed("said_on", dialect),
            copy,
        ),
        ("stance_date_stance_insert", stance, "INSERT", None, fetch),
        (
            "stance_date_stance_update",
            stance,
            "UPDATE",
            f"NEW.said_on {dialect.distinct} {STATEMENT_DATE.format('NEW')}",
            fetch,
        ),
    ]


#: PostgreSQL: the same rule, the stance's date set before the row is written (an
#: UPDATE after it would re-render the statement's CSV cells, ``0007_csv_rows``), and
#: a statement's stances updated only when it has some.
STANCE_DATE_POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION stance_date_of_statement() RETURNS trigger "
    f"LANGUAGE plpgsql AS $$ BEGIN NEW.said_on := {STATEMENT_DATE.format('NEW')}; "
    "RETURN NEW; END $$",
    "CREATE TRIGGER stance_date_stance BEFORE INSERT OR UPDATE ON statements_stance "
    "FOR EACH ROW EXECUTE FUNCTION stance_date_of_statement()",
    "CREATE OR REPLACE FUNCTION stance_date_to_stances() RETURNS trigger LANGUAGE plpgsql "
    "AS $$ BEGIN IF EXISTS (SELECT 1 FROM statements_stance WHERE statement_id = NEW.id) "
    "THEN UPDATE statements_stance SET said_on = NEW.said_on WHERE statement_id = NEW.id; "
    "END IF; RETURN NULL; END $$",
    "CREATE TRIGGER stance_date_statement_insert AFTER INSERT ON statements_statement "
    "FOR EACH ROW EXECUTE FUNCTION stance_date_to_stances()",
    "CREATE TRIGGER stance_date_statement_update AFTER UPDATE OF said_on "
    "ON statements_statement FOR EACH ROW WHEN (OLD.said_on IS DISTINCT FROM NEW.said_on) "
    "EXECUTE FUNCTION stance_date_to_stances()",
]


def stance_date_create_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return STANCE_DATE_POSTGRESQL
    return create_sql(vendor, stance_date_triggers)


def stance_date_drop_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            "DROP TRIGGER IF EXISTS stance_date_stance ON statements_stance",
            "DROP TRIGGER IF EXISTS stance_date_statement_insert ON statements_statement",
            "DROP TRIGGER IF EXISTS stance_date_statement_update ON statements_statement",
            "DROP FUNCTION IF EXISTS stance_date_of_statement()",
            "DROP FUNCTION IF EXISTS stance_date_to_stances()",
        ]
    return drop_sql(vendor, stance_date_triggers)


def copy_stance_dates(cursor) -> None:
    """Set every stance's ``said_on`` that differs from its statement's, set-based (for
    rows written with the triggers off)."""
    dialect = _dialect(cursor.db.vendor)
    date = (
        "(SELECT s.said_on FROM statements_statement s WHERE s.id = statements_stance.statement_id)"
    )
    cursor.execute(
        f"UPDATE statements_stance SET said_on = {date} WHERE said_on {dialect.distinct} {date}"
    )


def rebuild_sql(vendor: str) -> str:
    """Every statement counted once (into an empty table)."""
    dialect = _dialect(vendor)
    return _fold(
        _contribution(
            f"(SELECT {_columns('s0', 'src.status')} "
            "FROM statements_statement s0 JOIN statements_source src ON src.id = s0.source_id)",
            1,
            dialect,
        ),
        _sources_about_events(
            "(SELECT es.event_id AS event_id, src.status AS source_status "
            "FROM statements_event_sources es JOIN statements_source src ON src.id = es.source_id)",
            1,
            dialect,
        ),
    )


def _dialect(vendor: str) -> Dialect:
    if vendor not in DIALECTS:
        raise NotImplementedError(f"tallies need triggers written for {vendor}")
    return DIALECTS[vendor]


def create_sql(vendor: str, kept: Callable[[Dialect], list[Trigger]] = triggers) -> list[str]:
    """The statements that create the triggers on ``vendor``'s database: the tallies'
    (``triggers``) unless ``kept`` names another set."""
    statements = []
    dialect = _dialect(vendor)
    if vendor == "postgresql":
        for name, table, event, when, body in kept(dialect):
            condition = f"WHEN ({when}) " if when else ""
            statements += [
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {body}; RETURN NULL; END $$",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW "
                f"{condition}EXECUTE FUNCTION {name}()",
            ]
    else:
        for name, table, event, when, body in kept(dialect):
            condition = f"WHEN {when} " if when else ""
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW "
                f"{condition}BEGIN {body}; END"
            )
    return statements


def drop_sql(vendor: str, kept: Callable[[Dialect], list[Trigger]] = triggers) -> list[str]:
    names = [(name, table) for name, table, *_ in kept(DIALECTS["sqlite"])]
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}()"
            for name, table in names
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name, _ in names]


def recount(cursor) -> None:
    """Empty the tallies and count every statement again, set-based."""
    cursor.execute("DELETE FROM statements_tally")
    cursor.execute(rebuild_sql(cursor.db.vendor))


# -- keeping the SQLite triggers through later migrations --------------------------------


def _table_exists(connection) -> bool:
    return "statements_tally" in connection.introspection.table_names()


def _stances_dated(connection, cursor) -> bool:
    columns = connection.introspection.get_table_description(cursor, "statements_stance")
    return any(column.name == "said_on" for column in columns)


def _before_migrate(sender, using="default", **kwargs) -> None:
    connection = connections[using]
    if sender.name == "statements" and connection.vendor == "sqlite" and _table_exists(connection):
        with connection.cursor() as cursor:
            for sql in drop_sql("sqlite") + stance_date_drop_sql("sqlite"):
                cursor.execute(sql)


def _after_migrate(sender, using="default", plan=None, **kwargs) -> None:
    connection = connections[using]
    if sender.name != "statements" or connection.vendor != "sqlite":
        return
    if not _table_exists(connection):
        return
    with connection.cursor() as cursor:
        dated = _stances_dated(connection, cursor)
        kept = drop_sql("sqlite") + create_sql("sqlite")
        if dated:
            kept += stance_date_drop_sql("sqlite") + stance_date_create_sql("sqlite")
        for sql in kept:
            cursor.execute(sql)
        # Count everything again when migrations ran while the triggers were away, and
        # after ``flush`` (``plan`` None): it deletes row by row here, the tallies' table
        # first, so the statements' delete triggers leave negative counts behind.
        if plan is None or plan:
            recount(cursor)
            if dated:
                copy_stance_dates(cursor)


def install_migrate_hooks() -> None:
    pre_migrate.connect(_before_migrate, dispatch_uid="tally_triggers_before_migrate")
    post_migrate.connect(_after_migrate, dispatch_uid="tally_triggers_after_migrate")
