"""Word search (``q``) on both databases: the seed's query table, the web-search syntax
translated for SQLite's FTS5, an index that follows every edit, relevance order."""

from __future__ import annotations

import csv
import datetime
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from statements.filters import websearch, word_index
from statements.filters.websearch import Term, parse, to_fts5
from statements.models import Statement
from tests.statements.listing_helpers import page_ids

pytestmark = pytest.mark.django_db

# The seed's statements by their number in the source (scripts/build_seed_fixture.py).
SEED_NAMESPACE = uuid.UUID("6f1d3c8e-1b7a-5e4f-9a0c-2d3e4f5a6b7c")


def numbers(ids) -> set[int]:
    by_uid = {uuid.uuid5(SEED_NAMESPACE, f"karabakh-2023-09-10/{n}"): n for n in range(1, 13)}
    uids = Statement.objects.filter(pk__in=list(ids)).values_list("uid", flat=True)
    return {by_uid[uid] for uid in uids}


ALL = set(range(1, 13))

#: query -> the seed statements it finds, on PostgreSQL and SQLite alike.
SEED_SEARCHES = [
    ("military offensive", {4}),
    ("offensive military", {4}),  # words in any order
    ('"military offensive"', {4}),
    ('"offensive military"', set()),  # a phrase keeps its order
    ("Nagorno Karabakh", ALL),  # every statement carries the tag; 1 and 2 say it too
    ("Nagorno-Karabakh", ALL),
    ("landmines", {10, 11}),  # stemmed: "landmine" in text and tags
    ("LANDMINE", {10, 11}),
    ("Lachin corridor", {2}),  # the tag "Lachin corridor"; the text says "corridors"
    ("offensive OR landmine", {4, 10, 11}),
    ("offensive or landmine", {4, 10, 11}),
    ("-ceasefire", ALL - {10, 12}),  # 10 by its tag, 12 by its text
    ("landmine -denied", {10}),
    ('talks -"urgent talks"', {8}),
    ("Bayramov", {9}),  # the speaker's name
    ("Ceyhun", {9}),  # an alias
    ("Blinken humanitarian", {1, 2}),  # a name and a word of the text
    ("Pashinyan", {6, 7}),  # an alias, not in any text
    # A word search reads what was said and by whom: Armenia's claim that "Azerbaijan is
    # planning" mentions it (4), Bayramov says "Azerbaijan's" (9), and the Ministry of
    # Defence of Azerbaijan speaks (10). What Azerbaijan's bodies and officials said is
    # ``within=azerbaijan`` (8, 9, 10; tests/statements/test_filters_names.py).
    ("Azerbaijan", {4, 9, 10}),
    ("the", set()),  # stop words alone find nothing (PostgreSQL says the same)
    ("the landmine", {10, 11}),
    ("zzzz", set()),
]


@pytest.mark.parametrize(("query", "expected"), SEED_SEARCHES)
def test_seed_search_table(client, seed, query, expected):
    response = client.get("/statements/", {"q": query, "sort": "-said_on"})
    assert response.status_code == 200
    assert numbers(page_ids(response)) == expected
    ranked = client.get("/statements/", {"q": query})
    assert sorted(page_ids(ranked)) == sorted(page_ids(response))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")
@pytest.mark.parametrize("way", ["gathered", "per_row"])
def test_every_sqlite_way_of_matching_finds_the_same(client, seed, monkeypatch, way):
    """SQLite reads a word's statements three ways by how common it is (``search.
    _in_word_index``): rare from the index, common gathered once beside the date walk,
    nearly everywhere looked up row by row. Made common (or everywhere) at the seed's
    size, every query of the table finds what it finds the rare way."""
    from statements.filters import search

    monkeypatch.setattr(search, "COMMON_WORD_HITS", 1)
    # A share of one: only a word in every statement up to the highest id counts as
    # everywhere; a huge share makes every word found at all count as everywhere.
    monkeypatch.setattr(search, "EVERYWHERE_SHARE", 1 if way == "gathered" else 10**9)
    for query, expected in SEED_SEARCHES:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/statements/", {"q": query, "sort": "-said_on"})
        assert numbers(page_ids(response)) == expected, query
        if way == "per_row" and expected:  # a word found nowhere stays a rare one
            assert any("rowid = CAST(julianday(" in q["sql"] for q in captured), query
        ranked = client.get("/statements/", {"q": query})
        assert sorted(page_ids(ranked)) == sorted(page_ids(response)), query


def test_the_csv_finds_what_the_page_finds(client, seed):
    response = client.get("/statements.csv", {"q": "offensive OR landmine"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    ids = {int(row["id"]) for row in csv.DictReader(io.StringIO(body))}
    assert numbers(ids) == {4, 10, 11}


# -- the syntax --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "groups"),
    [
        ("military offensive", [[Term(("military",)), Term(("offensive",))]]),
        ('"Military  Offensive"', [[Term(("military", "offensive"))]]),
        ("a b or c", [[Term(("b",))], [Term(("c",))]]),  # "a" is a stop word
        ("x or or y", [[Term(("x",))], [Term(("y",))]]),
        ("or x or", [[Term(("x",))]]),
        ("-x", [[Term(("x",), negated=True)]]),
        ("- x", [[Term(("x",), negated=True)]]),
        ("--x", [[Term(("x",))]]),
        ('-"x y"', [[Term(("x", "y"), negated=True)]]),
        ("x -or", [[Term(("x",))]]),
        ("Nagorno-Karabakh", [[Term(("nagorno", "karabakh"))]]),
        ('"the claim"', [[Term(("claim",))]]),
        ('"president of azerbaijan"', [[Term(("president", "of", "azerbaijan"))]]),
        ('"unclosed phrase', [[Term(("unclosed", "phrase"))]]),
        ("don't", []),
        ("word- a -", [[Term(("word",))]]),
        ("Baku’s", [[Term(("baku",))]]),
        ("Élan", [[Term(("élan",))]]),
        ('x"y', [[Term(("x",)), Term(("y",))]]),
    ],
)
def test_parse(query, groups):
    assert parse(query) == groups


@pytest.mark.parametrize(
    ("query", "match", "excluded"),
    [
        ("x", '("x")', ()),
        ("x y", '("x" AND "y")', ()),
        ('x "y z" -w', '(("x" AND "y z") NOT "w")', ()),
        ("x or -y -z", '("x")', ('("y" OR "z")',)),
        ("-x", None, ('"x"',)),
        ("", None, ()),
        ('NEAR(x) AND "y"', '("near x" AND "y")', ()),  # FTS5's syntax is only words here
        ("AND NOT OR", None, ()),  # stop words all
    ],
)
def test_to_fts5(query, match, excluded):
    assert to_fts5(query) == websearch.Fts5Query(match, excluded)


HOSTILE = [
    '"',
    '""',
    '"""',
    "-",
    "- -",
    "--",
    "or",
    "OR OR",
    "AND",
    "NOT x",
    "NEAR(a b)",
    "x*",
    "*",
    "col:x",
    "text:landmine",
    "^x",
    "(x",
    "x)",
    "{text} : x",
    "x\x00y",
    "\x00",
    "'",
    "\\",
    "x AND",
    "½ ²",
    "_",
    "‮",
    "a" * 500,
    "x " * 250,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_answer_200_or_400_never_500(client, seed, query):
    response = client.get("/statements/", {"q": query})
    assert response.status_code in (200, 400)
    if "\x00" in query:
        assert response.status_code == 400  # the form refuses NUL everywhere
    assert client.get("/statements/", {"q": query, "sort": "said_on"}).status_code in (200, 400)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_translates(text):
    query = to_fts5(text)
    for expression in [query.match, *query.excluded]:
        assert expression is None or expression.count('"') % 2 == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")
@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab -"()*:^orORNOT\x00½é’')), max_size=30))
def test_fts5_accepts_every_translation(text):
    query = to_fts5(text)
    with connection.cursor() as cursor:
        for expression in [query.match, *query.excluded]:
            if expression:
                cursor.execute(
                    f"SELECT count(*) FROM {word_index.TABLE} WHERE {word_index.TABLE} MATCH %s",
                    [expression],
                )


# -- the index follows edits ---------------------------------------------------------------


def found(query: str) -> set[int]:
    from statements.filters import StatementFilter

    filterset = StatementFilter({"q": query}, queryset=Statement.objects.all())
    assert filterset.is_valid(), filterset.form.errors
    return set(filterset.qs.values_list("pk", flat=True))


def test_the_index_follows_every_edit(make):
    from taggit.models import Tag

    from actors.models import Alias

    speaker = make.actor("Quorra Vantablack")
    one = make.statement(speaker=speaker, text="The bridge was closed at dawn.")
    two = make.statement(text="Convoys crossed the river.", tags=["Frontline logistics"])
    assert found("bridge") == {one.pk}
    assert found("quorra") == {one.pk}
    assert found("logistics") == {two.pk}

    one.text = "The ferry was closed at dawn."
    one.save()
    assert found("bridge") == set()
    assert found("ferries") == {one.pk}

    one.tags.add("Frontline logistics")
    assert found("logistics") == {one.pk, two.pk}
    two.tags.clear()
    assert found("logistics") == {one.pk}
    Tag.objects.filter(name="Frontline logistics").update(name="Supply routes")
    assert found("logistics") == set()
    assert found("supply") == {one.pk}

    Alias.objects.create(actor=speaker, name="Zyxwar")
    assert found("zyxwar") == {one.pk}
    Alias.objects.filter(name="Zyxwar").update(name="Qwelt")
    assert found("zyxwar") == set() and found("qwelt") == {one.pk}
    Alias.objects.filter(name="Qwelt").delete()
    assert found("qwelt") == set()
    speaker.name = "Quilla Vantablack"
    speaker.save()
    assert found("quorra") == set() and found("quilla") == {one.pk}

    one.speaker = make.actor("Other Speaker")
    one.save()
    assert found("quilla") == set()
    one.said_on = datetime.date(2020, 2, 2)  # SQLite's rowid holds the date: it moves
    one.save()
    assert found("ferry") == {one.pk}
    one.tags.add("Night patrols")
    assert found("patrols") == {one.pk}
    pk = one.pk
    one.delete()
    assert found("ferry") == set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {word_index.TABLE} WHERE rowid & {word_index.ID_MASK} = %s",
                [pk],
            )
            assert cursor.fetchone()[0] == 0
            cursor.execute(f"SELECT count(*) FROM {word_index.TABLE}")
            assert cursor.fetchone()[0] == Statement.objects.count()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 triggers are SQLite's")
def test_the_triggers_survive_every_migration():
    """Django rebuilds a table on SQLite for many schema changes; the triggers come back
    after ``migrate`` whatever a later migration rebuilt (``word_index``)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    assert set(word_index.SQLITE_TRIGGERS) <= names


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 triggers are SQLite's")
@pytest.mark.django_db(transaction=True)
def test_a_table_rebuild_in_a_later_migration_keeps_the_index(make):
    """What ``migrate`` does around a later migration that rebuilds a table the triggers
    name: SQLite would refuse to rename the rebuilt copy while a trigger names the
    missing table, so the triggers go first (pre_migrate) and come back, with the index
    rebuilt, after (post_migrate)."""
    from django.apps import apps
    from django.db.models.signals import post_migrate, pre_migrate

    from actors.models import Actor

    statement = make.statement(text="Artillery fire was reported.")
    config = apps.get_app_config("statements")
    pre_migrate.send(sender=config, app_config=config, using="default", plan=[])
    with connection.schema_editor() as editor:
        editor._remake_table(Actor)  # what AlterField does on SQLite
    post_migrate.send(sender=config, app_config=config, using="default", plan=[("x", False)])
    assert found("artillery") == {statement.pk}
    make.statement(text="More artillery fire.")
    assert len(found("artillery")) == 2


# -- relevance -----------------------------------------------------------------------------


def test_without_sort_the_best_match_comes_first(client, make):
    make.statement(text="A convoy passed.", tags=["Shelling"])  # tag only: weakest
    best = make.statement(text="Shelling, shelling and more shelling overnight.")
    response = client.get("/statements/", {"q": "shelling"})
    ids = page_ids(response)
    assert len(ids) == 2 and ids[0] == best.pk
    dated = client.get("/statements/", {"q": "shelling", "sort": "said_on"})
    assert sorted(page_ids(dated)) == sorted(ids)
