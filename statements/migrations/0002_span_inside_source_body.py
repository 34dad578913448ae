"""A statement's span must lie inside its source's body.

A CHECK constraint cannot look at another table, so triggers enforce it: on
inserting or updating a statement, and on changing a source's body under its
statements. Python ``str`` offsets count code points, as do SQLite's
``length()`` and PostgreSQL's ``char_length()``.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER statement_span_inside_body_insert
    BEFORE INSERT ON statements_statement
    WHEN NEW.span_end > (SELECT length(body) FROM statements_source WHERE id = NEW.source_id)
    BEGIN SELECT RAISE(ABORT, 'statement span lies outside its source body'); END;
    """,
    """
    CREATE TRIGGER statement_span_inside_body_update
    BEFORE UPDATE OF span_start, span_end, source_id ON statements_statement
    WHEN NEW.span_end > (SELECT length(body) FROM statements_source WHERE id = NEW.source_id)
    BEGIN SELECT RAISE(ABORT, 'statement span lies outside its source body'); END;
    """,
    """
    CREATE TRIGGER source_body_covers_spans
    BEFORE UPDATE OF body ON statements_source
    WHEN length(NEW.body) < (SELECT max(span_end) FROM statements_statement WHERE source_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'source body would no longer contain its statements'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS statement_span_inside_body_insert;",
    "DROP TRIGGER IF EXISTS statement_span_inside_body_update;",
    "DROP TRIGGER IF EXISTS source_body_covers_spans;",
]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION statement_span_inside_body() RETURNS trigger AS $$
    BEGIN
        IF NEW.span_end > (SELECT char_length(body) FROM statements_source WHERE id = NEW.source_id)
        THEN
            RAISE EXCEPTION 'statement span lies outside its source body'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER statement_span_inside_body
    BEFORE INSERT OR UPDATE OF span_start, span_end, source_id ON statements_statement
    FOR EACH ROW EXECUTE FUNCTION statement_span_inside_body();
    """,
    """
    CREATE FUNCTION source_body_covers_spans() RETURNS trigger AS $$
    BEGIN
        IF char_length(NEW.body) < (
            SELECT max(span_end) FROM statements_statement WHERE source_id = NEW.id
        ) THEN
            RAISE EXCEPTION 'source body would no longer contain its statements'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER source_body_covers_spans
    BEFORE UPDATE OF body ON statements_source
    FOR EACH ROW EXECUTE FUNCTION source_body_covers_spans();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS statement_span_inside_body ON statements_statement;",
    "DROP FUNCTION IF EXISTS statement_span_inside_body();",
    "DROP TRIGGER IF EXISTS source_body_covers_spans ON statements_source;",
    "DROP FUNCTION IF EXISTS source_body_covers_spans();",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(
        schema_editor.connection.vendor, []
    )
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(
        schema_editor.connection.vendor, []
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("statements", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
