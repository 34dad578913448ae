"""A recipient's or tag's slug change queues its statements' CSV rows (PostgreSQL).

Migration 0007 re-rendered every statement showing the slug in the renaming transaction:
for a tag on 460k of 1M statements that is a minute or more (each wide statement row and
its indexes rewritten), longer than a web worker may take, so the admin rename failed.

Now the rename only queues the statements' ids in ``statements_csv_stale`` (one narrow
insert each, ~1 s for 460k). Until a statement is re-rendered and leaves the queue, the
export renders its body on the fly (``statement_csv_body_now``; see ``csv_copy``), so
the CSV is right at every moment; ``csv_refresh`` drains the queue in small
transactions, after the rename's commit, in the background.

Queueing takes a row lock (``DO UPDATE``, not ``DO NOTHING``): a drain that already
holds the row has re-rendered with the old slug, so the rename waits for it and queues
the statement again; a drain that comes later skips the locked row (``SKIP LOCKED``)
until the rename commits.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE TABLE statements_csv_stale (statement_id bigint PRIMARY KEY);",
    # A statement's csv_body as statement_csv_cells() would render it now (by id alone:
    # the export's sort then carries no more columns than before).
    """
    CREATE FUNCTION statement_csv_body_now(sid bigint) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT statement_csv_body(
                s.speaker_title, s.mode, s.medium, s.text, statement_csv_recipients(sid),
                statement_csv_claims(sid), statement_csv_events(sid), statement_csv_tags(sid))
              FROM statements_statement s WHERE s.id = sid);
    """,
    """
    CREATE OR REPLACE FUNCTION actor_slug_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO statements_csv_stale (statement_id)
        SELECT DISTINCT statement_id FROM statements_statement_recipients
         WHERE actor_id = NEW.id
        ON CONFLICT (statement_id) DO UPDATE SET statement_id = EXCLUDED.statement_id;
        RETURN NULL;
    END;
    $$;
    """,
    """
    CREATE OR REPLACE FUNCTION tag_slug_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO statements_csv_stale (statement_id)
        SELECT DISTINCT content_object_id FROM statements_taggedstatement
         WHERE tag_id = NEW.id
        ON CONFLICT (statement_id) DO UPDATE SET statement_id = EXCLUDED.statement_id;
        RETURN NULL;
    END;
    $$;
    """,
]

POSTGRES_BACKWARD = [
    # 0007's forms: re-render in the renaming transaction.
    """
    CREATE OR REPLACE FUNCTION actor_slug_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE statements_statement SET csv_body = NULL WHERE id IN (
            SELECT statement_id FROM statements_statement_recipients WHERE actor_id = NEW.id);
        RETURN NULL;
    END;
    $$;
    """,
    """
    CREATE OR REPLACE FUNCTION tag_slug_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE statements_statement SET csv_body = NULL WHERE id IN (
            SELECT content_object_id FROM statements_taggedstatement WHERE tag_id = NEW.id);
        RETURN NULL;
    END;
    $$;
    """,
    # What is still queued is rendered now (the triggers re-render on every write).
    "UPDATE statements_statement SET csv_body = NULL "
    "WHERE id IN (SELECT statement_id FROM statements_csv_stale);",
    "DROP FUNCTION IF EXISTS statement_csv_body_now(bigint);",
    "DROP TABLE IF EXISTS statements_csv_stale;",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql, None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_BACKWARD:
            schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [("statements", "0007_csv_rows")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
