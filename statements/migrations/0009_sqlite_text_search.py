"""A trigram index over statement text for SQLite's substring search (FTS5).

On SQLite ``q`` is a case-insensitive substring match (PostgreSQL uses its full-text
vector, migration 0003). As ``LIKE '%word%'`` it scans every text: 73 ms p95 for a rare
word at 100,000 statements. An FTS5 table with the ``trigram`` tokenizer answers the same
question from an index (a few ms): ``statement_text_fts MATCH '"word"'`` finds the rows
whose text contains the word, for any query of three characters or more
(``filters.text_contains`` keeps ``LIKE`` for shorter ones).

The admin's search also looks in the speaker's name as printed (the second column; the
public list matches text only, as before). The table holds no copy of the text (``content=statements_statement``); three triggers
keep it in step with every insert, delete and text update. Where the SQLite build has
no FTS5 or no trigram tokenizer (SQLite before 3.34) the migration creates nothing and
search stays a scan. PostgreSQL: nothing.
"""

from django.db import migrations, transaction
from django.db.utils import OperationalError

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE statement_text_fts USING fts5(text, speaker_as_printed, "
    "content='statements_statement', content_rowid='id', tokenize='trigram')",
    """
    CREATE TRIGGER statement_text_fts_insert AFTER INSERT ON statements_statement BEGIN
        INSERT INTO statement_text_fts (rowid, text, speaker_as_printed)
        VALUES (new.id, new.text, new.speaker_as_printed);
    END
    """,
    """
    CREATE TRIGGER statement_text_fts_delete AFTER DELETE ON statements_statement BEGIN
        INSERT INTO statement_text_fts (statement_text_fts, rowid, text, speaker_as_printed)
        VALUES ('delete', old.id, old.text, old.speaker_as_printed);
    END
    """,
    """
    CREATE TRIGGER statement_text_fts_update
    AFTER UPDATE OF text, speaker_as_printed ON statements_statement BEGIN
        INSERT INTO statement_text_fts (statement_text_fts, rowid, text, speaker_as_printed)
        VALUES ('delete', old.id, old.text, old.speaker_as_printed);
        INSERT INTO statement_text_fts (rowid, text, speaker_as_printed)
        VALUES (new.id, new.text, new.speaker_as_printed);
    END
    """,
    "INSERT INTO statement_text_fts (statement_text_fts) VALUES ('rebuild')",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS statement_text_fts_update",
    "DROP TRIGGER IF EXISTS statement_text_fts_delete",
    "DROP TRIGGER IF EXISTS statement_text_fts_insert",
    "DROP TABLE IF EXISTS statement_text_fts",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(SQLITE_FORWARD[0])
    except OperationalError:  # no fts5 module or no trigram tokenizer in this SQLite
        return
    for sql in SQLITE_FORWARD[1:]:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("statements", "0008_csv_stale_queue")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
