"""The word-search index of statements on each database, and the SQL that keeps it.

What is indexed, on both databases: the statement's text; the speaker as printed, the
speaker's name and every alias; the names of its tags. Triggers keep it in step with
every write, whoever writes (the ORM, loaddata, the synthetic loader, raw SQL).

- **PostgreSQL**: ``statements_statement.search_vector`` (migration 0003), weighted
  A (text), B (names), C (tags), behind a GIN index; ``websearch_to_tsquery`` reads the
  query. ``statement_search_document`` computes it.
- **SQLite**: the FTS5 table ``statement_search`` (columns ``text``, ``speaker``,
  ``tags``; tokenizer ``porter unicode61 remove_diacritics 2``: stemmed, case- and
  accent-blind), its rowid the statement's date and id (``rowid_of``).
  ``filters.websearch`` reads the query.

SQLite checks every trigger's tables whenever Django rebuilds a table in a migration
(it drops the table and renames a copy), and these triggers name five tables
(statements, tags and tag links, actors, aliases): a later migration that rebuilds
any of them would fail on them. So ``install_migrate_hooks`` drops them before
``migrate`` runs and creates them again after, rebuilding the index if a migration ran.
"""

from __future__ import annotations

import functools
import sqlite3

from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate

TABLE = "statement_search"
#: bm25 weights of the columns, as PostgreSQL weighs A, B and C (ts_rank's defaults).
BM25 = f"bm25({TABLE}, 1.0, 0.4, 0.2)"

# -- SQLite ------------------------------------------------------------------------------

#: The FTS5 rowid of a statement is its date and id, ``day * 2**32 + id`` (day: the
#: Julian day number of ``said_on``; ids stay below 2**32), so the index lists hits in
#: the lists' (said_on, id) order: the newest matches of a search are one rowid range,
#: which is what ranking reads (``search.word_ranks``). ``rowid & ID_MASK`` is the id.
ID_SHIFT = 2**32
ID_MASK = ID_SHIFT - 1


def rowid_of(said_on, statement_id: int) -> int:
    """The FTS5 rowid of a statement (as ``_key`` computes it in SQL)."""
    return (said_on.toordinal() + 1_721_424) * ID_SHIFT + statement_id


def _key(row: str) -> str:
    return f"(CAST(julianday({row}.said_on) AS INTEGER) * {ID_SHIFT} + {row}.id)"


def _speaker(row: str) -> str:
    """The speaker column for the statement ``row`` (``new``, ``s``, …)."""
    return (
        f"{row}.speaker_as_printed"
        f" || ' ' || coalesce((SELECT a.name FROM actors_actor a WHERE a.id = {row}.speaker_id), '')"
        " || ' ' || coalesce((SELECT group_concat(al.name, ' ') FROM actors_alias al"
        f" WHERE al.actor_id = {row}.speaker_id), '')"
    )


def _tags(statement_id: str) -> str:
    return (
        "coalesce((SELECT group_concat(t.name, ' ') FROM statements_taggedstatement ts"
        f" JOIN taggit_tag t ON t.id = ts.tag_id WHERE ts.content_object_id = {statement_id}), '')"
    )


SQLITE_TABLE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(text, speaker, tags, "
    "tokenize='porter unicode61 remove_diacritics 2')"
)

_INSERT_NEW = (
    f"INSERT INTO {TABLE} (rowid, text, speaker, tags) "
    f"VALUES ({_key('new')}, new.text, {_speaker('new')}, {_tags('new.id')});"
)
_OWN_ID = f"({TABLE}.rowid & {ID_MASK})"
_TAGS_OF = (
    f"UPDATE {TABLE} SET tags = {_tags(_OWN_ID)} WHERE rowid IN"
    f" (SELECT {_key('s')} FROM statements_statement s WHERE s.id IN ({{statements}}));"
)
_SPEAKERS_OF = (
    f"UPDATE {TABLE} SET speaker = (SELECT {_speaker('s')} FROM statements_statement s"
    f" WHERE s.id = {_OWN_ID}) WHERE rowid IN"
    f" (SELECT {_key('s')} FROM statements_statement s WHERE s.speaker_id IN ({{actors}}));"
)

#: name -> CREATE TRIGGER statement.
SQLITE_TRIGGERS = {
    "statement_search_insert": f"""
        CREATE TRIGGER IF NOT EXISTS statement_search_insert
        AFTER INSERT ON statements_statement BEGIN {_INSERT_NEW} END""",
    "statement_search_update": f"""
        CREATE TRIGGER IF NOT EXISTS statement_search_update
        AFTER UPDATE OF text, speaker_id, speaker_as_printed, said_on ON statements_statement
        BEGIN DELETE FROM {TABLE} WHERE rowid = {_key("old")}; {_INSERT_NEW} END""",
    "statement_search_delete": f"""
        CREATE TRIGGER IF NOT EXISTS statement_search_delete
        AFTER DELETE ON statements_statement BEGIN
            DELETE FROM {TABLE} WHERE rowid = {_key("old")}; END""",
    **{
        f"statement_search_tag_link_{op.lower()}": f"""
        CREATE TRIGGER IF NOT EXISTS statement_search_tag_link_{op.lower()}
        AFTER {op} ON statements_taggedstatement BEGIN
            {_TAGS_OF.format(statements=", ".join(f"{r}.content_object_id" for r in rows))}
        END"""
        for op, rows in (("INSERT", ["new"]), ("DELETE", ["old"]), ("UPDATE", ["old", "new"]))
    },
    "statement_search_tag_rename": f"""
        CREATE TRIGGER IF NOT EXISTS statement_search_tag_rename
        AFTER UPDATE OF name ON taggit_tag WHEN old.name IS NOT new.name BEGIN
            {
        _TAGS_OF.format(
            statements="SELECT content_object_id FROM "
            "statements_taggedstatement WHERE tag_id = new.id"
        )
    }
        END""",
    "statement_search_actor_rename": f"""
        CREATE TRIGGER IF NOT EXISTS statement_search_actor_rename
        AFTER UPDATE OF name ON actors_actor WHEN old.name IS NOT new.name BEGIN
            {_SPEAKERS_OF.format(actors="new.id")} END""",
    **{
        f"statement_search_alias_{op.lower()}": f"""
        CREATE TRIGGER IF NOT EXISTS statement_search_alias_{op.lower()}
        AFTER {op} ON actors_alias BEGIN
            {_SPEAKERS_OF.format(actors=", ".join(f"{row}.actor_id" for row in rows))} END"""
        for op, rows in (("INSERT", ["new"]), ("DELETE", ["old"]), ("UPDATE", ["old", "new"]))
    },
}

SQLITE_REBUILD = [
    f"DELETE FROM {TABLE}",
    f"INSERT INTO {TABLE} (rowid, text, speaker, tags) "
    f"SELECT {_key('s')}, s.text, {_speaker('s')}, {_tags('s.id')} FROM statements_statement s",
]


@functools.cache
def fts5_available() -> bool:
    """Whether this SQLite has FTS5 (asked of a private in-memory database)."""
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
    except sqlite3.Error:
        return False
    return True


def sqlite_index_exists(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE])
        return cursor.fetchone() is not None


def sqlite_drop_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def sqlite_create_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for sql in SQLITE_TRIGGERS.values():
            cursor.execute(sql)


def sqlite_rebuild(connection) -> None:
    with connection.cursor() as cursor:
        for sql in SQLITE_REBUILD:
            cursor.execute(sql)


# -- PostgreSQL --------------------------------------------------------------------------

_DOCUMENT_OF_S = "statement_search_document(s.id, s.text, s.speaker_id, s.speaker_as_printed)"

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION statement_search_document(sid bigint, body text, speaker bigint, printed text)
    RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('english', coalesce(body, '')), 'A')
            || setweight(to_tsvector('english', coalesce(printed, '') || ' ' || coalesce(
                (SELECT a.name || ' ' || coalesce(string_agg(al.name, ' '), '')
                   FROM actors_actor a LEFT JOIN actors_alias al ON al.actor_id = a.id
                  WHERE a.id = speaker GROUP BY a.id), '')), 'B')
            || setweight(to_tsvector('english', coalesce(
                (SELECT string_agg(t.name, ' ' ORDER BY ts.id) FROM statements_taggedstatement ts
                   JOIN taggit_tag t ON t.id = ts.tag_id
                  WHERE ts.content_object_id = sid), '')), 'C')
    $$;
    """,
    # The trigger of migration 0003 (on insert and on text or speaker changes) now
    # computes the whole document.
    """
    CREATE OR REPLACE FUNCTION statement_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector := statement_search_document(
            NEW.id, NEW.text, NEW.speaker_id, NEW.speaker_as_printed);
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE FUNCTION statement_search_tag_links() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        changed text := CASE TG_OP
            WHEN 'INSERT' THEN 'SELECT content_object_id FROM new_rows'
            WHEN 'DELETE' THEN 'SELECT content_object_id FROM old_rows'
            ELSE 'SELECT content_object_id FROM new_rows UNION '
                 'SELECT content_object_id FROM old_rows'
        END;
    BEGIN
        EXECUTE 'UPDATE statements_statement s SET search_vector = {_DOCUMENT_OF_S}'
            || ' WHERE s.id IN (' || changed || ')';
        RETURN NULL;
    END;
    $$;
    """,
    *[
        f"""
        CREATE TRIGGER statement_search_tag_link_{op.lower()} AFTER {op}
        ON statements_taggedstatement REFERENCING {tables} FOR EACH STATEMENT
        EXECUTE FUNCTION statement_search_tag_links();
        """
        for op, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        )
    ],
    f"""
    CREATE FUNCTION statement_search_tag_rename() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE statements_statement s SET search_vector = {_DOCUMENT_OF_S}
         WHERE s.id IN (SELECT content_object_id FROM statements_taggedstatement
                         WHERE tag_id = NEW.id);
        RETURN NULL;
    END;
    $$;
    """,
    """
    CREATE TRIGGER statement_search_tag_rename AFTER UPDATE OF name ON taggit_tag
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION statement_search_tag_rename();
    """,
    f"""
    CREATE FUNCTION statement_search_names() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        actors bigint[];
    BEGIN
        IF TG_TABLE_NAME = 'actors_actor' THEN
            actors := ARRAY[NEW.id];
        ELSIF TG_OP = 'INSERT' THEN
            actors := ARRAY[NEW.actor_id];
        ELSIF TG_OP = 'DELETE' THEN
            actors := ARRAY[OLD.actor_id];
        ELSE
            actors := ARRAY[OLD.actor_id, NEW.actor_id];
        END IF;
        UPDATE statements_statement s SET search_vector = {_DOCUMENT_OF_S}
         WHERE s.speaker_id = ANY(actors);
        RETURN NULL;
    END;
    $$;
    """,
    """
    CREATE TRIGGER statement_search_actor_rename AFTER UPDATE OF name ON actors_actor
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION statement_search_names();
    """,
    """
    CREATE TRIGGER statement_search_alias AFTER INSERT OR UPDATE OR DELETE ON actors_alias
    FOR EACH ROW EXECUTE FUNCTION statement_search_names();
    """,
    # Fill in what exists. The CSV cells' trigger would re-render every row for nothing.
    "ALTER TABLE statements_statement DISABLE TRIGGER statement_csv_cells;",
    f"UPDATE statements_statement s SET search_vector = {_DOCUMENT_OF_S};",
    "ALTER TABLE statements_statement ENABLE TRIGGER statement_csv_cells;",
]

POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS statement_search_alias ON actors_alias;",
    "DROP TRIGGER IF EXISTS statement_search_actor_rename ON actors_actor;",
    "DROP FUNCTION IF EXISTS statement_search_names();",
    "DROP TRIGGER IF EXISTS statement_search_tag_rename ON taggit_tag;",
    "DROP FUNCTION IF EXISTS statement_search_tag_rename();",
    *[
        f"DROP TRIGGER IF EXISTS statement_search_tag_link_{op} ON statements_taggedstatement;"
        for op in ("insert", "update", "delete")
    ],
    "DROP FUNCTION IF EXISTS statement_search_tag_links();",
    # Migration 0003's document: text, and names as printed, of the actor and aliases.
    """
    CREATE OR REPLACE FUNCTION statement_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('english', coalesce(NEW.text, '')), 'A')
            || setweight(to_tsvector('english', coalesce(NEW.speaker_as_printed, '') || ' ' || coalesce(
                (SELECT a.name || ' ' || coalesce(string_agg(al.name, ' '), '')
                   FROM actors_actor a LEFT JOIN actors_alias al ON al.actor_id = a.id
                  WHERE a.id = NEW.speaker_id GROUP BY a.id), '')), 'B');
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "DROP FUNCTION IF EXISTS statement_search_document(bigint, text, bigint, text);",
]


# -- keeping the SQLite triggers through later migrations --------------------------------


def _before_migrate(sender, using="default", **kwargs) -> None:
    connection = connections[using]
    if sender.name == "statements" and connection.vendor == "sqlite":
        sqlite_drop_triggers(connection)


def _after_migrate(sender, using="default", plan=None, **kwargs) -> None:
    connection = connections[using]
    if sender.name != "statements" or connection.vendor != "sqlite":
        return
    if not sqlite_index_exists(connection):
        return
    sqlite_create_triggers(connection)
    if plan:  # migrations ran while the triggers were away: index everything again
        sqlite_rebuild(connection)


def install_migrate_hooks() -> None:
    """Connect the hooks that lift the SQLite triggers over ``migrate`` (the signals
    are sent once per app; the hooks act on the statements app's)."""
    pre_migrate.connect(_before_migrate, dispatch_uid="statement_search_before_migrate")
    post_migrate.connect(_after_migrate, dispatch_uid="statement_search_after_migrate")
