"""Word search on both databases over the same document: text, the speaker's names
and aliases, tag names (``statements.filters.word_index`` holds the SQL and says how
the index is kept).

PostgreSQL: the search vector of migration 0003 now also holds the tag names, and
follows changes to tag links, tag names, actor names and aliases (before, a statement
kept the names its speaker had when it was written, and no tags). Every vector is
computed again here.

SQLite: the FTS5 table ``statement_search`` and its triggers, filled from what exists.
Without FTS5 in this SQLite nothing is created and ``q`` stays a substring match.
"""

from django.db import migrations

from statements.filters import word_index


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for sql in word_index.POSTGRES_FORWARD:
            schema_editor.execute(sql)
    elif connection.vendor == "sqlite" and word_index.fts5_available():
        schema_editor.execute(word_index.SQLITE_TABLE)
        word_index.sqlite_create_triggers(connection)
        word_index.sqlite_rebuild(connection)


def backward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for sql in word_index.POSTGRES_BACKWARD:
            schema_editor.execute(sql)
    elif connection.vendor == "sqlite":
        word_index.sqlite_drop_triggers(connection)
        schema_editor.execute(f"DROP TABLE IF EXISTS {word_index.TABLE}")


class Migration(migrations.Migration):
    dependencies = [("statements", "0009_sqlite_text_search")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
