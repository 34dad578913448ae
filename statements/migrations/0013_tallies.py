"""Tallies: statements per day in all, per speaker and per tag, per audience, kept by
triggers in the writer's transaction (``statements/models/tally_sql.py``), and counted
once, set-based, for the rows that exist."""

from django.db import migrations, models

from statements.models import tally_sql


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in tally_sql.create_sql(vendor):
        schema_editor.execute(sql)
    with schema_editor.connection.cursor() as cursor:
        tally_sql.recount(cursor)


def backward(apps, schema_editor):
    for sql in tally_sql.drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


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
                        choices=[(0, "all statements"), (1, "by speaker"), (2, "by tag"), (3, "asserting a claim"), (4, "denying a claim"), (5, "questioning a claim"), (6, "about an event"), (7, "sources about an event"), (8, "by speaker, in all"), (9, "by tag, in all")]
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
