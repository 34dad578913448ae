"""Tallies: statements per day in all, per speaker and per tag, per audience, kept by
triggers in the writer's transaction (``statements.models.tallies``).

The same trigger bodies serve PostgreSQL (in PL/pgSQL functions) and SQLite (in the
trigger itself): each adds one signed *contribution* per affected statement — a row for
all statements, one for its speaker and one per tag, for each audience the statement
belongs to — and folds them into ``statements_tally`` with ``ON CONFLICT … DO UPDATE``.
An update takes the old row's contribution away and adds the new one's, so changing a
statement's status, date, speaker or source, a source's status, or a tag link moves
exactly the counts it affects. Existing rows are counted once, set-based, at the end.
"""

from django.db import migrations, models

STATEMENT_COLUMNS = "status, source_id, said_on, speaker_id"

# -- the contribution of some statements -------------------------------------------------


def _one(row: str) -> str:
    """One statement as given by the trigger's OLD or NEW row."""
    return (
        f"(SELECT {row}.id AS id, {row}.said_on AS said_on, {row}.status AS status, "
        f"{row}.speaker_id AS speaker_id, (SELECT src.status FROM statements_source src "
        f"WHERE src.id = {row}.source_id) AS source_status)"
    )


def _stored(statement_id: str) -> str:
    """One statement as stored (a tag link's)."""
    return (
        "(SELECT s0.id AS id, s0.said_on AS said_on, s0.status AS status, "
        "s0.speaker_id AS speaker_id, (SELECT src.status FROM statements_source src "
        "WHERE src.id = s0.source_id) AS source_status "
        f"FROM statements_statement s0 WHERE s0.id = {statement_id})"
    )


def _of_source(source_id: str, source_status: str) -> str:
    """Every statement of a source, with the source's status given."""
    return (
        f"(SELECT s0.id AS id, s0.said_on AS said_on, s0.status AS status, "
        f"s0.speaker_id AS speaker_id, {source_status} AS source_status "
        f"FROM statements_statement s0 WHERE s0.source_id = {source_id})"
    )


AUDIENCES = (
    "(SELECT 1 AS audience UNION ALL SELECT 2) AS a ON "
    "(a.audience = 1 AND s.status = 'published' AND s.source_status = 'published') OR "
    "(a.audience = 2 AND s.status <> 'discarded' AND s.source_status <> 'discarded')"
)


def _contribution(rows: str, sign: int, *, tag: str | None = None) -> str:
    """Rows (kind, subject_id, audience, day, n) for ``rows``; with ``tag``, only that
    tag link's row."""
    tagged = f"SELECT 2 AS kind, {tag} AS subject_id, a.audience, s.said_on AS day, {sign} AS n "
    tagged += f"FROM {rows} AS s JOIN {AUDIENCES}"
    if tag is not None:
        return tagged
    return (
        f"SELECT 0 AS kind, 0 AS subject_id, a.audience, s.said_on AS day, {sign} AS n "
        f"FROM {rows} AS s JOIN {AUDIENCES} "
        f"UNION ALL SELECT 1, s.speaker_id, a.audience, s.said_on, {sign} "
        f"FROM {rows} AS s JOIN {AUDIENCES} "
        f"UNION ALL SELECT 2, t.tag_id, a.audience, s.said_on, {sign} "
        f"FROM {rows} AS s JOIN statements_taggedstatement t ON t.content_object_id = s.id "
        f"JOIN {AUDIENCES}"
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


TAG = "statements_taggedstatement"


def _changed(columns: str, distinct: str) -> str:
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns.split(", "))


def triggers(distinct: str) -> list[tuple[str, str, str, str | None, str]]:
    """(name, table, event, WHEN condition or None, body), with ``distinct`` the
    database's null-safe "differs" operator."""
    statement, source, tag = "statements_statement", "statements_source", TAG
    return [
        ("tally_statement_insert", statement, "INSERT", None, _fold(_contribution(_one("NEW"), 1))),
        (
            "tally_statement_delete",
            statement,
            "DELETE",
            None,
            _fold(_contribution(_one("OLD"), -1)),
        ),
        (
            "tally_statement_update",
            statement,
            f"UPDATE OF {STATEMENT_COLUMNS}",
            _changed(STATEMENT_COLUMNS, distinct),
            _fold(_contribution(_one("OLD"), -1), _contribution(_one("NEW"), 1)),
        ),
        (
            "tally_source_update",
            source,
            "UPDATE OF status",
            _changed("status", distinct),
            _fold(
                _contribution(_of_source("NEW.id", "OLD.status"), -1),
                _contribution(_of_source("NEW.id", "NEW.status"), 1),
            ),
        ),
        (
            "tally_tag_insert",
            tag,
            "INSERT",
            None,
            _fold(_contribution(_stored("NEW.content_object_id"), 1, tag="NEW.tag_id")),
        ),
        (
            "tally_tag_delete",
            tag,
            "DELETE",
            None,
            _fold(_contribution(_stored("OLD.content_object_id"), -1, tag="OLD.tag_id")),
        ),
        (
            "tally_tag_update",
            tag,
            "UPDATE OF tag_id, content_object_id",
            _changed("tag_id, content_object_id", distinct),
            _fold(
                _contribution(_stored("OLD.content_object_id"), -1, tag="OLD.tag_id"),
                _contribution(_stored("NEW.content_object_id"), 1, tag="NEW.tag_id"),
            ),
        ),
    ]


#: Every existing statement counted once.
REBUILD = _fold(
    _contribution(
        "(SELECT s0.id AS id, s0.said_on AS said_on, s0.status AS status, "
        "s0.speaker_id AS speaker_id, src.status AS source_status "
        "FROM statements_statement s0 JOIN statements_source src ON src.id = s0.source_id)",
        1,
    )
)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = []
    if vendor == "postgresql":
        for name, table, event, when, body in triggers("IS DISTINCT FROM"):
            condition = f"WHEN ({when}) " if when else ""
            statements += [
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {body}; RETURN NULL; END $$",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW "
                f"{condition}EXECUTE FUNCTION {name}()",
            ]
    elif vendor == "sqlite":
        for name, table, event, when, body in triggers("IS NOT"):
            condition = f"WHEN {when} " if when else ""
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW "
                f"{condition}BEGIN {body}; END"
            )
    else:
        raise NotImplementedError(f"tallies need triggers written for {vendor}")
    statements.append(REBUILD)
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    for name, table, *_ in triggers(""):
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {name}"
            + (f" ON {table}" if schema_editor.connection.vendor == "postgresql" else "")
        )
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0012_json_rows"),
    ]

    operations = [
        migrations.CreateModel(
            name="Tally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.PositiveSmallIntegerField(
                        choices=[(0, "all statements"), (1, "by speaker"), (2, "by tag")]
                    ),
                ),
                ("subject_id", models.BigIntegerField()),
                (
                    "audience",
                    models.PositiveSmallIntegerField(choices=[(1, "public"), (2, "drafts")]),
                ),
                ("day", models.DateField()),
                ("n", models.IntegerField()),
            ],
            options={
                "db_table": "statements_tally",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "subject_id", "audience", "day"), name="tally_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
