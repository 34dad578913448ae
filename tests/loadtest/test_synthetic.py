"""generate_synthetic: deterministic, realistic, invariants hold, refuses a second run."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from actors.models import Actor
from loadtest import synthetic
from statements.filters import search as filters
from statements.filters import text_contains
from statements.models import Claim, Source, Stance, Statement, TaggedStatement
from tests.statements.test_tallies import expected as tallies_expected
from tests.statements.test_tallies import stored as tallies_stored

N = 600


def generated_digest(n: int, seed: int) -> str:
    data = synthetic.SyntheticData(n, seed)
    batches = list(data.reference())
    for chunk in data.statements():
        batches += chunk
    return synthetic.digest(iter(batches))


def test_same_seed_same_rows_other_seed_other_rows():
    assert generated_digest(300, 7) == generated_digest(300, 7)
    assert generated_digest(300, 7) != generated_digest(300, 8)


def test_every_text_stands_at_its_span_in_the_generated_body():
    data = synthetic.SyntheticData(2_000, 3)
    list(data.reference())
    chunks = list(data.statements())
    bodies = {
        row[0]: row[6]
        for chunk in chunks
        for b in chunk
        if b.table == "statements_source"
        for row in b.rows
    }
    statements = [
        row
        for chunk in chunks
        for b in chunk
        if b.table == "statements_statement"
        for row in b.rows
    ]
    assert len(statements) == 2_000
    for row in statements:
        text, start, end, source = row[4], row[9], row[10], row[15]
        assert bodies[source][start:end] == text


# serialized_rollback: the flush after a transactional test then leaves no content types
# under new ids behind for later serialized tests (test_history's) to collide with.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_command_loads_consistent_data_and_refuses_a_second_run(make):
    existing = make.statement(tags=["ceasefire"])  # hand-entered rows stay, ids are offset
    call_command("generate_synthetic", statements=N, seed=5, verbosity=0)
    assert Statement.objects.count() == N + 1
    assert Statement.objects.filter(pk=existing.pk, text=existing.text).exists()
    for statement in Statement.objects.exclude(pk=existing.pk).select_related("source")[:200]:
        assert statement.source.body[statement.span_start : statement.span_end] == statement.text
    assert TaggedStatement.objects.count() >= 2 * N
    assert Stance.objects.exists() and Claim.objects.exists() and Source.objects.count() > 10
    assert Actor.objects.filter(aliases__isnull=False).exists()
    assert Statement.objects.filter(status="draft").exists()
    if connection.vendor == "postgresql":
        assert (
            not Statement.objects.filter(search_vector__isnull=True)
            .exclude(pk=existing.pk)
            .exists()
        )
        # The loader renders the CSV cells and JSON pieces set-based; the triggers would
        # render the same.
        statements = "SELECT id, csv_head, csv_body, json_body FROM statements_statement"
        with connection.cursor() as cursor:
            cursor.execute(statements + " ORDER BY id")
            loaded = cursor.fetchall()
            cursor.execute("SELECT id, csv_cells, json_cells FROM actors_actor ORDER BY id")
            actors = cursor.fetchall()
            cursor.execute("SELECT id, csv_cells, json_cells FROM statements_source ORDER BY id")
            sources = cursor.fetchall()
            cursor.execute("UPDATE statements_statement SET csv_body = NULL")
            cursor.execute("UPDATE actors_actor SET csv_cells = NULL")
            cursor.execute("UPDATE statements_source SET csv_cells = NULL")
            cursor.execute(statements + " ORDER BY id")
            assert cursor.fetchall() == loaded
            cursor.execute("SELECT id, csv_cells, json_cells FROM actors_actor ORDER BY id")
            assert cursor.fetchall() == actors
            cursor.execute("SELECT id, csv_cells, json_cells FROM statements_source ORDER BY id")
            assert cursor.fetchall() == sources
        assert any(";" in body for _, _, body, _ in loaded)  # multi-valued cells were there
        # The loader computes the search vector set-based; the trigger computes the same.
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, search_vector::text FROM statements_statement ORDER BY id")
            vectors = cursor.fetchall()
            cursor.execute("UPDATE statements_statement SET text = text")  # fires the trigger
            cursor.execute("SELECT id, search_vector::text FROM statements_statement ORDER BY id")
            assert cursor.fetchall() == vectors
    if connection.vendor == "sqlite" and filters.trigram_index_available():
        # The trigram index was filled set-based and its trigger put back: it agrees
        # with the table row for row and finds what icontains finds.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO statement_text_fts (statement_text_fts, rank) "
                "VALUES ('integrity-check', 1)"
            )
        words = Statement.objects.exclude(pk=existing.pk).values_list("text", flat=True)
        for word in {text.split()[-1].strip(".,") for text in words[:20]} | {"ceasefire"}:
            assert set(Statement.objects.filter(text_contains(word))) == set(
                Statement.objects.filter(text__icontains=word)
            ), word
    # The tallies count what was loaded, whether the triggers kept them row by row or
    # the loader counted them set-based with the triggers off.
    assert tallies_stored() == tallies_expected()
    # Sequences were moved past the explicit ids: ordinary inserts still work.
    late = make.statement(text="A late addition about zyxquux.")
    assert list(Statement.objects.filter(text_contains("zyxquux"))) == [late]  # trigger back
    with pytest.raises(CommandError, match="already present"):
        call_command("generate_synthetic", statements=10, verbosity=0)


def test_tables_come_from_the_models():
    for name, table in synthetic.TABLES.items():
        meta = table.model._meta
        assert name == meta.db_table
        stored = set(table.columns)
        left_null = {f.column for f in meta.concrete_fields if f.null} - stored
        assert stored | left_null == {f.column for f in meta.concrete_fields}, name
    assert synthetic.RECIPIENTS.columns == ("id", "statement_id", "actor_id")
    keys = synthetic.foreign_keys()
    assert ("statements_statement", "speaker_id", "actors_actor", "id") in keys
    assert ("actors_actor", "parent_id", "actors_actor", "id") in keys


def test_a_field_left_out_gets_its_constant_default_or_loading_refuses():
    fields = tuple(f for f in synthetic.ACTORS.fields if f != "needs_review")
    table = synthetic.Table(Actor, fields)
    assert table.columns[-1] == "needs_review"
    assert table.stored([("row",)]) == [("row", False)]
    no_default = synthetic.Table(Actor, tuple(f for f in fields if f != "name"))
    with pytest.raises(ImproperlyConfigured, match="Actor.name"):
        no_default.columns  # noqa: B018
    per_row_default = synthetic.Table(
        Statement, tuple(f for f in synthetic.STATEMENTS.fields if f != "uid")
    )
    with pytest.raises(ImproperlyConfigured, match="Statement.uid"):
        per_row_default.columns  # noqa: B018


def test_word_lists_come_from_the_data_files():
    words = synthetic.vocabulary()
    assert ("Azerbaijan", "Baku", "Azerbaijani") in words.states
    assert "ceasefire" in words.domain_words and "the" in words.stop_words
    assert len(words.first_names) > 20 and len(words.places) > 10
