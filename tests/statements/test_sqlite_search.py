"""SQLite's substring search through the trigram index (migration 0009): the same rows as
``icontains``, from the index when the value is rare, and an index that follows edits."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.db.models import Q
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from statements.admin import YearsByProbe
from statements.filters import search as filters
from statements.filters import text_contains
from statements.models import Statement

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite" or not filters.trigram_index_available(),
    reason="the trigram index is SQLite's (with FTS5's trigram tokenizer)",
)

TEXTS = [
    "Baku announced local anti-terrorist measures in Karabakh.",
    "Yerevan denied any presence of its armed forces — 'none at all'.",
    'The ministry called it "a provocation", twice.',
    "ÉLAN vital, in capitals.",
    "élan, in small letters.",
    "100% of the corridor_x was closed; the _underscore_ stays.",
    "Short: ab.",
]


@pytest.fixture
def texts(make):
    source = make.source(body=" ".join(TEXTS))
    rows = []
    for text in TEXTS:
        start = source.body.index(text)
        rows.append(
            make.statement(source=source, text=text, span_start=start, span_end=start + len(text))
        )
    rows[1].speaker_as_printed = "The Armenian MFA"
    rows[1].save()
    return rows


def _ids(q) -> set[int]:
    return set(Statement.objects.filter(q).values_list("pk", flat=True))


VALUES = [
    "karabakh",
    "KARABAKH",
    "anti-terror",
    "'none at all'",
    '"a provocation"',
    "élan",
    "ÉLAN",
    "Élan",
    "100%",
    "_x",
    "r_x",
    "_underscore_",
    "ab",
    "a",
    "nothing like this",
    "armenian mfa",
    "ab\x00cd",  # FTS5 would stop at the NUL: icontains answers
    'x"y',
    "NEAR(a b)",
]


@pytest.mark.parametrize("value", VALUES)
def test_text_contains_finds_what_icontains_finds(texts, value):
    if "\x00" in value and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL takes no NUL in a text parameter")
    assert _ids(text_contains(value)) == _ids(Q(text__icontains=value))
    both = ("text", "speaker_as_printed")
    expected = _ids(Q(text__icontains=value) | Q(speaker_as_printed__icontains=value))
    assert _ids(text_contains(value, both)) == expected


@sqlite_only
def test_a_rare_value_is_read_from_the_index_and_a_common_one_is_not(texts, monkeypatch):
    with CaptureQueriesContext(connection) as rare:
        assert _ids(text_contains("karabakh")) == {texts[0].pk}
    assert any("statement_text_fts" in q["sql"] and "rowid" in q["sql"] for q in rare)
    assert "IN (SELECT rowid" in rare.captured_queries[-1]["sql"]

    monkeypatch.setattr(filters, "COMMON_TEXT_HITS", 1)
    with CaptureQueriesContext(connection) as common:
        assert _ids(text_contains("karabakh")) == {texts[0].pk}
    assert "IN (SELECT rowid" not in common.captured_queries[-1]["sql"]

    with CaptureQueriesContext(connection) as short:
        text_contains("ab")  # under three characters: no trigram, no index query
    assert len(short) == 0


@sqlite_only
def test_the_index_follows_inserts_edits_and_deletes(texts, make):
    assert _ids(text_contains("provocation")) == {texts[2].pk}
    texts[2].text = "The ministry called it a pretext."
    texts[2].save()
    assert _ids(text_contains("provocation")) == set()
    assert _ids(text_contains("pretext")) == {texts[2].pk}
    texts[0].speaker_as_printed = "Azerbaijani presidency"
    texts[0].save()
    assert _ids(text_contains("presidency", ("text", "speaker_as_printed"))) == {texts[0].pk}
    assert _ids(text_contains("presidency")) == set()  # the public list: text only
    pk = texts[4].pk
    texts[4].delete()
    assert _ids(text_contains("élan")) == set()
    with connection.cursor() as cursor:  # the index agrees with its table, row for row
        cursor.execute(
            "INSERT INTO statement_text_fts (statement_text_fts, rank) VALUES ('integrity-check', 1)"
        )
        cursor.execute("SELECT count(*) FROM statement_text_fts WHERE rowid = %s", [pk])
        assert cursor.fetchone()[0] == 0


@sqlite_only
def test_the_triggers_survive_every_migration():
    """A later migration that rebuilds statements_statement on SQLite (Django copies the
    table) drops its triggers: this fails then, and 0009's SQL must be run again."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            ["statements_statement"],
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "statement_text_fts_insert",
        "statement_text_fts_delete",
        "statement_text_fts_update",
    } <= names


def _admin_results(term: str, *, default: bool) -> set[int]:
    from django.contrib.admin import ModelAdmin

    model_admin = site._registry[Statement]
    request = RequestFactory().get("/", {"q": term})
    queryset = Statement.objects.all()
    if default:
        results, _ = ModelAdmin.get_search_results(model_admin, request, queryset, term)
    else:
        results, _ = model_admin.get_search_results(request, queryset, term)
    return set(results.values_list("pk", flat=True))


@sqlite_only
@pytest.mark.parametrize(
    "term",
    [
        "karabakh",
        "armenian",
        "KARABAKH baku",
        '"none at all"',
        "élan",
        "ab",
        "zzz",
        "Source",
    ],
)
def test_admin_search_on_sqlite_finds_what_djangos_search_finds(texts, term):
    speaker = texts[5].speaker
    speaker.name = "Karabakh Speaker"
    speaker.save()
    assert _admin_results(term, default=False) == _admin_results(term, default=True)


def test_admin_search_refuses_a_nul_before_any_query(texts):
    """A NUL never reaches either search: it is a 400 (the autocomplete's path)."""
    from django.core.exceptions import BadRequest

    with pytest.raises(BadRequest):
        _admin_results("nul\x00inside", default=False)


def test_date_hierarchy_bounds_are_the_aggregates(texts):
    import datetime

    from django.db.models import Max, Min

    texts[0].said_on = datetime.date(2021, 5, 1)
    texts[0].save()
    texts[6].said_on = datetime.date(2024, 2, 3)
    texts[6].save()
    base = Statement.objects.filter(text__icontains="a")
    probe = YearsByProbe(model=Statement, query=base.query)
    expected = base.aggregate(first=Min("said_on"), last=Max("said_on"))
    with CaptureQueriesContext(connection) as queries:
        assert probe.aggregate(first=Min("said_on"), last=Max("said_on")) == expected
        assert probe.aggregate(first=Min("said_on"), last=Max("said_on")) == expected
    assert len(queries) == 1  # first and last in one query, asked once
    assert probe.aggregate(n=Min("id")) == base.aggregate(n=Min("id"))  # others unchanged
    empty = YearsByProbe(model=Statement, query=base.filter(text="no such").query)
    assert empty.aggregate(first=Min("said_on"), last=Max("said_on")) == {
        "first": None,
        "last": None,
    }
