"""Each stance carries its statement's date, kept by triggers
(``tally_sql.stance_date_triggers``), and a claim's side is read in date order from one
index: (claim, stance, said_on, statement) replaces (claim, stance)."""

from django.db import migrations, models

from statements.models import tally_sql


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in tally_sql.stance_date_create_sql(vendor):
        schema_editor.execute(sql)
    csv_trigger = "TRIGGER statements_stance_csv_update"  # 0007: dates are not in the CSV
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(f"ALTER TABLE statements_stance DISABLE {csv_trigger}")
        tally_sql.copy_stance_dates(cursor)
        if vendor == "postgresql":
            cursor.execute(f"ALTER TABLE statements_stance ENABLE {csv_trigger}")


def backward(apps, schema_editor):
    for sql in tally_sql.stance_date_drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('statements', '0013_tallies'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='stance',
            name='stance_claim_idx',
        ),
        migrations.AddField(
            model_name='stance',
            name='said_on',
            field=models.DateField(editable=False, help_text="The statement's date, kept by the database (for ordering a claim's sides).", null=True),
        ),
        migrations.RunPython(forward, backward),
        migrations.AddIndex(
            model_name='stance',
            index=models.Index(fields=['claim', 'stance', 'said_on', 'statement'], name='stance_side_date_idx'),
        ),
    ]
